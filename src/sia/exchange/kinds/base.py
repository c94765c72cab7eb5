"""The base of every column kind (``SheetColumn``) and what the kinds share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext as _

from ..cells import CellError, is_blank, normalize_key

READ_ONLY_FIELDS = ("status",)  # exported for information (the workflow status), ignored on upload
CHUNK = 900
FUNCTION_SHEET = "Fungsi OPD"  # the sheet listing each OPD's fungsi with their numbers
# Headers of the templates in circulation that name a common field differently.
ALIASES = {
    "code": ("kode", "kode id", "id objek"),
    "department": ("opd", "nama opd", "skpd", "perangkat daerah opd", "pd"),
    "description": ("deskripsi", "keterangan", "uraian", "uraian/deskripsi"),
    "reference": ("kode referensi", "referensi arsitektur"),
    "state": ("kondisi as is to be", "as is to be"),
    "status": ("status",),
}


INVERSE = "←"
INVERSE_KEY = "<- "  # how the reader tells a "←" header from the same words without the arrow (``reader``)


def header_key(text) -> str:
    """The reader's key of a header: a ``←`` header never matches a column by the same words without the arrow."""
    written = str(text).strip()
    key = normalize_key(written)
    return INVERSE_KEY + key if written.startswith((INVERSE, "<-")) else key


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True)
class Companion:
    """A reference sheet written next to the domain sheets, which a kind's cells point into."""

    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[tuple]


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
    also: tuple[str, ...] = ()  # other headers read as this column (an earlier template's, ``→ X (Dependency)``)

    kind: ClassVar[str] = ""
    width: ClassVar[int] = 22
    many: ClassVar[bool] = False  # links to several rows, written to ``row.links``
    imported: ClassVar[bool] = True  # False: exported for information, ignored on upload
    identifies: ClassVar[bool] = False  # the row's ID: the importer finds the row's object by it
    read_first: ClassVar[bool] = False  # read before the other cells, whose rules follow it (the owning OPD)
    follows: ClassVar[bool] = False  # a link whose target the model's rules walk: loaded with its own links
    number_format: ClassVar[str | None] = None  # Excel's display format of the exported cells

    @property
    def header(self) -> str:
        return f"{self.label} *" if self.required else self.label

    @property
    def target(self):
        return self.field.related_model

    def aliases(self) -> set[str]:
        return {normalize_key(self.label), normalize_key(self.name), normalize_key(self.name.replace("_", " "))} | {
            normalize_key(alias) for alias in ALIASES.get(self.name, ())} | {header_key(alias) for alias in self.also}

    @classmethod
    def handles(cls, field) -> bool:
        """Does this kind write and read ``field``? ``columns.column_class`` asks the kinds in ``KINDS`` order."""
        return False

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

    def dropdown_error(self) -> str:
        """What Excel says (as a warning) when a cell holds something the dropdown does not offer."""
        return _("Nilai ini tidak ada di daftar pilihan; SIA akan memeriksanya saat diunggah.")

    def companion(self, user, institution) -> Companion | None:
        """A sheet the workbook adds for this column (the numbered fungsi of each OPD); one per title."""
        return None

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


def target_labels(column, pks, reader) -> dict:
    """{pk: label} of the linked rows the reader may see."""
    result = {}
    for chunk in chunks(pks):
        for target in reader.visible(column.target.objects.filter(pk__in=chunk)):
            result[target.pk] = column.target_label(target)
    return result


def relation_to(field, label: str, *, many: bool = False) -> bool:
    """Is ``field`` a foreign key (a many-to-many with ``many``) to the model ``label`` names ("app.Model")?"""
    linked = field.many_to_many if many else field.many_to_one
    return bool(linked) and field.related_model._meta.label == label


def relation_to_objects(field, *, many: bool = False) -> bool:
    """Is ``field`` a foreign key (a many-to-many with ``many``) to an architecture object?"""
    from sia.architecture.models import ArchitectureObject

    linked = field.many_to_many if many else field.many_to_one
    return bool(linked) and issubclass(field.related_model, ArchitectureObject)
