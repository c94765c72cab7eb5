"""The columns of a domain's sheet, derived from the model and its DomainSpec.

Every architecture domain gets one sheet: the ID (``code``) first, then the common fields and the
domain's ``form_fields`` in the order the forms show them, then read-only columns. A column's
header is the field's Indonesian ``verbose_name`` (``" *"`` when a new row must fill it in); the
parser matches headers by their normalised text, the field name, or the header with or without
the star, so reordered, re-cased or starred/unstarred columns still parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sia.architecture.models import ArchitectureObject, ValueListItem
from sia.architecture.registry import domain_models
from sia.organizations.models import Department, DepartmentFunction, WorkUnit
from sia.reference.models import ReferenceNode

from .cells import normalize_key

# Column kinds: how a cell is written and read.
CODE = "code"  # the object's ID
OWNER = "owner"  # the owning OPD, by abbreviation
DEPARTMENT = "department"  # another OPD field, by abbreviation
REFERENCE = "reference"  # a reference node, "RAB.09.06.03 Nama"
VALUE = "value"  # an item of an editable value list, by name
UNIT = "unit"  # a unit kerja, "ABBR: Nama unit"
OBJECT = "object"  # another architecture object, by ID
OBJECTS = "objects"  # many architecture objects, IDs separated by ";"
FUNCTIONS = "functions"  # fungsi of the OPD, by their numbers
CHOICE = "choice"  # a choices field, by label
BOOL = "bool"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
TEXT = "text"
READONLY = "readonly"  # exported for information, ignored on upload

READ_ONLY_FIELDS = ("status",)
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
TEXT_FIELDS = (models.CharField, models.TextField)
INT_FIELDS = (models.IntegerField, models.SmallIntegerField, models.BigIntegerField, models.PositiveIntegerField,
              models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


@dataclass(frozen=True)
class SheetColumn:
    name: str  # model field name
    kind: str
    label: str  # capitalised verbose name
    required: bool
    field: models.Field
    help: str = ""
    catalog: str = ""  # REFERENCE: the picker's catalog
    min_level: int = 0
    max_level: int | None = None

    @property
    def header(self) -> str:
        return f"{self.label} *" if self.required else self.label

    @property
    def many(self) -> bool:
        return self.kind in (OBJECTS, FUNCTIONS)

    @property
    def target(self):
        return self.field.related_model

    def aliases(self) -> set[str]:
        return {normalize_key(self.label), normalize_key(self.name), normalize_key(self.name.replace("_", " "))} | {
            normalize_key(alias) for alias in ALIASES.get(self.name, ())}


@dataclass(frozen=True)
class SheetSpec:
    model: type
    title: str
    columns: tuple[SheetColumn, ...]

    def column(self, name: str) -> SheetColumn:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def aliases(self) -> set[str]:
        meta = self.model._meta
        spec = self.model.spec
        return {normalize_key(self.title), normalize_key(meta.verbose_name), normalize_key(meta.verbose_name_plural),
                normalize_key(spec.slug), normalize_key(spec.api_name), normalize_key(meta.model_name),
                normalize_key(spec.menu_label or "")} - {""}


def _kind(model, field) -> str:
    if field.name == "code":
        return CODE
    if field.name in READ_ONLY_FIELDS:
        return READONLY
    if field.many_to_many:
        if issubclass(field.related_model, ArchitectureObject):
            return OBJECTS
        if field.related_model is DepartmentFunction:
            return FUNCTIONS
    elif field.many_to_one:
        related = field.related_model
        if related is Department:
            return OWNER if field.name == "department" else DEPARTMENT
        if related is ReferenceNode:
            return REFERENCE
        if related is ValueListItem:
            return VALUE
        if related is WorkUnit:
            return UNIT
        if issubclass(related, ArchitectureObject):
            return OBJECT
    elif field.choices:
        return CHOICE
    elif isinstance(field, models.BooleanField):
        return BOOL
    elif isinstance(field, INT_FIELDS):
        return INT
    elif isinstance(field, (models.DecimalField, models.FloatField)):
        return DECIMAL
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return DATE
    elif isinstance(field, TEXT_FIELDS):
        return TEXT
    raise ImproperlyConfigured(
        f"{model.__name__}.{field.name} ({type(field).__name__}) has no spreadsheet column kind; "
        "teach sia.exchange.columns to read and write it."
    )


def _required(field) -> bool:
    """A new row must fill in the column: not blank and without a default."""
    return not field.blank and not field.has_default() and field.name != "code"


def sheet_for(model) -> SheetSpec:
    """The sheet layout of one domain (cached per model and language)."""
    return _sheet_for(model, get_language())


@lru_cache(maxsize=None)
def _sheet_for(model, language) -> SheetSpec:
    spec = model.spec
    pickers = {name: (catalog, low, high) for name, catalog, low, high in spec.pickers()}
    names = ["code", "department"] + [n for n in model.COMMON_FORM_FIELDS if n not in ("code", "department")]
    names += [n for n in spec.form_fields if n not in names] + list(READ_ONLY_FIELDS)
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        kind = _kind(model, field)
        catalog, low, high = pickers.get(name, ("", 0, None))
        columns.append(SheetColumn(
            name=name, kind=kind, label=capfirst(str(field.verbose_name)), required=_required(field), field=field,
            help=str(field.help_text or ""), catalog=catalog, min_level=low, max_level=high,
        ))
    title = str(model._meta.verbose_name_plural)[:31]
    return SheetSpec(model=model, title=title, columns=tuple(columns))


def sheets(models_=None) -> list[SheetSpec]:
    return [sheet_for(model) for model in (models_ or domain_models())]


def column_hint(column: SheetColumn) -> str:
    """How to fill a column in, for the header comment and the instructions sheet."""
    hints = {
        CODE: _("Unik dalam instansi. Kosongkan untuk objek baru (ID dibuat otomatis, mis. %(example)s) atau tulis ID "
                "baru; ID yang sudah ada berarti baris ini memperbarui objek tersebut."),
        OWNER: _("Singkatan OPD dari daftar pilihan."),
        DEPARTMENT: _("Singkatan OPD dari daftar pilihan."),
        REFERENCE: _("Kode referensi dari daftar pilihan, mis. “RAB.09.06.06 Penyelenggaraan Kearsipan”; kode saja juga "
                     "diterima."),
        VALUE: _("Salah satu nilai dari daftar pilihan."),
        UNIT: _("Unit kerja dari daftar pilihan, ditulis “SINGKATAN OPD: Nama unit”."),
        OBJECT: _("ID objek, mis. %(example)s; boleh ID baris lain di berkas ini."),
        OBJECTS: _("Satu atau beberapa ID dipisah titik koma, mis. %(example)s; boleh ID baris lain di berkas ini."),
        FUNCTIONS: _("Nomor fungsi OPD (lihat lembar “%(sheet)s”) dipisah titik koma, mis. 1; 3."),
        CHOICE: _("Salah satu dari: %(choices)s."),
        BOOL: _("Ya atau Tidak."),
        INT: _("Bilangan bulat."),
        DECIMAL: _("Angka, mis. 12,5."),
        DATE: _("Tanggal, mis. 17-08-2025 atau 17 Agustus 2025."),
        TEXT: "",
        READONLY: _("Hanya informasi; diabaikan saat diunggah."),
    }
    example, help_text = "", column.help
    if column.kind == CODE:
        # The model's help text names one domain's IDs ("PB-..."); each sheet shows its own prefix.
        example, help_text = f"{column.field.model.spec.code_prefix}-<{_('SINGKATAN OPD')}>-001", ""
    elif column.kind in (OBJECT, OBJECTS):
        prefix = column.target.spec.code_prefix
        example = f"{prefix}-DISKOMINFOSAN-001" + (f"; {prefix}-DISKOMINFOSAN-002" if column.many else "")
    if column.kind == UNIT:
        # Which OPD's units the row may name: the rule of sia.architecture.scopes.
        from sia.architecture.scopes import OWN, unit_rule

        opd_field = unit_rule(column.field.model, column.name)
        if opd_field == OWN:
            help_text = _("Unit kerja OPD pemilik baris ini.")
        else:
            help_text = _("Unit kerja OPD pada kolom “%(column)s”; bila kolom itu kosong, unit kerja OPD pemilik.") % {
                "column": capfirst(str(column.field.model._meta.get_field(opd_field).verbose_name))}
    text = hints[column.kind] % {
        "example": example, "choices": ", ".join(str(label) for _value, label in column.field.choices or ()),
        "sheet": FUNCTION_SHEET,
    } if "%(" in hints[column.kind] else hints[column.kind]
    parts = [part for part in (help_text, text) if part]
    if column.required:
        parts.insert(0, _("Wajib diisi untuk baris baru."))
    return " ".join(parts)
