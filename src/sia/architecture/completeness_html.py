"""The completeness table (``completeness.CompletenessTable``) as the pages show it ("Kelengkapan", the home pages'
panels), written in Python: forty OPDs times a dozen kind groups through the template engine cost more than the
figures they show (50 ms of CPU, on every request after a change). The HTML is what the template it replaces
wrote (``tests/architecture/test_kept.py`` compares the two): every value escaped, numbers localized as the
template's ``{{ }}`` does."""

from __future__ import annotations

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


class _Writer:
    """Values as ``{{ value }}`` writes them (localized, then escaped), each distinct value once per table: the
    same counts, kind labels and warnings recur in every row."""

    def __init__(self):
        self.written: dict = {}

    def value(self, value) -> str:
        key = (int, value) if type(value) is int else str(value)
        found = self.written.get(key)
        if found is None:
            found = self.written[key] = escape(localize(value))
        return found

    def cell(self, position: int, cell) -> str:
        value, percent, parts = self.value, cell.percent, ""
        if cell.parts:
            kinds = " · ".join(f"{value(label)} {value(part.count)}" for label, part in cell.parts)
            parts = f'<br><small class="muted kinds">{kinds}</small>'
        warnings = "".join(f'<br><small class="warn">⚠ {value(warning)}</small>' for warning in cell.warnings)
        return (f'<td data-domain="{position}" data-group="{value(cell.group)}"><span class="num">{value(cell.count)}'
                '</span>' + ("" if percent is None else f' <small class="pct">{value(percent)}%</small>')
                + f"\n      {parts}\n      {warnings}</td>")


def table_html(table) -> SafeString:
    """The table's HTML: a head row of the kind groups, a row per OPD (its link, then each group's cell)."""
    writer = _Writer()
    labels = "".join(f"<th>{writer.value(label)}</th>" for label in table.labels)
    rows = []
    for department, cells in table.rows:
        abbreviation = writer.value(department.abbreviation)
        rows.append(f'\n    <tr data-department="{abbreviation}"><td><a href="{escape(department.get_absolute_url())}">'
                    f'{abbreviation}</a></td>\n    {"".join(writer.cell(i, cell) for i, cell in enumerate(cells))}</tr>\n  ')
    return mark_safe(f'\n<table class="list compact completeness">\n  <thead><tr><th>{escape(_("OPD"))}</th>{labels}'
                     f'</tr></thead>\n  <tbody>\n  {"".join(rows)}\n  </tbody>\n</table>\n')
