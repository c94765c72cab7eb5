"""The columns of a domain's sheet, derived from the model and its DomainSpec.

Every architecture domain gets one sheet: the ID (``code``) first, then the common fields and the
domain's ``form_fields`` in the order the forms show them, then read-only columns. A column's
header is the field's Indonesian ``verbose_name`` (``" *"`` when a new row must fill it in); the
parser matches headers by their normalised text, the field name, or the header with or without
the star, so reordered, re-cased or starred/unstarred columns still parse. Each column is an
instance of its kind (``sia.exchange.kinds``), chosen by ``column_class``. Links with attributes
get sheets of their own in their domain's workbook (``sia.exchange.relations``).

The sheets of a kind group (infrastruktur, keamanan) take the shape of the AS-IS templates in circulation
(``sia.exchange.kinds.inverse``): a link the object holds is headed ``→ <target kind> (Dependency)`` (its own
label is still read, so earlier files import), and export-only ``← <source kind>`` columns close the sheet
with what uses the object. The business domains keep their own headers (their templates name links by the
field, and an application holds two links to data); ``→ X (Dependency)`` is read there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sia.architecture.registry import domain_models

from .cells import normalize_key
from .kinds import ALIASES, FUNCTION_SHEET, KINDS, READ_ONLY_FIELDS, SheetColumn  # noqa: F401 (the column API)
from .kinds import dependency_header, inverse_columns, kind_label


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
    dependencies = _dependency_headers(model, names)
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        kind = column_class(model, field)
        catalog, low, high = pickers.get(name, ("", 0, None))
        label, help_text, also = capfirst(str(field.verbose_name)), str(field.help_text or ""), ()
        if name in dependencies and spec.group is not None:
            label, also = dependencies[name], (label,)
            help_text = " ".join(filter(None, (_link_meaning(model, field), help_text)))
        elif name in dependencies:
            also = (dependencies[name],)
        columns.append(kind(
            name=name, label=label, required=is_required(field), field=field, help=help_text, catalog=catalog,
            min_level=low, max_level=high, also=also,
        ))
    if spec.group is not None:
        columns += inverse_columns(model)
    title = str(model._meta.verbose_name_plural)[:31]
    return SheetSpec(model=model, title=title, columns=tuple(columns))


def _dependency_headers(model, names) -> dict[str, str]:
    """{field name: ``→ <target kind> (Dependency)``} of the declared links among ``names`` (the field's own label
    added where the sheet holds several links to one kind)."""
    from sia.architecture.linkspec import link_spec

    links = [model._meta.get_field(name) for name in names if link_spec(model, name) is not None]
    links = [field for field in links if field.many_to_one or field.many_to_many]
    targets = [field.related_model for field in links]
    shared = {target for target in targets if targets.count(target) > 1}
    return {
        field.name: dependency_header(kind_label(field.related_model),
                                      capfirst(str(field.verbose_name)) if field.related_model in shared else "")
        for field in links
    }


def _link_meaning(model, field) -> str:
    """What a ``→`` column holds, for its header comment: “Fasilitas komputasi dilayani: perangkat jaringan ini
    melayani fasilitas komputasi.”"""
    from sia.architecture.linkspec import link_spec

    link = link_spec(model, field.name)
    return _("%(field)s: %(kind)s ini %(meaning)s %(target)s.") % {
        "field": capfirst(str(field.verbose_name)), "kind": str(model._meta.verbose_name).lower(),
        "meaning": link.meaning, "target": str(field.related_model._meta.verbose_name).lower()}


def sheets(models_=None) -> list[SheetSpec]:
    return [sheet_for(model) for model in (models_ or domain_models())]


def column_hint(column: SheetColumn) -> str:
    """How to fill a column in, for the header comment and the instructions sheet."""
    return column.hint()
