"""Which OPDs and work units the fields of an architecture object may hold.

One rule, read by the model's validation (so the web form, the API and the Excel import refuse the
same things), by the form's choice lists (also when the form is refreshed after the OPD changes) and
by the dropdown lists of the Excel template:

- The owning OPD (``department``) is an OPD where the user may add the domain (``sia.core.permissions``).
- Every other OPD field (produsen data, walidata, ...) holds an active OPD of the object's instansi.
  Under Satu Data Indonesia (Perpres 39/2019) the produsen data is the OPD that produces the data,
  usually the owner, and the walidata of a pemerintah daerah is usually its Diskominfo, while walidata
  pendukung may be designated in any OPD: so any OPD of the instansi is allowed, never another's.
- A many-to-many OPD field (Aplikasi: OPD pengguna lain) lists active OPDs of the instansi *besides* the
  owner: the owner uses its own application by definition, so listing it would count it twice.
  ``ArchitectureObject.link_problems`` (the one check of the form, the API and the Excel import) asks
  ``other_department_problems``; the choice lists still offer the owner (a new object's OPD may not be
  chosen yet), so the refusal is a message on the field, not a missing choice.
- A work-unit field holds a unit of the OPD named by its pair in the domain's
  ``DomainSpec.unit_fields`` (``("executing_unit", "department")``: the unit pelaksana is a unit of the
  layanan's own OPD; ``("custodian_unit", "custodian_department")``: the walidata unit is a unit of the
  walidata OPD). A work-unit field a domain does not declare follows the object's own OPD. When the
  paired OPD field is empty the unit must be of the object's own OPD, and validation fills the OPD
  field in from it.

Choices offer active units and OPDs only; validation checks membership, so an object whose unit was
later deactivated still saves.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.core.models import per_model
from sia.organizations.models import Department, WorkUnit

OWN = "department"


@per_model
def unit_fields(model) -> tuple[tuple[str, str], ...]:
    """``(unit field, OPD field)`` for every work-unit field of ``model``, declared or not."""
    declared = dict(getattr(model.spec, "unit_fields", ()))
    return tuple(
        (f.name, declared.get(f.name, OWN)) for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is WorkUnit
    )


@per_model
def _unit_rules(model) -> dict:
    return dict(unit_fields(model))


def unit_rule(model, name: str) -> str:
    """The OPD field whose OPD the unit of ``name`` must belong to."""
    return _unit_rules(model)[name]


@per_model
def department_fields(model) -> tuple[str, ...]:
    """The OPD fields besides the owner (produsen data, walidata, ...)."""
    return tuple(f.name for f in model._meta.concrete_fields
                 if f.many_to_one and f.related_model is Department and f.name != OWN)


def unit_department_id(model, name: str, get) -> int | None:
    """The ID of the OPD whose unit field ``name`` is scoped to; ``get(field name)`` gives an OPD field's ID."""
    opd_field = unit_rule(model, name)
    return get(opd_field) or (get(OWN) if opd_field != OWN else None)


def allowed_departments(field, institution, user=None):
    """The active OPDs an OPD field of ``field.model`` may hold in ``institution`` (an instansi or its ID;
    None: every instansi the user belongs to)."""
    model = field.model
    institution_id = getattr(institution, "pk", institution)
    departments = Department.objects.filter(is_active=True)
    if institution_id is not None:
        departments = departments.filter(institution_id=institution_id)
    if user is None:
        return departments.order_by("abbreviation")
    if field.name == OWN:
        ids = [d.pk for d in permissions.visible(user, departments).only("pk", "institution_id")
               if permissions.can_in(user, permissions.ADD, model, d.institution_id, d.pk)]
        return Department.objects.filter(pk__in=ids).order_by("abbreviation")
    return permissions.choices(user, departments).order_by("abbreviation")


def allowed_units(field, department, institution, user=None):
    """The active work units ``field`` (a work-unit field of an architecture model) may hold.

    ``department`` is the OPD the field's rule points at for this object (see ``unit_department_id``),
    or None while it is not known: then the units of every OPD the rule could point at.
    """
    model = field.model
    units = WorkUnit.objects.filter(is_active=True).select_related("department")
    if user is not None:
        units = permissions.choices(user, units)
    department_id = getattr(department, "pk", department)
    if department_id is not None:
        units = units.filter(department_id=department_id)
    else:
        opd_field = model._meta.get_field(unit_rule(model, field.name))
        # The own OPDs are among the OPDs of the instansi, so the other OPD fields' list covers them.
        units = units.filter(department__in=allowed_departments(opd_field, institution, user).values("pk"))
    return units.order_by("department__abbreviation", "name")


def unit_choice_label(unit) -> str:
    """A unit named with its OPD, where units of several OPDs share one list: “DINKES — Bidang Pelayanan”."""
    return f"{unit.department.abbreviation} — {unit.name}"


def unit_problems(obj) -> dict:
    """``{field: message}`` for the work-unit fields of ``obj`` that break the rule; fills an empty
    paired OPD field in from a unit of the object's own OPD."""
    errors = {}
    model = type(obj)
    for name, opd_field in unit_fields(model):
        unit = getattr(obj, name) if getattr(obj, f"{name}_id") else None
        if unit is None or not obj.department_id:
            continue
        department_id = unit_department_id(model, name, lambda n: getattr(obj, f"{n}_id"))
        if unit.department_id == department_id:
            if opd_field != OWN and not getattr(obj, f"{opd_field}_id"):
                setattr(obj, opd_field, unit.department)
            continue
        expected = Department.objects.filter(pk=department_id).only("abbreviation").first()
        errors[name] = _("Pilih unit kerja %(opd)s: “%(unit)s” adalah unit kerja %(other)s.") % {
            "opd": expected.abbreviation if expected else "—", "unit": unit.name,
            "other": unit.department.abbreviation,
        }
    return errors


def department_problems(obj) -> dict:
    """``{field: message}`` for OPD fields (besides the owner) holding an OPD of another instansi."""
    errors = {}
    for name in department_fields(type(obj)):
        department = getattr(obj, name) if getattr(obj, f"{name}_id") else None
        if department is not None and obj.institution_id and department.institution_id != obj.institution_id:
            errors[name] = _("OPD ini bukan bagian dari instansi yang sama.")
    return errors


def other_department_problems(obj, field_name: str, targets) -> list:
    """Messages for ``targets`` of the many-to-many OPD field ``field_name`` that name the object's own OPD
    (empty for other fields): “OPD pengguna lain” means OPDs besides the owner."""
    field = type(obj)._meta.get_field(field_name)
    if not (field.many_to_many and field.related_model is Department) or not obj.department_id:
        return []
    if not any(getattr(target, "pk", target) == obj.department_id for target in targets):
        return []
    return [_("%(opd)s adalah OPD pemilik %(kind)s ini; %(field)s hanya untuk OPD selain pemiliknya.") % {
        "opd": obj.department.abbreviation, "kind": type(obj)._meta.verbose_name.lower(),
        "field": field.verbose_name,
    }]


def scoped_or_current(queryset, current_ids):
    """``queryset`` plus the rows an object already holds (so an edit shows, and may keep, its value)."""
    current_ids = [pk for pk in current_ids if pk]
    if not current_ids:
        return queryset
    model = queryset.model
    return model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=current_ids)).select_related(
        *(["department"] if model is WorkUnit else [])
    ).order_by(*queryset.query.order_by)
