"""The SVG charts of core: layout arithmetic, the colour steps, and markup without styles or scripts."""

import re

import pytest
from django.utils import translation

from sia.core import charts
from sia.core.charts import Band, Item, Series


def clean(svg: str) -> bool:
    return not re.search(r"\sstyle=|<style|<script|\son[a-z]+=", svg)


@pytest.mark.parametrize("value,css", [
    (None, "heat-none"), (0, "heat-0"), (24, "heat-0"), (25, "heat-1"), (49, "heat-1"), (50, "heat-2"),
    (74, "heat-2"), (75, "heat-3"), (99, "heat-3"), (100, "heat-4"),
])
def test_heat_steps(value, css):
    assert charts.heat_class(value) == css


def test_bar_chart_scales_to_the_maximum_and_keeps_the_numbers():
    chart = charts.bar_chart("uji", "Uji", [Item("Proses Bisnis", 50, "50%"), Item("Layanan", 0, "0%"),
                                            Item("Data", 130, "130%")], maximum=100,
                             label_header="Domain", value_header="Terisi")
    widths = [float(w) for w in re.findall(r'class="viz-bar [^"]*" x="\d+" y="\d+" width="([\d.]+)"', chart.svg)]
    track = float(re.search(r'class="viz-track" x="\d+" y="\d+" width="(\d+)"', chart.svg).group(1))
    assert widths == [track / 2, track]  # no bar for 0, a value past the maximum is capped
    assert chart.headers == ["Domain", "Terisi"]
    assert chart.rows == [["Proses Bisnis", "50%"], ["Layanan", "0%"], ["Data", "130%"]]
    assert clean(chart.svg) and 'role="img"' in chart.svg and "<title id=\"uji-title\">Uji</title>" in chart.svg


def test_stacked_bars_split_each_row_by_its_own_total():
    series = [Series("Draf", "a"), Series("Diajukan", "b")]
    chart = charts.stacked_bar_chart("s", "S", series, [("Proses", [1, 3]), ("Layanan", [0, 0])], total_header="Jumlah")
    segments = re.findall(r'<rect class="(a|b)" x="([\d.]+)" y="\d+" width="([\d.]+)"', chart.svg)
    drawn = [(css, float(width)) for css, _x, width in segments if float(width) > 12]  # legend keys are 12 wide
    assert [css for css, _w in drawn] == ["a", "b"] and drawn[1][1] == pytest.approx(3 * drawn[0][1], abs=0.2)
    assert chart.rows == [["Proses", 1, 3, 4], ["Layanan", 0, 0, 0]]
    assert clean(chart.svg)


def test_heat_map_cells_legend_and_table():
    rows = [(Item("DINKES", 40, "40%", href="/opd/1/", key="DINKES"),
             [Item("Proses", 80, "3 · 80%"), Item("Layanan", None, "—")])]
    chart = charts.heat_map("h", "H", ["Proses", "Layanan"], rows, legend=[("heat-0", "0–24%"), ("heat-none", "kosong")],
                            label_header="OPD")
    assert '<g data-key="DINKES">' in chart.svg and '<a href="/opd/1/">DINKES</a>' in chart.svg
    assert re.search(r'<rect class="heat-3"[^>]*><title>DINKES · Proses: 3 · 80%</title>', chart.svg)
    assert 'class="heat-none"' in chart.svg and ">kosong</text>" in chart.svg
    assert chart.headers == ["OPD", "Proses", "Layanan"] and chart.rows == [["DINKES", "3 · 80%", "—"]]
    assert clean(chart.svg)


def test_line_over_bands_places_points_by_value():
    bands = [Band(1, 1.8, "Kurang", "band-0"), Band(1.8, 2.6, "Cukup", "band-1"), Band(2.6, 5, "Baik", "band-2")]
    points = [Item("2023", 2.0, "2,00", note="Cukup"), Item("2024", 3.0, "3,00", note="Baik")]
    chart = charts.line_chart("l", "L", points, low=1, high=5, bands=bands, ticks=[(1, "1"), (5, "5")],
                              label_header="Tahun", value_header="Indeks", band_header="Predikat")
    ys = [float(y) for y in re.findall(r'<circle class="viz-dot" cx="[\d.]+" cy="([\d.]+)"', chart.svg)]
    assert ys[0] > ys[1]  # a higher index is drawn higher up
    assert ys[0] - ys[1] == pytest.approx(200 / 4, abs=0.2)  # one index point is a quarter of the height
    assert re.search(r'<polyline class="viz-line" fill="none" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"/>', chart.svg)
    for name in ("Kurang", "Cukup", "Baik"):
        assert f">{name}</text>" in chart.svg
    assert chart.rows == [["2023", "2,00", "Cukup"], ["2024", "3,00", "Baik"]]
    assert "2,00" not in re.sub(r">[^<]*<", "><", chart.svg)  # coordinates never localised
    assert clean(chart.svg)


def _drawn_like_the_reference(monkeypatch, writer: str, draw):
    """``draw()``'s SVG, and what the old template of ``writer`` (tests/core/charts_reference/) renders from the layout
    the chart function gave the writer."""
    from pathlib import Path

    from django.template import engines

    template = {"heat_svg": "heat.svg", "bars_svg": "bars.svg", "stacked_svg": "stacked.svg"}[writer]
    reference = engines["django"].from_string((Path(__file__).parent / "charts_reference" / template).read_text())
    captured = {}
    real = getattr(charts, writer)

    def capture(name, title, **layout):
        captured.update(layout, name=name, title=title)
        return real(name, title, **layout)

    monkeypatch.setattr(charts, writer, capture)
    chart = draw()
    return str(chart.svg), reference.render(captured), captured


def test_the_heat_map_is_the_markup_of_its_reference_template(monkeypatch):
    """``charts.heat_svg`` writes in one pass what its old template renders from the same layout: escaped texts,
    links or none, keys or none, float legend positions, unlocalized numbers."""
    rows = [
        (Item("DIS<KES>", 40.5, "40,5%", href="/opd/1/?a=1&b=2", key='DIN"KES'),
         [Item("Proses & layanan", 80, "3 · 80%"), Item("Data", None, "—"),
          Item("Aplikasi", 100, "1 · 100%", css="x<")]),
        (Item("BAPPEDA", None, "—"), [Item("Proses & layanan", 0, "0 · 0%"), Item("Data", 24.99, "2 · 25%"),
                                      Item("Aplikasi", 75, "4 · 75%")]),
    ]
    legend = [("heat-0", "0–24%"), ("heat-4", "100%"), ("heat-none", "belum <ada> objek")]
    with translation.override("id"):
        drawn, reference, layout = _drawn_like_the_reference(monkeypatch, "heat_svg", lambda: charts.heat_map(
            "kelengkapan", "Kelengkapan <isian>", ["Proses & layanan", "Data", "Aplikasi"], rows, legend=legend,
            label_header="OPD"))
    assert any(isinstance(key["x"], float) and key["x"] != int(key["x"]) for key in layout["keys"])
    assert drawn == reference


def test_the_bar_chart_is_the_markup_of_its_reference_template(monkeypatch):
    items = [Item("DIS<KES>", 12, "12 objek", css="warn", href="/opd/1/?a=1&b=2", key='DIN"KES'),
             Item("BAPPEDA", 0, "0"), Item("Dinas yang namanya sangat panjang sekali", 7.5, "7,5", href="/x/")]
    with translation.override("id"):
        drawn, reference, layout = _drawn_like_the_reference(monkeypatch, "bars_svg", lambda: charts.bar_chart(
            "antrean", "Antrean <review>", items, value_header="Jumlah", label_header="OPD"))
    assert any(isinstance(row["width"], float) for row in layout["rows"]) and not layout["rows"][1]["width"]
    assert drawn == reference


def test_the_stacked_bars_are_the_markup_of_their_reference_template(monkeypatch):
    series = [Series("Draf & baru", "s-draft"), Series("Diajukan", "s-sub"), Series("Divalidasi <ok>", "s-ok"),
              Series("Dikembalikan untuk diperbaiki", "s-ret"), Series("Status yang sangat panjang namanya", "s-x")]
    rows = [("Proses <bisnis>", [3, 1, 40, 0, 2]), ("Layanan", [0, 0, 0, 0, 0]), ("Aplikasi", [1, 1, 1, 1, 1])]
    for text in (None, lambda n: f"{n:,}".replace(",", ".")):
        with translation.override("id"):
            drawn, reference, layout = _drawn_like_the_reference(
                monkeypatch, "stacked_svg", lambda: charts.stacked_bar_chart(
                    "status", "Status & jumlah", series, rows, label_header="Domain", total_header="Jumlah",
                    text=text))
        assert len({key["y"] for key in layout["legend"]}) > 1, "the legend wraps"
        assert any(not s["shown"] for row in layout["rows"] for s in row["segments"])
        assert drawn == reference
