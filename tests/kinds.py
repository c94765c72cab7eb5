"""Objects of any architecture kind, made from its declaration alone (``DomainSpec``), so that the generic
tests (``tests/architecture/generic/``) cover a new kind as soon as it is declared.

``Builder(department).build(model)`` gives a valid object that can be submitted for review: a reference
node at a level the spec's catalog allows (instansi nodes are made where the catalog publishes none, as
for RAK), every required field, and every required link (``LinkSpec.cardinality`` "1" or "1..*") to a
target built the same way. ``full=True`` fills every form field the domain rules accept. ``variant``
picks another value for each field (a second value-list item, another unit, another linked object), so
that two objects differ in every field.

``form_data(obj)`` is what the web form posts for ``obj``; ``api_payload(obj)`` the API body with natural
keys (OPD abbreviation, reference and object codes, value names).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from sia.architecture import scopes
from sia.architecture.choices import ArchitectureState
from sia.architecture.models import ArchitectureObject, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.organizations.models import Department, DepartmentFunction, WorkUnit
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import CatalogVersion, ReferenceNode
from sia.reference.models.nodes import national_leaf

REQUIRED_CARDINALITIES = ("1", "1..*")
# A variant whose choices fill the fields that only some combinations allow (an application's retirement
# year needs the lifecycle “retired”, the 4th choice); the create tests use it so every field is exercised.
EVERY_FIELD = 3
TEXT_SUFFIX = "_text"  # the reference picker's typed-code companion field (ReferencePickerWidget.TEXT_SUFFIX)
_seq = itertools.count(1)


def prepare(*institutions) -> None:
    """National catalogs and each instansi's declared value lists (what migrations give a real instansi)."""
    ensure_default_catalogs()
    for institution in institutions:
        seed_value_lists(institution)


def _off_default(obj, name: str) -> bool:
    """Whether ``name`` is a field with a default that ``obj`` holds another value of."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # "__all__" and other non-field keys
        return False
    return field.has_default() and getattr(obj, field.attname) != field.get_default()


def accepted_choices(obj, field) -> list:
    """The choices of ``field`` that ``obj`` passes ``full_clean()`` with (a planned application is never as-is)."""
    kept, accepted = getattr(obj, field.attname), []
    for key, _label in field.flatchoices:
        if key in ("", None):
            continue
        setattr(obj, field.attname, key)
        try:
            obj.full_clean()
        except ValidationError as error:
            if field.name in error.message_dict:
                continue
        accepted.append(key)
    setattr(obj, field.attname, kept)
    return accepted


def fields_of(model) -> list:
    """The fields a person fills in for an object of ``model``: the common ones and the domain's."""
    names = list(dict.fromkeys(model.COMMON_FORM_FIELDS + model.spec.form_fields))
    return [model._meta.get_field(name) for name in names]


def required_links(model) -> list:
    """The links an object must hold before it can be submitted."""
    return [link for link in model.spec.links if link.cardinality in REQUIRED_CARDINALITIES]


def through_links(model) -> list:
    """The links kept as rows of their own model, with attributes (``LinkSpec.through``: integrations)."""
    return [link for link in model.spec.links if link.through]


def is_required(field) -> bool:
    return not field.blank and not field.has_default() and field.name not in ("code", "department", "name")


def pickers(model) -> dict:
    spec = getattr(model, "spec", None)  # a link row (``LinkSpec.through``) picks no reference
    return {name: (catalog, low, high) for name, catalog, low, high in spec.pickers()} if spec else {}


def empty(field):
    if field.many_to_many:
        return []
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


def is_filled(obj, field) -> bool:
    if field.many_to_many or field.one_to_many:
        return obj.pk is not None and getattr(obj, field.name).exists()
    value = getattr(obj, field.attname)
    return value not in (None, "")


def reference_node(catalog: str, min_level: int, max_level: int | None, institution, variant: int = 0, roots=()):
    """A node ``reference_problem`` accepts for a picker of ``catalog`` at those levels (in the sub-trees
    ``roots``, ``DomainSpec.reference_roots``): a national one where the catalog publishes one there, else an
    instansi node made under the deepest national node (or at the top of a catalog without national codes)."""
    nodes = list(
        ReferenceNode.objects.current().of_catalog(catalog).for_institution(institution).within(roots)
        .at_levels(min_level, max_level).order_by("institution_id", "level", "code")[: variant + 1]
    )
    if len(nodes) > variant:
        return nodes[variant]
    return institution_node(catalog, min_level, institution, variant, roots)


def institution_node(catalog: str, level: int, institution, variant: int = 0, roots=()):
    """An instansi node at ``level`` of the catalog's version in force, with its ancestors: under the deepest
    national node above that level (in ``roots``), or from the top where the catalog publishes no codes (RAK)."""
    version = CatalogVersion.objects.get(catalog__code=catalog, is_current=True)
    leaves = ReferenceNode.objects.filter(version=version).filter(national_leaf()).within(roots)
    # Roots at or below ``level`` (RAI.03.01.01 for level 3): one level under their deepest leaf.
    parent = (leaves.filter(level__lt=level) if not roots else leaves).order_by("-level", "code").first()
    code, depth, node = (parent.code, parent.level, parent) if parent is not None else (catalog, 0, None)
    target = max(level, depth + 1 if roots else 1)
    while depth < target:
        depth += 1
        code = f"{code}.{90 + variant if depth == target else 90:02d}"
        node = _institution_node(version, code, institution)
    return node


def _institution_node(version, code, institution):
    found = ReferenceNode.objects.filter(version=version, code=code, institution=institution).first()
    if found is not None:
        return found
    node = ReferenceNode(version=version, code=code, name=f"Simpul instansi {code}", institution=institution)
    node.refresh_derived()
    node.full_clean()
    node.save()
    return node


class Builder:
    """Builds objects of any domain in one OPD (``department``)."""

    def __init__(self, department):
        self.department = department
        self.institution = department.institution
        self._targets: dict = {}
        self._building: list = []

    # --- objects ---------------------------------------------------------------------------------------
    def build(self, model, *, full: bool = False, variant: int = 0, **values):
        """A saved, valid, submittable object; ``values`` (field name: value, lists for many-to-many)
        override what the builder would pick."""
        if len(self._building) > 8:
            chain = " -> ".join(m.__name__ for m in self._building + [model])
            raise RuntimeError(f"required links form a cycle: {chain}")
        self._building.append(model)
        try:
            return self._build(model, full, variant, values)
        finally:
            self._building.pop()

    def _build(self, model, full, variant, values):
        n = next(_seq)
        obj = model(department=self.department, name=values.pop("name", f"{model._meta.verbose_name} uji {n}"))
        obj.institution = self.institution
        if full and variant == EVERY_FIELD and "state" not in values and "upgrades" not in values:
            # A to-be upgrade, so that the as-is object it develops (``upgrades``) goes through every surface too.
            values["state"] = ArchitectureState.TO_BE_UPGRADE
        links = {link.field for link in required_links(model)}
        rows = [link for link in through_links(model) if full or link.field in links]
        wanted = [
            f for f in fields_of(model)
            if f.name in values or f.name in pickers(model) or is_required(f) or f.name in links
            or (full and f.name not in ("code", "department", "name", "period", "state"))
        ]
        # Work units follow the OPD fields (``DomainSpec.unit_fields``): fill those first.
        wanted.sort(key=lambda f: bool(f.many_to_one and f.related_model is WorkUnit))
        many, optional = {}, set()
        for field in wanted:
            given = field.name in values
            value = values.pop(field.name) if given else self.value(obj, field, variant, n)
            if not given and field.blank and field.name not in links:
                optional.add(field.name)
            if field.many_to_many:
                many[field.name] = value
            else:
                setattr(obj, field.name, value)
        for name, value in values.items():  # fields outside the form (``status``) as given
            setattr(obj, name, value)
        self._clean(obj, optional, many)
        obj.save()
        for name, value in many.items():
            getattr(obj, name).set(value)
        for link in rows:
            self.link_row(obj, link, variant)
        return obj

    def link_row(self, obj, link, variant: int = 0):
        """One row of a link with attributes from ``obj`` to a target built for it, its attributes filled."""
        through = link.through_model()
        source_field, target_field = link.through_fields
        target_model = link.target_model(type(obj))
        target = self.target(target_model, variant)
        if target == obj:
            target = self.target(target_model, variant + 1)
        row = through(**{source_field: obj, target_field: target})
        for field in through._meta.concrete_fields:
            if field.name in link.attributes or (is_required(field) and field.editable and not field.is_relation):
                setattr(row, field.name, self.value(row, field, variant))
        row.full_clean()
        row.save()
        return row

    def _clean(self, obj, optional: set, many: dict) -> None:
        """``full_clean()``; an optional field the domain's rules refuse in this combination (a retirement
        year without the lifecycle “retired”) is left empty instead, an optional choice takes one they accept."""
        for _attempt in range(5):
            try:
                obj.full_clean()
                return
            except ValidationError as error:
                refused = [name for name in error.message_dict if name in optional or _off_default(obj, name)]
                if not refused:
                    raise
                for name in refused:
                    field = obj._meta.get_field(name)
                    if field.many_to_many:
                        many.pop(name, None)
                    elif name in optional and field.choices and (accepted := accepted_choices(obj, field)):
                        setattr(obj, name, accepted[0])  # a choice that goes with the rest (a type with its node)
                    elif name in optional:
                        setattr(obj, name, empty(field))
                    else:  # a choice with a default the rules refuse here (a planned application that is as-is)
                        setattr(obj, name, field.get_default())
                    optional.discard(name)
        obj.full_clean()

    def fill(self, obj, name: str, variant: int = 0):
        """Gives ``obj``'s field ``name`` the builder's value for it and saves (a link with attributes: a row)."""
        link = next((link for link in through_links(type(obj)) if link.field == name), None)
        if link is not None:
            return self.link_row(obj, link, variant)
        field = obj._meta.get_field(name)
        value = self.value(obj, field, variant, obj.pk)
        if field.many_to_many:
            getattr(obj, name).set(value)
        else:
            if field.choices:  # the choices the domain's rules accept for this object, so variants stay distinct
                accepted = accepted_choices(obj, field)
                value = accepted[variant % len(accepted)]
            setattr(obj, name, value)
            obj.full_clean()
            obj.save()
        return value

    def clear(self, obj, name: str) -> None:
        field = obj._meta.get_field(name)
        if field.one_to_many:  # the rows of a link with attributes
            getattr(obj, name).all().delete()
        elif field.many_to_many:
            getattr(obj, name).clear()
        else:
            from sia.architecture import generation

            with generation.changing():  # an update sends no signal: what is kept under the generation must know
                type(obj).objects.filter(pk=obj.pk).update(**{field.attname: empty(field)})
            obj.refresh_from_db()

    # --- values ----------------------------------------------------------------------------------------
    def value(self, obj, field, variant: int = 0, n=0):
        """A valid value of ``field`` for ``obj`` (a list for a many-to-many field)."""
        model = type(obj)
        if field.name in pickers(model):
            return reference_node(*pickers(model)[field.name], self.institution, variant, model.spec.roots(field.name))
        if field.many_to_many:
            return [self.related(obj, field, variant)]
        if field.is_relation:
            return self.related(obj, field, variant)
        if field.choices:
            choices = [key for key, _label in field.flatchoices if key not in ("", None)]
            return choices[variant % len(choices)]
        if isinstance(field, models.BooleanField):
            return variant % 2 == 0
        if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            return _number(field, variant)
        if isinstance(field, models.DateField):
            return datetime.date(2024, 1, 1 + variant)
        if isinstance(field, models.URLField):
            return f"https://aplikasi{variant}.contoh.go.id/"
        if isinstance(field, models.EmailField):
            return f"uji{variant}@contoh.go.id"
        if isinstance(field, (models.CharField, models.TextField)):
            text = f"Isian {field.name} {n}-{variant}"
            return text[: field.max_length] if field.max_length else text
        raise NotImplementedError(
            f"tests/kinds.py: no value for {model.__name__}.{field.name} ({type(field).__name__}); teach Builder.value")

    def related(self, obj, field, variant: int = 0):
        related = field.related_model
        if related is ValueListItem:
            items = list(ValueListItem.objects.filter(institution=self.institution).filter(
                **{"is_active": True, **field.get_limit_choices_to()}).order_by("order", "name"))
            assert items, f"no value seeded for {field.model.__name__}.{field.name}"
            return items[variant % len(items)]
        if related is Department:
            # A many-to-many OPD field (OPD pengguna lain) lists OPDs besides the owner (``sia.architecture.scopes``).
            choices = self.departments()[1:] if field.many_to_many else self.departments()
            return choices[variant % len(choices)]
        if related is WorkUnit:
            opd = getattr(obj, f"{scopes.unit_rule(type(obj), field.name)}_id", None) or obj.department_id
            return self.unit(Department.objects.get(pk=opd), variant)
        if related is DepartmentFunction:
            return self.function(self.department, variant)
        if issubclass(related, ArchitectureObject):
            return self.target(related, variant)
        raise NotImplementedError(f"tests/kinds.py: no value for a link to {related.__name__} ({field})")

    def departments(self) -> list:
        others = Department.objects.filter(institution=self.institution, is_active=True).exclude(pk=self.department.pk)
        return [self.department] + list(others.order_by("abbreviation"))

    def unit(self, department, variant: int = 0):
        units = list(WorkUnit.objects.filter(department=department, is_active=True).order_by("pk")[: variant + 1])
        if len(units) > variant:
            return units[variant]
        return WorkUnit.objects.create(department=department, name=f"Bidang Uji {next(_seq)}", echelon="III")

    def function(self, department, variant: int = 0):
        functions = DepartmentFunction.objects.filter(department=department).order_by("order", "pk")
        functions = list(functions[: variant + 1])
        if len(functions) > variant:
            return functions[variant]
        order = DepartmentFunction.objects.filter(department=department).count() + 1
        return DepartmentFunction.objects.create(department=department, order=order, description=f"Fungsi uji {order}")

    def target(self, model, variant: int = 0):
        """A linked object of ``model`` in this OPD, the same one for each variant."""
        key = (model, variant)
        if key not in self._targets:
            self._targets[key] = self.build(model, variant=variant, name=f"Tautan {model._meta.verbose_name} {variant}")
        return self._targets[key]


def _number(field, variant):
    low = max([v.limit_value for v in field.validators if isinstance(v, MinValueValidator)], default=None)
    high = min([v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)], default=None)
    value = 2020 + variant
    if low is not None and value < low:
        value = low + variant
    if high is not None and value > high:
        value = high - variant
    if isinstance(field, models.DecimalField):
        return Decimal(value)
    return float(value) if isinstance(field, models.FloatField) else value


# --- what a person sends ------------------------------------------------------------------------------
def form_data(obj) -> dict:
    """The web form's POST body that holds ``obj``'s values (with its version, for an edit)."""
    model = type(obj)
    data = {"lock_version": obj.lock_version}
    for field in fields_of(model):
        name = field.name
        if field.many_to_many:
            data[name] = [str(pk) for pk in getattr(obj, name).order_by("pk").values_list("pk", flat=True)]
        elif field.is_relation:
            value = getattr(obj, field.attname)
            data[name] = "" if value is None else str(value)
        elif isinstance(field, models.BooleanField):
            if getattr(obj, name):
                data[name] = "on"
        else:
            value = getattr(obj, name)
            data[name] = "" if value is None else str(value)
        if name in pickers(model):
            data[f"{name}{TEXT_SUFFIX}"] = ""
    return data


def natural_key(value):
    """How the API names a related row: codes, OPD abbreviations, value names; an ID otherwise."""
    if isinstance(value, (ArchitectureObject, ReferenceNode)):
        return value.code
    if isinstance(value, Department):
        return value.abbreviation
    if isinstance(value, ValueListItem):
        return value.name
    return value.pk


def api_payload(obj) -> dict:
    """The API body that holds ``obj``'s values, related rows by natural key (no ID, no version)."""
    model = type(obj)
    body = {}
    for field in fields_of(model):
        name = field.name
        if field.many_to_many:
            body[name] = [natural_key(v) for v in getattr(obj, name).order_by("pk")]
        elif field.is_relation:
            value = getattr(obj, name)
            body[name] = None if value is None else natural_key(value)
        else:
            body[name] = getattr(obj, name)
    return body


def values_of(obj) -> dict:
    """``obj``'s form fields as comparable values: IDs for related rows, sets of IDs for many-to-many."""
    result = {}
    for field in fields_of(type(obj)):
        if field.many_to_many:
            result[field.name] = set(getattr(obj, field.name).values_list("pk", flat=True))
        else:
            result[field.name] = getattr(obj, field.attname)
    return result


def link_rows_of(obj) -> dict:
    """``obj``'s links with attributes: per link, {(target ID, attribute values)}."""
    result = {}
    for link in through_links(type(obj)):
        source_field, target_field = link.through_fields
        rows = link.through_model()._default_manager.filter(**{source_field: obj})
        result[link.field] = {(row[f"{target_field}_id"], tuple(row[a] for a in link.attributes))
                              for row in rows.values(f"{target_field}_id", *link.attributes)}
    return result
