"""Column kinds: one class per way a cell is written and read.

Each kind knows everything the exchange needs about its cells: the header comment (``hint``), the
template's dropdown (``options``), the export (``prefetch`` + ``export``), what an upload must load
up front (``related_paths``, ``preload``) and how a cell is parsed, checked and applied to the row's
object (``read``; problems are raised as :class:`CellError`, which the importer reports with the
sheet, row and column). ``columns.column_class`` picks the kind of each model field; a new kind is a
new subclass listed in ``KINDS`` (the round-trip test then covers it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.reference.lookup import split_reference

from .cells import (
    CellError, clean_text, is_blank, normalize_key, parse_bool, parse_date, parse_decimal, parse_int, split_list,
)
from .formats import bool_label, choice_label, join_list, reference_label, unit_label

CHUNK = 900
FUNCTION_SHEET = "Fungsi OPD"  # the sheet listing each OPD's fungsi with their numbers
# Headers of the templates in circulation that name a common field differently.
ALIASES = {
    "code": ("kode", "kode id", "id objek"),
    "department": ("opd", "nama opd", "skpd", "perangkat daerah opd", "pd"),
    "description": ("deskripsi", "keterangan"),
    "reference": ("kode referensi", "referensi arsitektur"),
    "state": ("kondisi as is to be", "as is to be"),
    "status": ("status",),
}


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True)
class SheetColumn:
    """One column of a domain sheet; subclasses are the kinds."""

    name: str  # model field name
    label: str  # capitalised verbose name
    required: bool
    field: models.Field
    help: str = ""
    catalog: str = ""  # references: the picker's catalog
    min_level: int = 0
    max_level: int | None = None

    kind: ClassVar[str] = ""
    width: ClassVar[int] = 22
    many: ClassVar[bool] = False  # links to several rows, written to ``row.links``
    imported: ClassVar[bool] = True  # False: exported for information, ignored on upload

    @property
    def header(self) -> str:
        return f"{self.label} *" if self.required else self.label

    @property
    def target(self):
        return self.field.related_model

    def aliases(self) -> set[str]:
        return {normalize_key(self.label), normalize_key(self.name), normalize_key(self.name.replace("_", " "))} | {
            normalize_key(alias) for alias in ALIASES.get(self.name, ())}

    # --- template: header comment and dropdown ------------------------------------------------
    def instructions(self) -> str:
        return ""

    def help_text(self) -> str:
        return self.help

    def hint(self) -> str:
        """How to fill a column in, for the header comment and the instructions sheet."""
        parts = [part for part in (self.help_text(), self.instructions()) if part]
        if self.required:
            parts.insert(0, _("Wajib diisi untuk baris baru."))
        return " ".join(parts)

    def options(self, user, institution) -> list[str]:
        """What the template's dropdown offers this user (empty: no dropdown)."""
        return []

    # --- export -------------------------------------------------------------------------------------
    def related_paths(self) -> list[str]:
        """select_related paths so that export and the model's clean() read this column without queries."""
        return []

    def prefetch(self, objects, reader):
        """What ``export`` needs for a chunk of objects, loaded with a constant number of queries."""
        return None

    def export(self, obj, context=None):
        value = getattr(obj, self.field.attname)
        return None if value == "" else value

    # --- upload ---------------------------------------------------------------------------------------
    def preload(self, lookups, model, cells, codes, references) -> None:
        """Notes the IDs and reference codes ``cells`` name, so that ``Lookups`` loads them at once."""

    def read(self, row, value, lookups) -> bool:
        """Parses one cell into the row's object; True when it changes what the object holds."""
        field = self.field
        if is_blank(value):
            if row.creating and self.required:
                raise CellError(_("Wajib diisi untuk baris baru."))
            if not field.blank and field.has_default():
                return False  # keeps the current value, or the default of a new row
            if self.keeps_blank(row, lookups):
                return False
            return self.apply(row, None if (field.null or field.is_relation) else "")
        new = self.parse(value, row, lookups)
        if self.unchanged(row.instance, new):
            return False
        return self.apply(row, new)

    def keeps_blank(self, row, lookups) -> bool:
        """An empty cell leaves the current value alone (instead of clearing it)."""
        return False

    def parse(self, value, row, lookups):
        """The Python value of a non-empty cell; raises CellError with a message for the user."""
        raise NotImplementedError

    def unchanged(self, obj, new) -> bool:
        return False

    def apply(self, row, new) -> bool:
        obj, field = row.instance, self.field
        before = getattr(obj, field.attname)
        if field.is_relation and new is not None:
            setattr(obj, field.name, new)
        else:
            setattr(obj, field.attname, new)
        return before != getattr(obj, field.attname)


class CodeColumn(SheetColumn):
    """The object's ID; read by the importer to find the row's object."""

    kind = "code"
    imported = False

    def help_text(self) -> str:
        return ""  # the model's help text names one domain's IDs; each sheet shows its own prefix

    def instructions(self) -> str:
        example = f"{self.field.model.spec.code_prefix}-<{_('SINGKATAN OPD')}>-001"
        return _("Unik dalam instansi. Kosongkan untuk objek baru (ID dibuat otomatis, mis. %(example)s) atau tulis ID "
                 "baru; ID yang sudah ada berarti baris ini memperbarui objek tersebut.") % {"example": example}

    def preload(self, lookups, model, cells, codes, references) -> None:
        codes[model].update(clean_text(v).upper() for v in cells if clean_text(v))

    def parse(self, value, row=None, lookups=None):
        return clean_text(value).upper()


class TextColumn(SheetColumn):
    kind = "text"
    width = 40

    def parse(self, value, row, lookups):
        return clean_text(value)

    def unchanged(self, obj, new) -> bool:
        return clean_text(getattr(obj, self.field.name)) == new


class ChoiceColumn(SheetColumn):
    """A choices field, by label (or stored value)."""

    kind = "choice"

    def instructions(self) -> str:
        return _("Salah satu dari: %(choices)s.") % {
            "choices": ", ".join(str(label) for _value, label in self.field.choices or ())}

    def options(self, user, institution) -> list[str]:
        return [str(label) for _value, label in self.field.flatchoices]

    def export(self, obj, context=None):
        return choice_label(self.field, getattr(obj, self.field.attname)) or None

    def parse(self, value, row, lookups):
        key = normalize_key(value)
        for stored, label in self.field.flatchoices:
            if key in (normalize_key(stored), normalize_key(label)):
                return stored
        raise CellError(_("“%(value)s” bukan pilihan %(field)s; pilih salah satu: %(choices)s.") % {
            "value": clean_text(value), "field": self.field.verbose_name,
            "choices": ", ".join(str(label) for _stored, label in self.field.flatchoices)})


class ReadOnlyColumn(ChoiceColumn):
    """Exported for information (the workflow status), ignored on upload."""

    kind = "readonly"
    imported = False

    def instructions(self) -> str:
        return _("Hanya informasi; diabaikan saat diunggah.")

    def options(self, user, institution) -> list[str]:
        return []

    def export(self, obj, context=None):
        if self.field.choices:
            return super().export(obj, context)
        return SheetColumn.export(self, obj, context)

    def parse(self, value, row, lookups):
        return super().parse(value, row, lookups) if self.field.choices else clean_text(value)


class FlagColumn(SheetColumn):
    kind = "bool"

    def instructions(self) -> str:
        return _("Ya atau Tidak.")

    def options(self, user, institution) -> list[str]:
        return [_("Ya"), _("Tidak")]

    def export(self, obj, context=None):
        return bool_label(getattr(obj, self.field.attname))

    def parse(self, value, row, lookups):
        return parse_bool(value)


class IntegerColumn(SheetColumn):
    kind = "int"

    def instructions(self) -> str:
        return _("Bilangan bulat.")

    def parse(self, value, row, lookups):
        return parse_int(value)


class DecimalColumn(SheetColumn):
    kind = "decimal"

    def instructions(self) -> str:
        return _("Angka, mis. 12,5.")

    def parse(self, value, row, lookups):
        return parse_decimal(value)


class DateColumn(SheetColumn):
    kind = "date"

    def instructions(self) -> str:
        return _("Tanggal, mis. 17-08-2025 atau 17 Agustus 2025.")

    def parse(self, value, row, lookups):
        return parse_date(value)


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


def _target_labels(column, pks, reader) -> dict:
    """{pk: label} of the linked rows the reader may see."""
    result = {}
    for chunk in chunks(pks):
        for target in reader.visible(column.target.objects.filter(pk__in=chunk)):
            result[target.pk] = column.target_label(target)
    return result


class LinkColumn(RelatedColumn):
    """Another architecture object, by ID (a row of the same upload may be named)."""

    kind = "object"

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
        return _target_labels(self, wanted, reader)

    def export(self, obj, context=None):
        return context.get(getattr(obj, self.field.attname))

    def preload(self, lookups, model, cells, codes, references) -> None:
        codes[self.target].update(clean_text(v).upper() for v in cells if clean_text(v))

    def keeps_blank(self, row, lookups) -> bool:
        current = getattr(row.instance, self.field.attname)
        return current is not None and current not in lookups.visible_pks[self.target]  # a hidden link stays

    def parse(self, value, row, lookups):
        return lookups.linked_object(self.target, value)


def _natural(value):
    return (len(str(value)), str(value)) if str(value).isdigit() else (0, str(value))


class ManyColumn(SheetColumn):
    """A many-to-many field: several targets separated by ``;``; links the user cannot see are kept."""

    many = True
    width = 30

    def target_label(self, target) -> str:
        raise NotImplementedError

    def prefetch(self, objects, reader):
        field = self.field
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        pairs = defaultdict(list)
        for chunk in chunks([obj.pk for obj in objects]):
            for s, t in through.objects.filter(**{f"{source}__in": chunk}).values_list(source, target):
                pairs[s].append(t)
        wanted = {t for group in pairs.values() for t in group}
        return pairs, _target_labels(self, wanted, reader)

    def export(self, obj, context=None):
        pairs, labels = context
        names = [labels[pk] for pk in pairs.get(obj.pk, []) if pk in labels]
        return join_list(sorted(names, key=_natural)) or None

    def targets(self, row, value, lookups) -> list:
        raise NotImplementedError

    def read(self, row, value, lookups) -> bool:
        current = lookups.current_links(row.model, self.name, row.instance)
        visible = lookups.link_visible.get((row.model, self.name), set())
        preserved = {pk for pk in current if pk not in visible}
        row.links[self.name] = (self.targets(row, value, lookups), preserved)
        return row.link_pks(self.name) != current


class LinksColumn(ManyColumn):
    """Many architecture objects, by ID."""

    kind = "objects"

    def instructions(self) -> str:
        prefix = self.target.spec.code_prefix
        example = f"{prefix}-DISKOMINFOSAN-001; {prefix}-DISKOMINFOSAN-002"
        return _("Satu atau beberapa ID dipisah titik koma, mis. %(example)s; boleh ID baris lain di berkas ini.") % {
            "example": example}

    def target_label(self, target) -> str:
        return target.code

    def preload(self, lookups, model, cells, codes, references) -> None:
        codes[self.target].update(code.upper() for v in cells for code in split_list(v))

    def targets(self, row, value, lookups) -> list:
        targets, missing = [], []
        for code in split_list(value):
            try:
                targets.append(lookups.linked_object(self.target, code))
            except CellError as error:
                missing.append(str(error))
        if missing:
            raise CellError(" ".join(missing))
        return targets


class FunctionsColumn(ManyColumn):
    """Fungsi of the owning OPD, by their numbers in the ``Fungsi OPD`` sheet."""

    kind = "functions"

    def instructions(self) -> str:
        return _("Nomor fungsi OPD (lihat lembar “%(sheet)s”) dipisah titik koma, mis. 1; 3.") % {
            "sheet": FUNCTION_SHEET}

    def target_label(self, target) -> str:
        return str(target.order)

    def targets(self, row, value, lookups) -> list:
        obj = row.instance
        return lookups.functions(value, obj.department if obj.department_id else None)


KINDS = (CodeColumn, OwnerColumn, DepartmentColumn, ReferenceColumn, ValueListColumn, UnitColumn, LinkColumn,
         LinksColumn, FunctionsColumn, ChoiceColumn, FlagColumn, IntegerColumn, DecimalColumn, DateColumn, TextColumn,
         ReadOnlyColumn)
