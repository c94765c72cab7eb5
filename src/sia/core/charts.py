"""Small server-rendered SVG charts: bars, stacked bars, a heat map and a line over labelled bands.

Each function lays its chart out here (plain arithmetic, tested without HTTP) and renders a template
under ``core/charts/`` to SVG markup that uses presentation attributes and CSS classes only: no
``style`` attributes, no scripts. The bars, stacked bars and heat map, which the home pages draw on every
view, write that markup in one pass instead (``bars_svg``, ``stacked_svg``, ``heat_svg``: the same markup as
their old templates, which the tests keep and compare). It returns a ``Chart``: the markup plus its
numbers as a table, which ``core/charts/chart.html`` shows beside the picture for screen readers and for
those who would rather read the figures. Texts arrive already formatted (the caller knows its units and decimals).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
ROW = 26
LABEL_WIDTH = 170
LABEL_CHARS = 24


@dataclass(frozen=True)
class Chart:
    """A chart's SVG markup and the same numbers as a table (``headers`` and ``rows`` of texts)."""

    name: str
    title: str
    svg: SafeString
    headers: list
    rows: list
    note: str = ""


@dataclass(frozen=True)
class Item:
    """One bar, one heat-map cell or one point: its value, its shown text and an optional CSS class."""

    label: str
    value: float | None
    text: str = ""
    css: str = ""
    href: str = ""
    key: str = ""  # a data-key attribute, so tests and scripts can find the row
    note: str = ""  # a further column of the data table (e.g. the predicate of an index)


def short(label: str, limit: int = LABEL_CHARS) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _render(template: str, name: str, title: str, **context) -> SafeString:
    return mark_safe(render_to_string(f"core/charts/{template}", {"name": name, "title": title, **context}))


def _scale(value: float, maximum: float, length: float) -> float:
    if not maximum or value is None:
        return 0.0
    return round(max(0.0, min(value, maximum)) / maximum * length, 1)


# --- horizontal bars ---------------------------------------------------------------------------


def bar_chart(name: str, title: str, items: list[Item], *, maximum: float | None = None,
              value_header: str = "", label_header: str = "") -> Chart:
    """One horizontal bar per item on a common track (``maximum``, default the largest value)."""
    maximum = maximum if maximum is not None else max((i.value or 0 for i in items), default=0) or 1
    track = WIDTH - LABEL_WIDTH - 170
    rows = []
    for position, item in enumerate(items):
        y = position * ROW
        rows.append({
            "item": item, "label": short(item.label), "y": y + 4, "text_y": y + ROW - 9,
            "width": _scale(item.value, maximum, track), "value_x": LABEL_WIDTH + track + 6,
        })
    svg = bars_svg(name, title, rows=rows, width=WIDTH, height=max(len(items), 1) * ROW, bar_x=LABEL_WIDTH,
                   track=track, label_x=LABEL_WIDTH - 6, bar_height=ROW - 10)
    table = [[item.label, item.text] for item in items]
    return Chart(name, title, svg, [label_header, value_header], table)


def _svg_open(name, title, width, height) -> str:
    e = conditional_escape
    return (f'<svg class="viz" role="img" aria-labelledby="{e(name)}-title" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" data-chart="{e(name)}">\n'
            f'<title id="{e(name)}-title">{e(title)}</title>\n')


def bars_svg(name, title, *, rows, width, height, bar_x, track, label_x, bar_height) -> SafeString:
    """The bar chart's SVG in one pass, character for character what its old template rendered
    (tests/core/charts_reference/bars.svg; ``tests/core/test_charts.py`` renders both): numbers unlocalized,
    every text escaped. The dashboards draw several of these on every view."""
    e = conditional_escape
    out = [_svg_open(name, title, width, height)]
    for row in rows:
        item = row["item"]
        label = e(row["label"])
        out.append(f'<g data-key="{e(item.key)}">\n' if item.key else "<g>\n")
        linked = f'<a href="{e(item.href)}">{label}</a>' if item.href else label
        out.append(f'<text x="{label_x}" y="{row["text_y"]}" text-anchor="end">{linked}</text>\n'
                   f'<rect class="viz-track" x="{bar_x}" y="{row["y"]}" width="{track}" height="{bar_height}" '
                   f'rx="3"/>\n')
        if row["width"]:
            out.append(f'<rect class="viz-bar {e(item.css)}" x="{bar_x}" y="{row["y"]}" width="{row["width"]}" '
                       f'height="{bar_height}" rx="3"><title>{e(item.label)}: {e(item.text)}</title></rect>')
        out.append(f'\n<text class="viz-value" x="{row["value_x"]}" y="{row["text_y"]}">{e(item.text)}</text>\n'
                   f'</g>')
    out.append("\n</svg>\n")
    return mark_safe("".join(out))


# --- stacked bars ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    css: str


def stacked_bar_chart(name: str, title: str, series: list[Series], rows: list[tuple[str, list[int]]], *,
                      label_header: str = "", total_header: str = "", text=None) -> Chart:
    """One bar per row split into its series, each row scaled to its own total (shares), counts shown as
    ``text(count)`` when given (e.g. with thousand separators), else as they are."""
    text = text or (lambda count: count)
    track = WIDTH - LABEL_WIDTH - 60
    laid = []
    for position, (label, counts) in enumerate(rows):
        total = sum(counts)
        y, x, segments = position * ROW, float(LABEL_WIDTH), []
        for serie, count in zip(series, counts):
            width = _scale(count, total, track)
            if width:
                shown = text(count)
                segments.append({"x": x, "width": width, "count": count, "text": shown, "serie": serie,
                                 "text_x": round(x + width / 2, 1), "shown": width >= max(22, 7 * len(str(shown)))})
            x += width
        laid.append({"label": short(label), "full": label, "y": y + 4, "text_y": y + ROW - 9, "total": total,
                     "total_text": text(total), "segments": segments})
    body = len(rows) * ROW
    legend, x, y = [], float(LABEL_WIDTH), body + 8
    for serie in series:
        step = 18 + 7 * len(serie.label) + 14
        if x > LABEL_WIDTH and x + step - 14 > WIDTH:  # the legend wraps rather than leave the picture
            x, y = float(LABEL_WIDTH), y + 18
        legend.append({"x": x, "y": y, "text_y": y + 10, "serie": serie})
        x += step
    svg = stacked_svg(name, title, rows=laid, legend=legend, width=WIDTH, height=y + 20, bar_x=LABEL_WIDTH,
                      track=track, label_x=LABEL_WIDTH - 6, total_x=LABEL_WIDTH + track + 6, bar_height=ROW - 10)
    table = [[label, *map(text, counts), text(sum(counts))] for label, counts in rows]
    return Chart(name, title, svg, [label_header, *[s.label for s in series], total_header], table)


def stacked_svg(name, title, *, rows, legend, width, height, bar_x, track, label_x, total_x,
                bar_height) -> SafeString:
    """The stacked bars' SVG in one pass, character for character what its old template rendered
    (tests/core/charts_reference/stacked.svg, compared in ``tests/core/test_charts.py``)."""
    e = conditional_escape
    out = [_svg_open(name, title, width, height)]
    for row in rows:
        full = e(row["full"])
        out.append(f'<g>\n<text x="{label_x}" y="{row["text_y"]}" text-anchor="end">{e(row["label"])}<title>{full}'
                   f'</title></text>\n<rect class="viz-track" x="{bar_x}" y="{row["y"]}" width="{track}" '
                   f'height="{bar_height}"/>\n')
        for segment in row["segments"]:
            serie, shown = segment["serie"], e(segment["text"])
            out.append(f'<rect class="{e(serie.css)}" x="{segment["x"]}" y="{row["y"]}" width="{segment["width"]}" '
                       f'height="{bar_height}"><title>{full} · {e(serie.label)}: {shown}</title></rect>')
            if segment["shown"]:
                out.append(f'<text class="viz-in" x="{segment["text_x"]}" y="{row["text_y"]}" '
                           f'text-anchor="middle">{shown}</text>')
            out.append("\n")
        out.append(f'<text class="viz-value" x="{total_x}" y="{row["text_y"]}">{e(row["total_text"])}</text>\n</g>')
    out.append("\n")
    for key in legend:
        serie = key["serie"]
        out.append(f'<rect class="{e(serie.css)}" x="{key["x"]}" y="{key["y"]}" width="12" height="12"/><text '
                   f'class="viz-legend" x="{int(key["x"]) + 16}" y="{key["text_y"]}">{e(serie.label)}</text>\n')
    out.append("</svg>\n")
    return mark_safe("".join(out))


# --- heat map ----------------------------------------------------------------------------------

HEAT_STEPS = ((0, "heat-0"), (25, "heat-1"), (50, "heat-2"), (75, "heat-3"), (100, "heat-4"))


def heat_class(value: float | None) -> str:
    """The colour class of a percentage: five steps (0-24, 25-49, 50-74, 75-99, 100) or none."""
    if value is None:
        return "heat-none"
    css = HEAT_STEPS[0][1]
    for floor, name in HEAT_STEPS:
        if value >= floor:
            css = name
    return css


def heat_map(name: str, title: str, columns: list[str], rows: list[tuple[Item, list[Item]]], *,
             legend: list[tuple[str, str]], label_header: str = "") -> Chart:
    """Rows × columns of coloured cells (``heat_class`` of each value) with their texts; a legend below.

    ``legend`` is [(css class, text)] in the order shown, e.g. the steps and "no objects yet".
    """
    cell = min(130, (WIDTH - LABEL_WIDTH) // max(len(columns), 1))
    top = 22
    laid = []
    for position, (head, cells) in enumerate(rows):
        y = top + position * ROW
        laid.append({
            "head": head, "label": short(head.label), "y": y, "text_y": y + ROW - 9,
            "cells": [{"item": c, "x": LABEL_WIDTH + i * cell, "text_x": LABEL_WIDTH + i * cell + cell // 2,
                       "css": c.css or heat_class(c.value)} for i, c in enumerate(cells)],
        })
    heads = [{"label": short(label, 18), "x": LABEL_WIDTH + i * cell + cell // 2} for i, label in enumerate(columns)]
    body = top + len(rows) * ROW
    keys, x = [], float(LABEL_WIDTH)
    for css, text in legend:
        keys.append({"x": x, "css": css, "text": text})
        x += 18 + 6.5 * len(text) + 12
    svg = heat_svg(name, title, rows=laid, heads=heads, keys=keys, width=WIDTH, height=body + 30, cell=cell,
                   cell_height=ROW - 2, legend_y=body + 10, label_x=LABEL_WIDTH - 6)
    table = [[head.label, *[c.text for c in cells]] for head, cells in rows]
    return Chart(name, title, svg, [label_header, *columns], table)


def heat_svg(name, title, *, rows, heads, keys, width, height, cell, cell_height, legend_y, label_x) -> SafeString:
    """The heat map's SVG, written here in one pass: a table of 60 OPDs × 8 domains is 480 cells, each with its
    title, text and colour, which the template engine took 20-40 ms to resolve on every dashboard. The markup is
    character for character what its old template (tests/core/charts_reference/heat.svg) renders from the same
    layout (numbers unlocalized, every text escaped; ``tests/core/test_charts.py`` renders both)."""
    e = conditional_escape
    out = [_svg_open(name, title, width, height)]
    for head in heads:
        out.append(f'<text class="viz-head" x="{head["x"]}" y="15" text-anchor="middle">{e(head["label"])}</text>\n')
    for row in rows:
        item = row["head"]
        label = e(row["label"])
        out.append(f'<g data-key="{e(item.key)}">\n' if item.key else "<g>\n")
        linked = f'<a href="{e(item.href)}">{label}</a>' if item.href else label
        head_label = e(item.label)
        out.append(f'<text x="{label_x}" y="{row["text_y"]}" text-anchor="end">{linked}<title>{head_label}</title>'
                   f'</text>\n')
        for c in row["cells"]:
            css, text = e(c["css"]), e(c["item"].text)
            out.append(f'<rect class="{css}" x="{c["x"]}" y="{row["y"]}" width="{int(cell) - 2}" '
                       f'height="{cell_height}"><title>{head_label} · {e(c["item"].label)}: {text}</title></rect>'
                       f'<text class="viz-in {css}-text" x="{c["text_x"]}" y="{row["text_y"]}" '
                       f'text-anchor="middle">{text}</text>\n')
        out.append("</g>")
    out.append("\n")
    for key in keys:
        css = e(key["css"])
        out.append(f'<rect class="{css}" x="{key["x"]}" y="{legend_y}" width="14" height="12"/><text '
                   f'class="viz-legend" x="{int(key["x"]) + 18}" y="{int(legend_y) + 10}">{e(key["text"])}</text>\n')
    out.append("</svg>\n")  # the template file's last line break
    return mark_safe("".join(out))


# --- line over bands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A horizontal range of the value axis with a name (a predicate), drawn behind the line."""

    lower: float
    upper: float
    label: str
    css: str = ""
    range_text: str = ""


def line_chart(name: str, title: str, points: list[Item], *, low: float, high: float, bands: list[Band] = (),
               ticks: list[tuple[float, str]] = (), label_header: str = "", value_header: str = "",
               band_header: str = "", note: str = "") -> Chart:
    """Values over ordered labels (years) as a line with dots and figures, over labelled bands."""
    left, right, top, height = 40, WIDTH - 130, 12, 200
    span = (high - low) or 1

    def y_of(value: float) -> float:
        return round(top + (high - min(max(value, low), high)) / span * height, 1)

    step = (right - left) / max(len(points), 1)
    laid = [{"item": p, "x": round(left + step * (i + 0.5), 1), "y": y_of(p.value)}
            for i, p in enumerate(points) if p.value is not None]
    band_rows = []
    for band in bands:
        y_top, y_bottom = y_of(band.upper), y_of(band.lower)
        band_rows.append({"band": band, "y": y_top, "height": round(y_bottom - y_top, 1),
                          "text_y": round((y_top + y_bottom) / 2 + 4, 1), "labelled": y_bottom - y_top >= 11})
    svg = _render(
        "line.svg", name, title, points=laid, bands=band_rows, width=WIDTH, height=top + height + 24,
        left=left, right=right, plot_width=right - left, top=top, bottom=top + height, label_x=right + 6,
        polyline=" ".join(f"{p['x']},{p['y']}" for p in laid),
        ticks=[{"y": y_of(t), "text": t_text} for t, t_text in ticks],
    )
    table = [[p.label, p.text, p.note] if band_header else [p.label, p.text] for p in points]
    headers = [label_header, value_header] + ([band_header] if band_header else [])
    return Chart(name, title, svg, headers, table, note)


# --- scatter over quadrants --------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One mark of a scatter chart: its position, its size step (1-5) and its row in the data table."""

    label: str
    x: float
    y: float
    size: int = 1
    css: str = ""
    href: str = ""
    key: str = ""
    cells: tuple = ()  # the further columns of its data-table row


@dataclass(frozen=True)
class Quadrant:
    """A labelled area of the plot behind the points (``x_from``..``x_to`` × ``y_from``..``y_to``)."""

    label: str
    x_from: float
    x_to: float
    y_from: float
    y_to: float
    css: str = ""


def spread(count: int, radius: float) -> list[tuple[float, float]]:
    """Offsets for ``count`` points that share one position: the first at the centre, the rest on rings
    around it (6 on the first ring, 12 on the next, ...), so that none hides another."""
    import math

    offsets, ring, placed = [(0.0, 0.0)], 1, 1
    while placed < count:
        slots = 6 * ring
        for slot in range(min(slots, count - placed)):
            angle = 2 * math.pi * slot / slots
            offsets.append((round(ring * radius * math.cos(angle), 1), round(ring * radius * math.sin(angle), 1)))
        placed += slots
        ring += 1
    return offsets[:count]


def scatter_chart(name: str, title: str, points: list[Point], *, low: float, high: float,
                  x_label: str = "", y_label: str = "", quadrants: list[Quadrant] = (),
                  ticks: list[tuple[float, str]] = (), headers: list = (), note: str = "") -> Chart:
    """Points on two axes of the same range (``low``..``high``), over labelled quadrants; a point's ``size``
    step sets its radius. Points at one position are spread around it (``spread``). The data table has a
    row per point: its label, then its ``cells``."""
    left, top, plot = 56, 12, 420
    span = (high - low) or 1
    pad = span * 0.08

    def x_of(value):
        return round(left + (value - low + pad) / (span + 2 * pad) * plot, 1)

    def y_of(value):
        return round(top + (high + pad - value) / (span + 2 * pad) * plot, 1)

    groups: dict = {}
    for point in points:
        groups.setdefault((point.x, point.y), []).append(point)
    laid = []
    for (x, y), group in groups.items():
        radius = 3 + max(p.size for p in group)
        for point, (dx, dy) in zip(group, spread(len(group), radius * 2 + 1)):
            laid.append({"point": point, "x": round(x_of(x) + dx, 1), "y": round(y_of(y) + dy, 1),
                         "r": 2 + point.size})
    areas = [{"quadrant": q, "x": x_of(q.x_from), "y": y_of(q.y_to), "width": round(x_of(q.x_to) - x_of(q.x_from), 1),
              "height": round(y_of(q.y_from) - y_of(q.y_to), 1), "text_x": x_of(q.x_from) + 6,
              "text_y": y_of(q.y_to) + 16} for q in quadrants]
    svg = _render(
        "scatter.svg", name, title, points=laid, areas=areas, width=left + plot + 24, height=top + plot + 44,
        left=left, top=top, right=left + plot, bottom=top + plot, plot=plot,
        x_ticks=[{"x": x_of(v), "text": t} for v, t in ticks], y_ticks=[{"y": y_of(v), "text": t} for v, t in ticks],
        x_label=x_label, y_label=y_label, x_label_x=left + plot / 2, y_label_y=top + plot / 2,
        x_label_y=top + plot + 38,
    )
    table = [[p.label, *p.cells] for p in points]
    return Chart(name, title, svg, list(headers), table, note)


# --- burn-up -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A dated event drawn as a vertical line across a burn-up chart (a workshop): its position on the x axis
    (the index of its label) and its name."""

    position: int
    label: str


def nice_maximum(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^n at or above ``value`` (at least 1), for an axis."""
    if value <= 1:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step  # pragma: no cover - the loop always returns


def burnup_chart(name: str, title: str, labels: list[str], lines: list[tuple[Series, list]], *,
                 marks: list[Mark] = (), target: tuple[Series, list[tuple[int, float]]] | None = None,
                 axis_labels: list[tuple[int, str]] = (), label_header: str = "", note: str = "",
                 table_step: int = 1) -> Chart:
    """Counts over days (``labels``, one per day: a sequence, read only at the table's rows and the marks, so a
    lazy one formats only those) as lines (``None`` where a day has no figure), a target line through its
    ``(position, value)`` points, and dated ``marks`` as vertical lines; x-axis texts at ``axis_labels``. The data
    table has one row every ``table_step`` days (and the last)."""
    left, right, top, height = 48, WIDTH - 20, 12, 220
    count = max(len(labels), 2)
    values = [v for _serie, vs in lines for v in vs if v is not None]
    values += [v for _p, v in (target[1] if target else [])]
    high = nice_maximum(max(values, default=0))

    def x_of(position: float) -> float:
        return round(left + position / (count - 1) * (right - left), 1)

    def y_of(value: float) -> float:
        return round(top + (high - min(max(value, 0), high)) / high * height, 1)

    laid = []
    xs = [x_of(i) for i in range(max((len(vs) for _serie, vs in lines), default=0))]  # each day's x once
    for serie, vs in lines:
        points = [f"{xs[i]},{y_of(v)}" for i, v in enumerate(vs) if v is not None]
        laid.append({"serie": serie, "points": " ".join(points)})
    target_line = None
    if target:
        target_line = {"serie": target[0], "points": " ".join(f"{x_of(p)},{y_of(v)}" for p, v in target[1])}
    mark_rows = [{"mark": m, "x": x_of(m.position), "label": short(m.label, 18)} for m in marks
                 if 0 <= m.position < count]
    ticks = [{"y": y_of(high * k / 4), "text": f"{high * k / 4:g}"} for k in range(5)]
    bottom = top + height
    legend, x = [], float(left)
    for serie in [s for s, _vs in lines] + ([target[0]] if target else []):
        legend.append({"x": x, "serie": serie})
        x += 18 + 7 * len(serie.label) + 14
    svg = _render("burnup.svg", name, title, lines=laid, target=target_line, marks=mark_rows, ticks=ticks,
                  width=WIDTH, height=bottom + 58, left=left, right=right, top=top, bottom=bottom,
                  legend_y=bottom + 30, axis=[{"x": x_of(p), "text": t} for p, t in axis_labels])
    rows = []
    for i in range(len(labels)):
        if i % table_step and i != len(labels) - 1:
            continue
        cells = [vs[i] for _serie, vs in lines]
        if all(c is None for c in cells):
            continue
        rows.append([labels[i], *["" if c is None else f"{c:g}" for c in cells]])
    if marks:
        note = " ".join(filter(None, [note, "; ".join(f"{labels[m.position]}: {m.label}" for m in marks
                                                      if 0 <= m.position < len(labels))]))
    return Chart(name, title, svg, [label_header, *[s.label for s, _vs in lines]], rows, note)
