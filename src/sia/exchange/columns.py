"""The columns of a domain's sheet, derived from the model and its DomainSpec.

Every architecture domain gets one sheet: the ID (``code``) first, then the common fields and the
domain's ``form_fields`` in the order the forms show them, then read-only columns. A column's
header is the field's Indonesian ``verbose_name`` (``" *"`` when a new row must fill it in); the
parser matches headers by their normalised text, the field name, or the header with or without
the star, so reordered, re-cased or starred/unstarred columns still parse. Each column is an
instance of its kind (``sia.exchange.kinds``), chosen by ``column_class``. Links with attributes
get sheets of their own in their domain's workbook (``sia.exchange.relations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst
from django.utils.translation import get_language

from sia.architecture.registry import domain_models

from .cells import normalize_key
from .kinds import ALIASES, FUNCTION_SHEET, KINDS, READ_ONLY_FIELDS, SheetColumn  # noqa: F401 (the column API)


@dataclass(frozen=True)
class SheetSpec:
    model: type
    title: str
    columns: tuple[SheetColumn, ...]

    relation: ClassVar[bool] = False  # a sheet of links with attributes (``sia.exchange.relations``)

    @property
    def domain(self) -> str:
        """The slug of the domain whose objects the sheet holds (or whose workbook holds it)."""
        return self.model.spec.slug

    def code_of(self, obj) -> str:
        """How the preview names a row's object."""
        return obj.code or ""

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


def column_class(model, field) -> type[SheetColumn]:
    """The column kind (a ``SheetColumn`` subclass of ``sia.exchange.kinds``) that writes and reads ``field``:
    the first of ``KINDS`` that ``handles`` it."""
    for kind in KINDS:
        if kind.handles(field):
            return kind
    raise ImproperlyConfigured(
        f"{getattr(model, '__name__', model)}.{field.name} ({type(field).__name__}) has no spreadsheet column kind; "
        "add one to sia.exchange.kinds."
    )


def is_required(field) -> bool:
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
        kind = column_class(model, field)
        catalog, low, high = pickers.get(name, ("", 0, None))
        columns.append(kind(
            name=name, label=capfirst(str(field.verbose_name)), required=is_required(field), field=field,
            help=str(field.help_text or ""), catalog=catalog, min_level=low, max_level=high,
        ))
    title = str(model._meta.verbose_name_plural)[:31]
    return SheetSpec(model=model, title=title, columns=tuple(columns))


def sheets(models_=None) -> list[SheetSpec]:
    return [sheet_for(model) for model in (models_ or domain_models())]


def column_hint(column: SheetColumn) -> str:
    """How to fill a column in, for the header comment and the instructions sheet."""
    return column.hint()
