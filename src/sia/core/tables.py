"""A small table helper: columns are declarations, cells are computed once per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


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

    def value(self, row) -> Any:
        if self.render:
            return self.render(row)
        target = row
        parts = self.accessor.split(".")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return ""
        last = parts[-1]
        display = getattr(target, f"get_{last}_display", None)
        value = display() if callable(display) else getattr(target, last, "")
        if isinstance(value, bool):
            return _("Ya") if value else _("Tidak")
        return "" if value is None else value

    def cell(self, row):
        value = self.value(row)
        if self.link and hasattr(row, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', row.get_absolute_url(), value)
        return value


class Table:
    def __init__(self, model, columns: list[Column], rows):
        self.model = model
        self.columns = columns
        self.headers = [h if isinstance(h, SafeData) else capfirst(h) for h in (c.header(model) for c in columns)]
        self.rows = [[c.cell(row) for c in columns] for row in rows]

    def __len__(self):
        return len(self.rows)
