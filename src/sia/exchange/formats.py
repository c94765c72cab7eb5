"""How related objects and choices are written in a cell; the reader accepts the same forms back."""

from __future__ import annotations

from django.utils.translation import gettext as _


def reference_label(node) -> str:
    """``RAB.09.06.06 Penyelenggaraan Kearsipan``, the convention of the templates in circulation."""
    return f"{node.code} {node.name}"


def unit_label(unit) -> str:
    return f"{unit.department.abbreviation}: {unit.name}"


def bool_label(value) -> str:
    return _("Ya") if value else _("Tidak")


def choice_label(field, value) -> str:
    return str(dict(field.flatchoices).get(value, value or ""))


def join_list(items) -> str:
    return "; ".join(str(item) for item in items)
