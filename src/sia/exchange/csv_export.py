"""CSV export of any list page: ``?format=csv`` with the page's filters gives every matching row
(not just one page) with the page's columns. Registered with ``sia.core.views.generic``."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.http import content_disposition_header

from sia.core.permissions import LinkReader
from sia.core.views.generic import register_list_export

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_columns(view) -> list:
    """The page's columns without selection boxes (a custom renderer on the primary key)."""
    return [column for column in view.columns if not (column.render and column.accessor == "pk")]


def csv_rows(view, queryset, reader: LinkReader):
    """The header and one row per object; related rows the reader may not see are not named (the
    page's rule, ``LinkReader``), decided a chunk of rows at a time."""
    columns = export_columns(view)
    yield [strip_tags(str(capfirst(column.header(view.model)))) for column in columns]
    chunk = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(columns, view.page_rows(chunk), reader)
            chunk = []
    yield from _chunk_rows(columns, view.page_rows(chunk), reader)


def _chunk_rows(columns, objects, reader):
    reader.prime(related for obj in objects for column in columns for related in column.related(obj))
    for obj in objects:
        yield [safe_cell(_text(column.value(obj, reader))) for column in columns]


def _text(value) -> str:
    return strip_tags(value) if isinstance(value, SafeData) else str(value)


def render_csv(view, request, queryset):
    writer = csv.writer(_Echo())
    rows = csv_rows(view, queryset, LinkReader(request.user))

    def stream():
        yield "\ufeff"  # Excel reads the file as UTF-8
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    name = f"{view.model._meta.model_name}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


register_list_export("csv", render_csv)
