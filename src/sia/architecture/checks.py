"""System checks of every domain declaration (``DomainSpec``): a wrong declaration fails ``sia check``
(and ``runserver``, ``migrate``) with a message naming the model and the field, instead of a 500 on
the dashboard at run time.

``spec_problems(model)`` is a plain function of one model and its ``spec``; tests call it on models
they define. The spreadsheet side (which fields a workbook can express) is checked by
``sia.exchange.checks``, where the column kinds live.
"""

from __future__ import annotations

from functools import lru_cache

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from sia.reference.choices import CatalogCode
from sia.reference.codes import MAX_LEVEL

UNKNOWN_FIELD = "sia.E101"
MANY_TO_MANY_FILTER = "sia.E102"
UNFILTERABLE = "sia.E103"
NEVER_EMPTY = "sia.E104"
COMMON_NAME = "sia.E105"
UNKNOWN_CATALOG = "sia.E106"
LEVELS_OUT_OF_RANGE = "sia.E107"
NOT_A_REFERENCE = "sia.E108"
# sia.E109 is the spreadsheet's (sia.exchange.checks).
UNDECLARED_LINK = "sia.E110"
BAD_LINK = "sia.E111"
RELATIONSHIP_NOT_ALLOWED = "sia.E112"
UNKNOWN_ELEMENT = "sia.E113"
UNKNOWN_ROOT = "sia.E116"
CYCLE_UNDECLARED = "sia.E115"

DECLARED_LISTS = ("form_fields", "list_columns", "filter_fields", "completeness_fields")
# Fields every domain has, or that the machinery reads, besides ArchitectureObject.COMMON_FORM_FIELDS.
MACHINE_FIELDS = ("id", "institution", "status", "lock_version", "created", "updated")
# Names the API gives every object besides its fields (sia.core.api.serializers): a field so named is unwritable.
API_NAMES = ("url", "display")


@checks.register(checks.Tags.models)
def check_domains(app_configs=None, **kwargs):
    from .registry import domain_models

    problems = []
    for model in domain_models():
        if app_configs is None or model._meta.app_config in app_configs:
            problems.extend(spec_problems(model))
    return problems


def spec_problems(model) -> list[checks.CheckMessage]:
    """What is wrong with ``model.spec``; empty when the declaration can build every surface."""
    from .models import ArchitectureObject, ValueListItem

    spec, label = model.spec, model._meta.label
    problems: list[checks.CheckMessage] = []

    def error(check_id, message, hint=None):
        problems.append(checks.Error(message, hint=hint, obj=model, id=check_id))

    common = set(model.COMMON_FORM_FIELDS) | set(MACHINE_FIELDS)
    fields = {}
    for attribute in DECLARED_LISTS:
        for name in getattr(spec, attribute):
            try:
                fields[name] = model._meta.get_field(name)
            except FieldDoesNotExist:
                error(UNKNOWN_FIELD, f"{label}: {attribute} names “{name}”, which is not a field of the model.",
                      hint="Declare the field on the model or remove it from the DomainSpec.")
                continue
            if name in common and attribute != "completeness_fields":
                error(COMMON_NAME, f"{label}: {attribute} names the common field “{name}”; every domain has it already.",
                      hint="List only the domain's own fields in the DomainSpec.")

    for name in common:
        own = _own_field(model, ArchitectureObject, name)
        if own is not None:
            error(COMMON_NAME, f"{label}.{name} redefines the common field “{name}” of every architecture object.",
                  hint="Give the domain's field another name (e.g. “lifecycle” rather than “status”).")
    for name in API_NAMES:
        if _has_field(model, name):
            error(COMMON_NAME, f"{label}.{name} is named like the “{name}” every API object carries, so the API "
                  "could neither show nor write it.", hint="Give the field another name (e.g. “web_address”).")

    for name in spec.filter_fields:
        field = fields.get(name)
        if field is None:
            continue
        if field.many_to_many:
            error(MANY_TO_MANY_FILTER, f"{label}: filter_fields names the many-to-many “{name}”; the list filters "
                  "take a single link (code or ID) only.", hint="Remove it from filter_fields.")
        elif field.is_relation and field.related_model is not ValueListItem and not _has_field(field.related_model, "code"):
            error(UNFILTERABLE, f"{label}: filter_fields names “{name}”, a link to "
                  f"{_label(field.related_model)} which has no code to filter by.",
                  hint="Filter by a value list, an architecture object or a reference node.")
        elif not field.is_relation and not _filterable(field):
            error(UNFILTERABLE, f"{label}: filter_fields names “{name}” ({type(field).__name__}), which the list "
                  "filters cannot take.", hint="Filter by a choice, a flag, a date, a number or a link.")

    for name in spec.completeness_fields:
        field = fields.get(name)
        if field is not None and not _can_be_empty(field):
            error(NEVER_EMPTY, f"{label}: completeness_fields names “{name}” ({type(field).__name__}, not null), "
                  "which is never empty and cannot be counted as filled in.",
                  hint="Make the field nullable (null=True, blank=True) or leave it out of completeness_fields.")

    for name, catalog, min_level, max_level in spec.pickers():
        if catalog not in CatalogCode.values:
            error(UNKNOWN_CATALOG, f"{label}: “{name}” maps to the catalog “{catalog}”, which is not one of "
                  f"{', '.join(CatalogCode.values)}.")
        if not (1 <= min_level <= MAX_LEVEL) or (max_level is not None and not (min_level <= max_level <= MAX_LEVEL)):
            error(LEVELS_OUT_OF_RANGE, f"{label}: “{name}” maps to levels {min_level}-{max_level or ''} of {catalog}; "
                  f"catalog levels run from 1 to {MAX_LEVEL}, the lowest first.")
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            error(UNKNOWN_FIELD, f"{label}: reference_fields names “{name}”, which is not a field of the model.")
            continue
        if not (field.many_to_one and _label(field.related_model) == "reference.ReferenceNode"):
            error(NOT_A_REFERENCE, f"{label}.{name} is declared as a reference field but is not a ForeignKey to "
                  "reference.ReferenceNode.")
    problems.extend(root_problems(model))
    problems.extend(link_problems(model))
    return problems


def root_problems(model) -> list[checks.CheckMessage]:
    """``reference_roots`` that name no node of the catalog SIA ships (``sia.reference.data``), or that lie
    deeper than the kind maps to: its picker would offer nothing."""
    from sia.reference.codes import CodeError, parse_code

    spec, label = model.spec, model._meta.label
    shipped = shipped_codes(spec.catalog)
    problems = []
    for root in spec.reference_roots:
        if root not in shipped:
            problems.append(checks.Error(
                f"{label}: reference_roots names “{root}”, which is not a node of the shipped {spec.catalog} catalog.",
                hint=f"Name a national code of src/sia/reference/data ({', '.join(sorted(shipped)[:3]) or 'none'}"
                     f"{', ...' if len(shipped) > 3 else ''}), or leave reference_roots empty for the whole catalog.",
                obj=model, id=UNKNOWN_ROOT))
            continue
        max_level = spec.reference_levels[1]
        try:
            level = parse_code(root).level
        except CodeError:
            level = 0
        if max_level is not None and level > max_level:
            problems.append(checks.Error(
                f"{label}: reference_roots names “{root}” (level {level}), deeper than the levels "
                f"{spec.reference_levels[0]}-{max_level} the kind maps to.", obj=model, id=UNKNOWN_ROOT))
    return problems


def shipped_codes(catalog: str) -> frozenset:
    """The national codes SIA ships for ``catalog`` (``sia.reference.loader.CATALOGS``; none for RAK)."""
    return _shipped_codes(str(catalog))


@lru_cache(maxsize=None)
def _shipped_codes(catalog: str) -> frozenset:
    from sia.reference.loader import CATALOGS, read_shipped_rows

    files = [definition.file for definition in CATALOGS if definition.code == catalog and definition.file]
    return frozenset(row["code"] for name in files for row in read_shipped_rows(name))


def link_problems(model) -> list[checks.CheckMessage]:
    """What is wrong with ``model.spec.links`` (``LinkSpec``): every ForeignKey and many-to-many to another
    architecture object declared once, with a known cardinality and an ArchiMate relationship that
    ArchiMate 3.2 allows between the two element types (``data/relationships.xml``)."""
    from .linkspec import CARDINALITIES, RELATIONSHIPS, allowed_relationships, relationship_allowed, through_problems
    from .models import ArchitectureObject

    spec, label = model.spec, model._meta.label
    problems: list[checks.CheckMessage] = []

    def error(check_id, message, hint=None):
        problems.append(checks.Error(message, hint=hint, obj=model, id=check_id))

    elements = {source for source, _target in allowed_relationships()}
    if spec.archimate_element not in elements:
        error(UNKNOWN_ELEMENT, f"{label}: archimate_element “{spec.archimate_element}” is not an ArchiMate 3.2 "
              "element type.", hint="Name one such as BusinessProcess, BusinessService, DataObject, ApplicationComponent.")

    declared = [link.field for link in spec.links]
    for field in model._meta.get_fields():
        if (field.many_to_many or field.many_to_one) and field.concrete and _is_domain(field.related_model, ArchitectureObject):
            if field.name not in declared:
                error(UNDECLARED_LINK, f"{label}.{field.name} links to {_label(field.related_model)} but is not "
                      "declared in the DomainSpec's links.",
                      hint="Add a LinkSpec(field, meaning, inverse, relationship, ...) to DomainSpec.links.")

    for position, link in enumerate(spec.links):
        where = f"{label}: the link “{link.field}”"
        if link.field in declared[:position]:
            error(BAD_LINK, f"{where} is declared more than once.")
            continue
        if link.through:  # a link kept in a model of its own, with attributes
            found = through_problems(model, link)
            for message in found:
                error(BAD_LINK, message)
            if found:
                continue
        try:
            field = None if link.through else model._meta.get_field(link.field)
        except FieldDoesNotExist:
            error(BAD_LINK, f"{where} is not a field of the model.")
            continue
        if field is not None and not (field.concrete and (field.many_to_many or field.many_to_one)
                                      and _is_domain(field.related_model, ArchitectureObject)):
            error(BAD_LINK, f"{where} is not a ForeignKey or many-to-many to another architecture object.")
            continue
        if not str(link.meaning).strip() or not str(link.inverse).strip():
            error(BAD_LINK, f"{where} has no meaning in both directions (meaning and inverse).")
        many = ("0..*", "1..*") if field is None or field.many_to_many else ("0..1", "1")
        if link.cardinality not in CARDINALITIES or link.cardinality not in many:
            error(BAD_LINK, f"{where} has the cardinality “{link.cardinality}”; a {type(field).__name__} takes "
                  f"{' or '.join(many)}.")
        if link.is_self_link(model):
            if link.acyclic is None:
                error(CYCLE_UNDECLARED, f"{where} links {label} to itself but does not say whether a chain of it may "
                      "close a cycle.", hint="Declare acyclic=True (a cycle is refused) or acyclic=False.")
            elif link.acyclic and link.through:
                error(BAD_LINK, f"{where} is kept in a model of its own; acyclic=True is enforced on field links only.")
        elif link.acyclic is not None:
            error(BAD_LINK, f"{where} says acyclic, but it links {label} to another kind.",
                  hint="acyclic is for links from a kind to itself (a server's host, a process's parent).")
        if link.relationship not in RELATIONSHIPS:
            error(BAD_LINK, f"{where} has the relationship “{link.relationship}”, not an ArchiMate 3.2 type.",
                  hint=f"One of {', '.join(RELATIONSHIPS)}.")
            continue
        source, target = link.archimate_ends(model)
        if source in elements and target in elements and not relationship_allowed(link.relationship, source, target):
            error(RELATIONSHIP_NOT_ALLOWED, f"{where}: ArchiMate 3.2 does not allow {link.relationship} from "
                  f"{source} to {target}.",
                  hint="Pick a relationship the table allows, or reverse it (archimate_reversed).")
    return problems


def _is_domain(model, base) -> bool:
    return isinstance(model, type) and issubclass(model, base) and not model._meta.abstract


def _filterable(field) -> bool:
    """Whether django-filter builds a filter for the field (as ``filterset_for`` asks it to)."""
    import django_filters

    filter_class, _params = django_filters.FilterSet.filter_for_lookup(field, "exact")
    return filter_class is not None


def _can_be_empty(field) -> bool:
    """Whether ``sia.architecture.completeness`` can tell an empty value: a link, a null, a flag or text."""
    if field.is_relation or field.null or isinstance(field, models.BooleanField):
        return True
    return isinstance(field, (models.CharField, models.TextField))


def _own_field(model, base, name):
    """The model's ``name`` field when the model defines it differently from ``base`` (None otherwise)."""
    try:
        field = model._meta.get_field(name)
        inherited = base._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.__class__ is not inherited.__class__:
        return field
    path, args, kwargs = field.deconstruct()[1:]
    base_path, base_args, base_kwargs = inherited.deconstruct()[1:]
    if base_kwargs.get("to") == "self" and field.related_model is model._meta.model:  # a link to its own kind (upgrades)
        kwargs = {**kwargs, "to": "self"}
    return None if (path, args, kwargs) == (base_path, base_args, base_kwargs) else field


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return False
    return True


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


UNDECLARED_VALUE_LIST = "sia.E120"
VALUE_LIST_DECLARED_TWICE = "sia.E121"
VALUE_LIST_KIND_TOO_LONG = "sia.E122"


@checks.register(checks.Tags.models)
def check_value_lists(app_configs=None, **kwargs):
    from .registry import domain_models
    from .valuelists import declared_value_lists

    declared = declared_value_lists()
    problems = []
    for model in domain_models():
        if app_configs is None or model._meta.app_config in app_configs:
            problems.extend(value_list_problems(model, declared))
    return problems


def value_list_problems(model, declared: dict) -> list[checks.CheckMessage]:
    """Value-list fields of ``model`` whose kind no domain declares (``declared``: kind -> ValueList), and
    ``model.spec.value_lists`` entries that clash with ``declared`` or do not fit ``ValueListItem.kind``."""
    from .models import ValueListItem

    label, problems = model._meta.label, []
    max_length = ValueListItem._meta.get_field("kind").max_length
    for value_list in model.spec.value_lists:
        first = declared.get(value_list.kind)
        if first is not None and first != value_list:
            problems.append(checks.Error(
                f"{label}: value_lists declares “{value_list.kind}” differently from another domain.",
                hint="Declare a shared list once with the same label and suggested values, or give it its own kind.",
                obj=model, id=VALUE_LIST_DECLARED_TWICE))
        if len(value_list.kind) > max_length:
            problems.append(checks.Error(
                f"{label}: the value list kind “{value_list.kind}” is longer than {max_length} characters.",
                obj=model, id=VALUE_LIST_KIND_TOO_LONG))
    kinds = set(declared) | {value_list.kind for value_list in model.spec.value_lists}
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and field.related_model is ValueListItem):
            continue
        limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else {}
        for kind in limited_kinds(limit) or [None]:
            if kind not in kinds:
                problems.append(checks.Error(
                    f"{label}.{field.name} picks from the value list “{kind}”, which no domain declares.",
                    hint="Add ValueList(kind, label, suggested=...) to the DomainSpec's value_lists and set "
                         "limit_choices_to={'kind': kind} (or Q(kind=kind)) on the field.",
                    obj=model, id=UNDECLARED_VALUE_LIST))
    return problems


def limited_kinds(limit) -> list:
    """The value-list kinds a ``limit_choices_to`` names: ``{"kind": k}``, ``Q(kind=k, ...)``, ``kind__in``,
    and Q objects combined with & or |, in order (empty when it names none; a negated Q names none)."""
    from django.db.models import Q

    if isinstance(limit, dict):
        pairs = list(limit.items())
    elif isinstance(limit, Q):
        if limit.negated:
            return []
        found = []
        for child in limit.children:
            for kind in limited_kinds(child) if isinstance(child, Q) else limited_kinds(dict([child])):
                if kind not in found:
                    found.append(kind)
        return found
    else:
        return []
    found = []
    for key, value in pairs:
        if key in ("kind", "kind__exact"):
            found.append(value)
        elif key == "kind__in":
            found.extend(value)
    return found


NAME_TAKEN = "sia.E114"
UNIQUE_NAMES = ("slug", "api_name", "code_prefix")


@checks.register(checks.Tags.models)
def check_unique_names(app_configs=None, **kwargs):
    from .registry import domain_models

    return [problem for problem in unique_name_problems(domain_models())
            if app_configs is None or problem.obj._meta.app_config in app_configs]


def unique_name_problems(models_) -> list[checks.CheckMessage]:
    """Two kinds with one URL segment (``slug``), API resource (``api_name``) or ID prefix (``code_prefix``):
    their pages, API routes or codes would collide (nineteen kinds of infrastruktur and keamanan to come)."""
    problems: list[checks.CheckMessage] = []
    for attribute in UNIQUE_NAMES:
        first: dict[str, object] = {}
        for model in models_:
            value = getattr(model.spec, attribute)
            if value in first:
                problems.append(checks.Error(
                    f"{model._meta.label}: {attribute} “{value}” is already declared by {first[value]._meta.label}.",
                    hint="Every kind needs its own slug, api_name and code_prefix.", obj=model, id=NAME_TAKEN))
            else:
                first[value] = model
    return problems


GROUP_SLUG_TAKEN = "sia.E130"
GROUP_CATALOGS_DIFFER = "sia.E131"
GROUP_WITHOUT_LABEL = "sia.E132"
GROUP_DECLARED_TWICE = "sia.E133"


@checks.register(checks.Tags.models)
def check_kind_groups(app_configs=None, **kwargs):
    from .registry import domain_models

    models_ = domain_models()
    return [problem for problem in kind_group_problems(models_)
            if app_configs is None or problem.obj._meta.app_config in app_configs]


def kind_group_problems(models_) -> list[checks.CheckMessage]:
    """What is wrong with the kind groups (``DomainSpec.group``) the domains ``models_`` declare: a group
    slug another group's kind has as its domain slug (menu, completeness keys and workbooks would mix
    them), one slug declared as two different groups, a group without a label, kinds of one group that
    map to different catalogs."""
    problems: list[checks.CheckMessage] = []
    declared: dict[str, list] = {}
    for model in models_:
        if model.spec.group is not None:
            declared.setdefault(model.spec.group.slug, []).append(model)
    for slug, kinds in declared.items():
        group = kinds[0].spec.group
        names = ", ".join(model._meta.label for model in kinds)
        for model in kinds[1:]:
            if model.spec.group != group:
                problems.append(checks.Error(
                    f"{model._meta.label}: the kind group “{slug}” is declared differently from "
                    f"{kinds[0]._meta.label} (label or order).",
                    hint="Declare the KindGroup once (a module constant) and name it in every kind's DomainSpec.",
                    obj=model, id=GROUP_DECLARED_TWICE))
        if not str(group.label or "").strip():
            problems.append(checks.Error(
                f"{kinds[0]._meta.label}: the kind group “{slug}” has no label (its menu entry and completeness "
                "column).", hint='KindGroup(slug, _("Label")).', obj=kinds[0], id=GROUP_WITHOUT_LABEL))
        for other in models_:
            if other.spec.slug == slug and other not in kinds:
                problems.append(checks.Error(
                    f"{kinds[0]._meta.label}: the kind group “{slug}” has the slug of the domain "
                    f"{other._meta.label}, which is not one of its kinds ({names}).",
                    hint="Give the group a slug no other domain uses, or declare that domain a kind of the group.",
                    obj=kinds[0], id=GROUP_SLUG_TAKEN))
        catalogs = {model.spec.catalog for model in kinds}
        if len(catalogs) > 1:
            mapped = ", ".join(f"{model._meta.label} {model.spec.catalog}" for model in kinds)
            problems.append(checks.Error(
                f"{kinds[0]._meta.label}: the kinds of the group “{slug}” map to different catalogs ({mapped}).",
                hint="The kinds of a group share one reference catalog (infrastruktur: RAI, keamanan: RAK).",
                obj=kinds[0], id=GROUP_CATALOGS_DIFFER))
    return problems
