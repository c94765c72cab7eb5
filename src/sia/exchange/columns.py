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
field, and an application holds two links to data); ``→ X (Dependency)`` is read there too, and their sheets close
with the ``←`` columns of the kind groups linking to them (``← Keamanan`` on Aplikasi and Data).

Every column also reads the headers the AS-IS templates give it (``sia.exchange.data.asis_aliases``: “Nama Server”,
“Kapasitas Memori”, ``→ Perangkat Keras Server``), unless another column of the sheet already answers to them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sia.architecture.registry import domain_models

from .cells import normalize_key
from .data import asis_aliases
from .kinds import ALIASES, FUNCTION_SHEET, KINDS, READ_ONLY_FIELDS, SheetColumn  # noqa: F401 (the column API)
from .kinds import InverseColumn, dependency_header, header_key, inverse_columns, kind_label


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
    columns += inverse_columns(model)
    columns = _with_template_headers(model, columns, single_links=_single_links(model, dependencies))
    title = str(model._meta.verbose_name_plural)[:31]
    return SheetSpec(model=model, title=title, columns=tuple(columns))


def kind_names(model) -> tuple[str, ...]:
    """What the templates in circulation call a kind: its label and its sheet names (``data.asis_aliases``)."""
    return (kind_label(model), *asis_aliases.SHEETS.get(model._meta.label, ()))


def _single_links(model, dependencies) -> set[str]:
    """The links among ``dependencies`` that are the sheet's only link to their target kind."""
    targets = [model._meta.get_field(name).related_model for name in dependencies]
    return {name for name, target in zip(dependencies, targets) if targets.count(target) == 1}


def _template_headers(model, column, single_links) -> tuple[str, ...]:
    """The headers of the AS-IS templates that mean ``column``: its names in ``data.asis_aliases.COLUMNS``,
    ``→ <target kind>`` for the sheet's only link to a kind and ``← <source kind>`` for a ``←`` column of one kind."""
    names = tuple(asis_aliases.COLUMNS.get(model._meta.label, {}).get(column.name, ()))
    if isinstance(column, InverseColumn):
        sources = {field.model for field in column.sources}
        if len(sources) == 1 and column.label.endswith(kind_label(*sources)):
            names += tuple(f"← {name}" for name in kind_names(*sources))
    elif column.name in single_links:
        names += tuple(f"→ {name}" for name in kind_names(column.field.related_model))
    return names


def _with_template_headers(model, columns, *, single_links) -> list[SheetColumn]:
    """``columns``, each also reading its headers of the AS-IS templates (``_template_headers``). A template header
    another column already answers to, or that would name two columns, is left out: it keeps its own meaning."""
    owner = {}
    for index, column in enumerate(columns):
        for key in column.aliases():
            owner.setdefault(key, index)
    offered = defaultdict(dict)  # key -> {column index: header}
    for index, column in enumerate(columns):
        for text in _template_headers(model, column, single_links):
            offered[header_key(text)].setdefault(index, text)
    added = defaultdict(list)
    for key, offers in offered.items():
        if len(offers) != 1:
            continue
        ((index, text),) = offers.items()
        if owner.get(key, index) == index:
            added[index].append(text)
    return [replace(column, also=column.also + tuple(added[index])) if added[index] else column
            for index, column in enumerate(columns)]


def _dependency_headers(model, names) -> dict[str, str]:
    """{field name: ``→ <target kind> (Dependency)``} of the declared links among ``names`` (the field's own label
    added where the sheet holds several links to one kind)."""
    from sia.architecture.linkspec import link_spec

    # The links every kind holds (``upgrades``: the as-is object a to-be upgrade develops) are no dependency: they
    # keep their own label, as on the business sheets.
    links = [model._meta.get_field(name) for name in names
             if link_spec(model, name) is not None and name not in model.COMMON_FORM_FIELDS]
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
