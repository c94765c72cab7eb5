"""A small table helper: columns are declarations, cells are computed once per row."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partialmethod
from inspect import getattr_static
from typing import Any, Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .permissions import HIDDEN, LinkReader
from .templatetags.sia_text import has_long_word


def _not_called(value) -> bool:
    """What a template would not call either: a model class, a manager, a method that alters data."""
    return (isinstance(value, type) or getattr(value, "do_not_call_in_templates", False)
            or getattr(value, "alters_data", False))


def _choice_field(model, accessor: str):
    """The model field with choices that ``accessor`` ends on through forward single links, when its display is
    Django's own ``get_<name>_display`` (a table then looks labels up in a dict made once per page); else None."""
    parts = accessor.split(".")
    meta = model._meta
    try:
        for part in parts[:-1]:
            field = meta.get_field(part)
            if not (field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete):
                return None
            meta = field.related_model._meta
        field = meta.get_field(parts[-1])
    except FieldDoesNotExist:
        return None
    if not field.concrete or not field.choices or field.is_relation:
        return None
    if not isinstance(getattr_static(meta.model, f"get_{field.name}_display", None), partialmethod):
        return None
    return field


@dataclass
class Column:
    accessor: str
    label: Any = None
    link: bool = False
    render: Callable[[Any], Any] | None = None
    # False: a cell of this column never holds a long unbroken word (a checkbox), so its width is not checked.
    wrap: bool = True

    def header(self, model) -> Any:
        if self.label is not None:
            return self.label
        try:
            return model._meta.get_field(self.accessor.split(".")[0]).verbose_name
        except FieldDoesNotExist:
            return self.accessor

    def value(self, row, reader: LinkReader | None = None, labels: dict | None = None) -> Any:
        """The cell's value; with a ``reader``, a related row the reader may not see (reached
        through the accessor or as the value) shows as “(tersembunyi)”. ``labels``: the choice labels of the
        field the accessor ends on (``Table`` makes them once per page), instead of ``get_<name>_display``."""
        if self.render:
            return self.render(row)
        target = row
        parts = self.accessor.split(".")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return ""
            if reader is not None and not reader.shows(target):
                return HIDDEN
        last = parts[-1]
        if labels is not None:
            value = getattr(target, last, "")
            value = labels.get(value, value)
        else:
            display = getattr(target, f"get_{last}_display", None)
            value = display() if callable(display) else getattr(target, last, "")
        if callable(value) and not _not_called(value):
            value = value()  # a method at the end of the path (``program.get_area_display``), as templates do
        if isinstance(value, bool):
            return _("Ya") if value else _("Tidak")
        if reader is not None and isinstance(value, models.Model) and not reader.shows(value):
            return HIDDEN
        return "" if value is None else value

    def related(self, row) -> list:
        """The related rows the accessor passes through or ends on (for ``LinkReader.prime``)."""
        if self.render:
            return []
        found, target = [], row
        for part in self.accessor.split("."):
            target = getattr(target, part, None)
            if not isinstance(target, models.Model):
                break
            found.append(target)
        return found

    def cell(self, row, reader: LinkReader | None = None, labels: dict | None = None):
        value = self.value(row, reader, labels)
        if self.link and hasattr(row, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', row.get_absolute_url(), value)
        return value


def _html(value, context) -> str:
    """``{{ value }}`` as a template writes it (escaped, dates and numbers localised)."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return html.escape(value)  # Django's ``escape`` without its lazy-argument wrapper (thousands per page)
    return render_value_in_context(value, context)


def _escaped(value) -> str:
    """``conditional_escape(value)``, plain text escaped without the lazy-argument wrapper."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return html.escape(value)
    return conditional_escape(value)


class Table:
    """A page of rows; with a ``reader`` (``permissions.LinkReader``) related rows the reader may not
    see are not named, decided for the whole page at once. ``body`` is the rows as ``<tbody>`` content, written
    here as ``generic/_table.html`` wrote them cell by cell (a ``wrap`` class on a cell with a long unbroken word),
    with what is the same for every row (a choice field's labels) looked up once per page."""

    def __init__(self, model, columns: list[Column], rows, reader: LinkReader | None = None):
        self.model = model
        self.columns = columns
        self.headers = [h if isinstance(h, SafeData) else capfirst(h) for h in (c.header(model) for c in columns)]
        rows = list(rows)
        if reader is not None:
            reader.prime(obj for row in rows for column in columns for obj in column.related(row))
        plan = []
        for column in columns:
            field = None if column.render else _choice_field(model, column.accessor)
            plan.append((column, {key: str(label) for key, label in field.flatchoices} if field is not None else None))
        context = Context()  # what ``{{ cell }}`` renders with: autoescape, localised dates and numbers
        self.rows, lines = [], []
        for row in rows:
            cells, parts = [], []
            for column, labels in plan:
                value = column.value(row, reader, labels)
                if column.link and hasattr(row, "get_absolute_url"):
                    inner = _escaped(value)
                    cell = text = mark_safe(f'<a href="{html.escape(row.get_absolute_url())}">{inner}</a>')
                    wrap = column.wrap and has_long_word(inner)  # the link's text: its tag holds no words
                else:
                    cell, wrap = value, column.wrap and has_long_word(value)
                    text = _html(value, context)
                cells.append(cell)
                parts.append(f'<td class="wrap">{text}</td>' if wrap else f"<td>{text}</td>")
            self.rows.append(cells)
            lines.append("<tr>" + "".join(parts) + "</tr>")
        self.body = mark_safe("".join(lines))

    def __len__(self):
        return len(self.rows)
