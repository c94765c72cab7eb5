"""A small table helper: columns are declarations, cells are computed once per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .permissions import HIDDEN, LinkReader


def _not_called(value) -> bool:
    """What a template would not call either: a model class, a manager, a method that alters data."""
    return (isinstance(value, type) or getattr(value, "do_not_call_in_templates", False)
            or getattr(value, "alters_data", False))


@dataclass
class Column:
    accessor: str
    label: Any = None
    link: bool = False
    render: Callable[[Any], Any] | None = None

    def header(self, model) -> Any:
        if self.label is not None:
            return self.label
        try:
            return model._meta.get_field(self.accessor.split(".")[0]).verbose_name
        except FieldDoesNotExist:
            return self.accessor

    def value(self, row, reader: LinkReader | None = None) -> Any:
        """The cell's value; with a ``reader``, a related row the reader may not see (reached
        through the accessor or as the value) shows as “(tersembunyi)”."""
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

    def cell(self, row, reader: LinkReader | None = None):
        value = self.value(row, reader)
        if self.link and hasattr(row, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', row.get_absolute_url(), value)
        return value


class Table:
    """A page of rows; with a ``reader`` (``permissions.LinkReader``) related rows the reader may not
    see are not named, decided for the whole page at once."""

    def __init__(self, model, columns: list[Column], rows, reader: LinkReader | None = None):
        self.model = model
        self.columns = columns
        self.headers = [h if isinstance(h, SafeData) else capfirst(h) for h in (c.header(model) for c in columns)]
        rows = list(rows)
        if reader is not None:
            reader.prime(obj for row in rows for column in columns for obj in column.related(row))
        self.rows = [[c.cell(row, reader) for c in columns] for row in rows]

    def __len__(self):
        return len(self.rows)
