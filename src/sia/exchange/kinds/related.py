"""Kinds of cells naming one related row: an OPD, a reference node, a value, a unit, another object."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.reference.lookup import split_reference

from ..cells import CellError, clean_text
from ..formats import reference_label, unit_label
from .base import SheetColumn, relation_to, relation_to_objects, target_labels


class RelatedColumn(SheetColumn):
    """A foreign key written by a natural key of the related row."""

    def current(self, obj):
        return getattr(obj, self.field.name) if getattr(obj, self.field.attname) is not None else None

    def label_of(self, related) -> str:
        return str(related)

    def export(self, obj, context=None):
        related = self.current(obj)
        return None if related is None else self.label_of(related)


class DepartmentColumn(RelatedColumn):
    """An OPD other than the owner, by abbreviation."""

    kind = "department"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "organizations.Department")

    def instructions(self) -> str:
        return _("Singkatan OPD dari daftar pilihan.")

    def options(self, user, institution) -> list[str]:
        from sia.architecture import scopes

        return [d.abbreviation for d in scopes.allowed_departments(self.field, institution, user)]

    def related_paths(self) -> list[str]:
        return [self.name]

    def label_of(self, related) -> str:
        return related.abbreviation

    def parse(self, value, row, lookups):
        return lookups.department(value, owner=False, current=self.current(row.instance))


class OwnerColumn(DepartmentColumn):
    """The owning OPD: read first (other columns follow its rules), never moved by an upload."""

    kind = "owner"

    @classmethod
    def handles(cls, field) -> bool:
        return field.name == "department" and relation_to(field, "organizations.Department")
    read_first = True

    def related_paths(self) -> list[str]:
        return []  # always selected (``lookups.object_paths``)

    def keeps_blank(self, row, lookups) -> bool:
        return not row.creating

    def parse(self, value, row, lookups):
        obj = row.instance
        department = lookups.department(value, owner=True, current=self.current(obj))
        if not row.creating and department.pk != obj.department_id:
            raise CellError(_("OPD objek yang sudah ada tidak dapat dipindah melalui unggahan (sekarang %(opd)s).")
                            % {"opd": obj.department.abbreviation})
        return department

    def apply(self, row, new) -> bool:
        changed = super().apply(row, new)
        if new is not None:
            row.instance.institution_id = new.institution_id
        return changed


class ReferenceColumn(RelatedColumn):
    """A reference node, ``RAB.09.06.03 Nama`` (the code alone is enough)."""

    kind = "reference"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "reference.ReferenceNode")
    width = 45

    def instructions(self) -> str:
        return _("Kode referensi dari daftar pilihan, mis. “RAB.09.06.06 Penyelenggaraan Kearsipan”; kode saja juga "
                 "diterima.")

    def options(self, user, institution) -> list[str]:
        from sia.reference.models import ReferenceNode

        nodes = ReferenceNode.objects.current().of_catalog(self.catalog).for_institution(institution)
        nodes = nodes.at_levels(self.min_level or 1, self.max_level)
        return [reference_label(n) for n in permissions.visible(user, nodes).order_by("code").only("code", "name")]

    def related_paths(self) -> list[str]:
        return [f"{self.name}__version__catalog"]

    def label_of(self, related) -> str:
        return reference_label(related)

    def preload(self, lookups, model, cells, codes, references) -> None:
        references[self.name].update(filter(None, (split_reference(clean_text(v))[0] for v in cells)))

    def parse(self, value, row, lookups):
        return lookups.reference(self, value, self.current(row.instance))


class ValueListColumn(RelatedColumn):
    """An item of one of the instansi's editable value lists, by name."""

    kind = "value"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "architecture.ValueListItem")

    def instructions(self) -> str:
        return _("Salah satu nilai dari daftar pilihan.")

    def options(self, user, institution) -> list[str]:
        from sia.architecture.models import ValueListItem

        items = ValueListItem.objects.filter(institution=institution).complex_filter(self.field.get_limit_choices_to())
        return [i.name for i in permissions.visible(user, items)]

    def related_paths(self) -> list[str]:
        return [self.name]

    def preload(self, lookups, model, cells, codes, references) -> None:
        if self.field not in lookups.values:
            lookups.load_values(self.field)

    def parse(self, value, row, lookups):
        return lookups.value(self.field, value, self.current(row.instance))


class UnitColumn(RelatedColumn):
    """A unit kerja, ``ABBR: Nama unit``; which OPD's units follows ``sia.architecture.scopes``."""

    kind = "unit"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "organizations.WorkUnit")
    width = 35

    def help_text(self) -> str:
        from sia.architecture.scopes import OWN, unit_rule

        opd_field = unit_rule(self.field.model, self.name)
        if opd_field == OWN:
            return _("Unit kerja OPD pemilik baris ini.")
        return _("Unit kerja OPD pada kolom “%(column)s”; bila kolom itu kosong, unit kerja OPD pemilik.") % {
            "column": capfirst(str(self.field.model._meta.get_field(opd_field).verbose_name))}

    def instructions(self) -> str:
        return _("Unit kerja dari daftar pilihan, ditulis “SINGKATAN OPD: Nama unit”.")

    def options(self, user, institution) -> list[str]:
        from sia.architecture import scopes

        # A template row may name any of the OPDs the unit's rule allows: the union of their units.
        return sorted(unit_label(u) for u in scopes.allowed_units(self.field, None, institution, user))

    def related_paths(self) -> list[str]:
        return [f"{self.name}__department"]

    def label_of(self, related) -> str:
        return unit_label(related)

    def parse(self, value, row, lookups):
        from sia.architecture import scopes
        from sia.organizations.models import Department

        obj = row.instance
        departments = [getattr(obj, f.name) for f in obj._meta.concrete_fields
                       if f.many_to_one and f.related_model is Department and getattr(obj, f.attname)]
        rule_id = scopes.unit_department_id(row.model, self.name, lambda n: getattr(obj, f"{n}_id", None))
        departments.sort(key=lambda department: department.pk != rule_id)
        return lookups.unit(value, departments, self.current(obj))


class LinkColumn(RelatedColumn):
    """Another architecture object, by ID (a row of the same upload may be named)."""

    kind = "object"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to_objects(field)
    follows = True

    def example(self) -> str:
        return f"{self.target.spec.code_prefix}-DISKOMINFOSAN-001"

    def instructions(self) -> str:
        return _("ID objek, mis. %(example)s; boleh ID baris lain di berkas ini.") % {"example": self.example()}

    def options(self, user, institution) -> list[str]:
        objects = permissions.visible(user, self.target.objects.filter(institution=institution))
        return sorted(objects.values_list("code", flat=True))

    def target_label(self, target) -> str:
        return target.code

    def prefetch(self, objects, reader):
        wanted = {getattr(obj, self.field.attname) for obj in objects} - {None}
        return target_labels(self, wanted, reader)

    def export(self, obj, context=None):
        return context.get(getattr(obj, self.field.attname))

    def preload(self, lookups, model, cells, codes, references) -> None:
        codes[self.target].update(clean_text(v).upper() for v in cells if clean_text(v))

    def keeps_blank(self, row, lookups) -> bool:
        current = getattr(row.instance, self.field.attname)
        return current is not None and current not in lookups.visible_pks[self.target]  # a hidden link stays

    def parse(self, value, row, lookups):
        return lookups.linked_object(self.target, value)
