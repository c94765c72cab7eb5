"""Kinds of plain cells: the ID, text, choices, flags, numbers and dates."""

from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils.translation import gettext as _

from ..cells import CellError, clean_text, normalize_key, parse_bool, parse_date, parse_decimal, parse_int
from ..formats import bool_label, choice_label
from .base import READ_ONLY_FIELDS, SheetColumn


class CodeColumn(SheetColumn):
    """The object's ID; read by the importer to find the row's object."""

    kind = "code"

    @classmethod
    def handles(cls, field) -> bool:
        return field.name == "code"
    imported = False
    identifies = True

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

    @classmethod
    def handles(cls, field) -> bool:
        return isinstance(field, (models.CharField, models.TextField))
    width = 40

    def parse(self, value, row, lookups):
        return clean_text(value)

    def unchanged(self, obj, new) -> bool:
        return clean_text(getattr(obj, self.field.name)) == new


class ChoiceColumn(SheetColumn):
    """A choices field, by label (or stored value)."""

    kind = "choice"

    @classmethod
    def handles(cls, field) -> bool:
        return not field.is_relation and bool(field.choices)

    def instructions(self) -> str:
        return _("Salah satu dari: %(choices)s.") % {
            "choices": ", ".join(str(label) for _value, label in self.field.choices or ())}

    def options(self, user, institution) -> list[str]:
        return [str(label) for _value, label in self.field.flatchoices]

    def export(self, obj, context=None):
        return choice_label(self.field, getattr(obj, self.field.attname)) or None

    @cached_property
    def _stored_by_key(self) -> dict:
        """Each choice's stored value under the keys of its stored value and label, the first choice winning (the
        column is cached per language: ``columns.sheet_for``)."""
        found = {}
        for stored, label in self.field.flatchoices:
            found.setdefault(normalize_key(stored), stored)
            found.setdefault(normalize_key(label), stored)
        return found

    def parse(self, value, row, lookups):
        key = normalize_key(value)
        if key in self._stored_by_key:
            return self._stored_by_key[key]
        raise CellError(_("“%(value)s” bukan pilihan %(field)s; pilih salah satu: %(choices)s.") % {
            "value": clean_text(value), "field": self.field.verbose_name,
            "choices": ", ".join(str(label) for _stored, label in self.field.flatchoices)})


class ReadOnlyColumn(ChoiceColumn):
    """Exported for information (the workflow status), ignored on upload."""

    kind = "readonly"

    @classmethod
    def handles(cls, field) -> bool:
        return field.name in READ_ONLY_FIELDS
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

    @classmethod
    def handles(cls, field) -> bool:
        return isinstance(field, models.BooleanField)

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

    @classmethod
    def handles(cls, field) -> bool:
        return isinstance(field, models.IntegerField)  # small, big and positive ones too

    def instructions(self) -> str:
        return _("Bilangan bulat.")

    def parse(self, value, row, lookups):
        return parse_int(value)


class DecimalColumn(SheetColumn):
    kind = "decimal"

    @classmethod
    def handles(cls, field) -> bool:
        return isinstance(field, (models.DecimalField, models.FloatField))

    def instructions(self) -> str:
        return _("Angka, mis. 12,5.")

    def parse(self, value, row, lookups):
        return parse_decimal(value)


class DateColumn(SheetColumn):
    kind = "date"

    @classmethod
    def handles(cls, field) -> bool:
        return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    number_format = "DD-MM-YYYY"

    def instructions(self) -> str:
        return _("Tanggal, mis. 17-08-2025 atau 17 Agustus 2025.")

    def parse(self, value, row, lookups):
        return parse_date(value)
