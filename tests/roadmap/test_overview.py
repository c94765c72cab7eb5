"""The overview pages of the roadmap (ringkasan, linimasa, anggaran): what they show, the OPD filter, the period,
the projector mode, the warnings, the gap catalog's kegiatan column, who reads them and their query budgets."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sia.architecture.choices import ArchitectureState
from sia.architecture.gap_catalog import annotate_gaps, gap_annotators, gap_catalog
from sia.architecture.models import Application
from sia.roadmap import figures
from sia.roadmap.gap_notes import activity_add_url, closing_activities
from sia.roadmap.models import StrategicTarget

from .conftest import link_gap, make_activity, make_year

PAGES = ("roadmap:overview", "roadmap:timeline", "roadmap:budget")


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html_of(user, name, query=""):
    response = client_for(user).get(reverse(name) + query)
    assert response.status_code == 200, (name, query, response.status_code)
    return response.content.decode()


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    """The pages read the current year (the period shown, late kegiatan): 2026 in these tests."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: date(2026, 6, 1))


def test_every_member_of_the_instansi_reads_every_page(roadmap, world):
    for key in ("admin", "operator", "operator_dinkes", "verifier", "assessor", "leader"):
        for name in PAGES:
            html = html_of(world.users[key], name)
            assert "Peta Rencana SPBE 2025-2029" in html, (key, name)


def test_another_instansi_is_not_found_and_anonymous_signs_in(roadmap, world):
    other = client_for(world.users["other_admin"])
    for name in PAGES:
        assert other.get(reverse(name) + f"?instansi={world.inst.pk}").status_code == 404
        html = other.get(reverse(name)).content.decode()  # their own instansi: none of the province's kegiatan
        assert "KG-A" not in html and "Pemerintah Kota Lain" in html
        response = client_for().get(reverse(name))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_the_timeline_shows_bars_by_area_and_marks_the_late(roadmap, world):
    html = html_of(world.users["leader"], "roadmap:timeline")
    assert 'data-code="KG-S" data-progress="belum" data-late="1"' in html
    assert 'data-code="KG-A" data-progress="sedang" data-late="0"' in html
    assert 'data-code="KG-X" data-progress="batal"' in html
    assert '<td colspan="3" class="rm-cell"><span class="rm-bar rm-sedang"' in html  # KG-A over 2025-2027
    assert "Tata Kelola" in html and "Belum ada kegiatan di area ini." in html  # every area, even empty
    assert "rm-projector" not in html and "layar=proyektor" in html and 'data-testid="projector-on"' in html


def test_the_projector_mode_is_a_css_class_and_keeps_the_filters(roadmap, world):
    html = html_of(world.users["leader"], "roadmap:timeline", f"?opd={world.dinkes.pk}&layar=proyektor")
    assert 'class="rm-view rm-projector"' in html
    assert 'data-code="KG-D"' in html and 'data-code="KG-A"' not in html
    assert f"opd={world.dinkes.pk}" in html and 'data-testid="projector-off"' in html
    assert 'data-testid="roadmap-filters"' not in html  # the projector shows the timeline, not the form


def test_one_opd_narrows_every_page(roadmap, world):
    query = f"?opd={world.dinkes.pk}"
    html = html_of(world.users["leader"], "roadmap:timeline", query)
    assert 'data-code="KG-D"' in html and 'data-code="KG-S"' not in html
    html = html_of(world.users["leader"], "roadmap:budget", query)
    assert "Rp 30" in html and "Rp 280" not in html  # DINKES's 2026 pagu, not the instansi's
    assert 'data-testid="rm-alignment-opd"' not in html  # the per-OPD table is for the whole instansi
    html = html_of(world.users["leader"], "roadmap:overview", query)
    assert "KG-D" in html and 'data-object="%s"' % roadmap.upgrade.code in html  # a DINKES gap
    assert html.count('data-testid="rm-gap-row"') == 1


def test_an_unknown_opd_is_an_error_on_its_field(roadmap, world):
    response = client_for(world.users["leader"]).get(reverse("roadmap:budget") + f"?opd={world.far.pk}")
    assert response.status_code == 400  # like every page with a filter the reader cannot use
    html = response.content.decode()
    assert 'class="error"' in html and 'data-testid="rm-budget-area"' not in html


def test_the_budget_page_shows_pagu_per_area_and_source_as_charts_and_tables(roadmap, world):
    html = html_of(world.users["verifier"], "roadmap:budget")
    for chart in ("pagu-per-tahun", "pagu-per-area", "pagu-per-sumber", "keterpaduan-per-tahun", "progres-per-tahun"):
        assert f'data-chart="{chart}"' in html, chart
    assert "<script" not in html.split('data-testid="rm-budget-area"')[1].split("</main>")[0]
    # pagu per area table: 2025 Aplikasi 100, Keamanan 50 (the cancelled 1000 counts nowhere); total 430
    area = html.split('data-testid="rm-area-table"')[1].split("</table>")[0]
    assert "Dalam rupiah" in area and 'data-testid="rm-area-table-total"><strong>430</strong>' in area
    assert "1.000" not in area and "1.430" not in area
    # per source: KG-A's 2026 (200) is APBN/DAK
    source = html.split('data-testid="rm-source-table"')[1].split("</table>")[0]
    assert "APBN/DAK" in source and '<td class="num">200</td>' in source and "<strong>230</strong>" in source


def test_budget_tables_count_in_juta_when_the_sums_reach_a_million():
    from decimal import Decimal

    from sia.roadmap.overview_views import amount, budget_table, rupiah

    table = budget_table({2025: {"apbd": Decimal("1320000000"), "lainnya": Decimal("1500000")},
                          2026: {"apbd": Decimal("250000"), "lainnya": Decimal("0")}}, ["apbd", "lainnya"])
    assert table["unit"] == "juta rupiah"
    assert table["rows"][0]["cells"] == ["1.320", "1,5"] and table["rows"][0]["total"] == "1.321,5"
    assert table["rows"][1]["cells"] == ["0,2", "0"] and table["total"] == "1.321,8"
    assert budget_table({2025: {"apbd": Decimal("999999")}}, ["apbd"])["unit"] == "rupiah"
    assert amount(Decimal("1234567"), Decimal(1)) == "1.234.567" and rupiah(Decimal("1234567.40")) == "Rp 1.234.567"


def test_the_budget_page_charts_pagu_per_year_by_area_without_repeating_its_tables(roadmap, world):
    html = html_of(world.users["verifier"], "roadmap:budget")
    area = html.split('data-testid="rm-budget-area"')[1].split("</section>")[0]
    chart = area.split('data-chart="pagu-per-tahun-area"')[1].split("</svg>")[0]
    # 2025: Aplikasi 100 and Keamanan 50 (the cancelled 1000 counts nowhere), one stacked bar per year
    assert "2025 · Aplikasi: 100</title>" in chart and "2025 · Keamanan: 50</title>" in chart
    assert 'class="rm-viz-area-aplikasi"' in chart and "(rupiah)" in area
    assert 'data-testid="rm-area-table"' in area  # the table stays
    # each chart's figures are the table next to it: no second "Tabel angka" on the page
    assert "data-chart-table" not in html and "Tabel angka" not in html
    for name in ("pagu-per-tahun", "pagu-per-area", "pagu-per-sumber", "keterpaduan-per-tahun", "progres-per-tahun"):
        assert f'data-chart="{name}"' in html, name


def test_budget_stacked_charts_write_sums_with_thousand_separators():
    from decimal import Decimal

    from sia.roadmap.overview_views import AREA_SERIES, budget_charts

    areas = [serie.css.removeprefix("rm-viz-area-") for serie in AREA_SERIES]
    chart = budget_charts({2025: {"aplikasi": Decimal("11465000000"), "keamanan": Decimal("2500000000")},
                           2026: {"aplikasi": Decimal("1000000")}}, AREA_SERIES, areas, "uji", "Pagu", "Tahun")
    assert "(juta rupiah)" in chart.title
    assert ">11.465</text>" in chart.svg and ">13.965</text>" in chart.svg and "Keamanan: 2.500</title>" in chart.svg
    assert "11465" not in chart.svg and "13965" not in chart.svg
    assert chart.rows[0] == ["2025", "0", "0", "0", "11.465", "0", "2.500", "0", "13.965"]
    # the seven areas' legend wraps inside the picture
    import re

    width = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', chart.svg).group(1))
    height = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', chart.svg).group(2))
    keys = [(float(x), float(y)) for x, y in re.findall(r'<rect class="rm-viz-area-[a-z-]+" x="([\d.]+)" y="([\d.]+)" '
                                                         r'width="12"', chart.svg)]
    assert len(keys) == 7 and all(x + 12 < width and y + 12 <= height for x, y in keys)
    assert len({y for _x, y in keys}) > 1


def test_keterpaduan_per_year_and_per_opd_with_its_rule(roadmap, world):
    html = html_of(world.users["leader"], "roadmap:budget")
    years = html.split('data-testid="rm-alignment-years"')[1].split("</table>")[0]
    assert "80,0%" in years and "21,4%" in years  # 120 of 150; 60 of 280
    assert "RKA dihitung paling banyak sebesar pagunya" in html
    opd = html.split('data-testid="rm-alignment-opd"')[1].split("</table>")[0]
    # DINKES: pagu 30, RKA 10 -> 33,3%; DISKOMINFO: pagu 400, aligned 100 + 20 + 50 = 170 -> 42,5%
    assert 'data-opd="DINKES"' in opd and "33,3%" in opd and "42,5%" in opd
    overview = html_of(world.users["leader"], "roadmap:overview")
    assert "80,0%" in overview and 'data-testid="rm-alignment-rule"' in overview


def test_progress_per_year_planned_and_done(roadmap, world):
    html = html_of(world.users["leader"], "roadmap:budget")
    progress = html.split('data-testid="rm-progress-years"')[1].split("</table>")[0]
    assert '<tr data-year="2025"><th scope="row">2025</th><td class="num">2</td><td class="num">1</td>' in progress
    assert '<tr data-year="2026"><th scope="row">2026</th><td class="num">3</td><td class="num">1</td>' in progress


def test_the_overview_warns_of_gaps_without_kegiatan_and_kegiatan_without_gap(roadmap, world):
    html = html_of(world.users["admin"], "roadmap:overview")
    gaps = html.split('data-testid="rm-unclosed-gaps"')[1].split("</section>")[0]
    assert roadmap.upgrade.code in gaps and roadmap.new_app.code not in gaps and roadmap.retiring.code not in gaps
    add = activity_add_url(Application, roadmap.upgrade.pk)
    assert add.endswith(f"?gap=aplikasi%3A{roadmap.upgrade.pk}") and "/peta-rencana/kegiatan/tambah/" in add
    assert add.replace("&", "&amp;") in gaps
    form = client_for(world.users["admin"]).get(add)  # the link opens the kegiatan form with that gap ticked
    assert form.status_code == 200 and form.context["form"].initial.get("gaps") == [f"aplikasi:{roadmap.upgrade.pk}"]
    without = html.split('data-testid="rm-activities-without-gap"')[1].split("</section>")[0]
    assert "KG-D" in without and "KG-A" not in without and "KG-X" not in without
    # the leader reads the warnings but may not add a kegiatan: no link
    assert 'data-testid="rm-add-activity"' not in html_of(world.users["leader"], "roadmap:overview")


def test_a_gap_closed_by_a_new_kegiatan_no_longer_warns(roadmap, world):
    activity = make_activity(roadmap.apps, world.dinkes, "KG-U", start=2026, end=2026)
    make_year(activity, 2026, 75)
    link_gap(activity, roadmap.upgrade)
    html = html_of(world.users["admin"], "roadmap:overview")
    gaps = html.split('data-testid="rm-unclosed-gaps"')[1].split("</section>")[0]
    assert roadmap.upgrade.code not in gaps
    assert 'data-code="KG-U"' in html_of(world.users["admin"], "roadmap:timeline")


def test_unclosed_gaps_follow_the_gap_catalog_and_the_reader(roadmap, world):
    assert [g.obj.pk for g in figures.unclosed_gaps(world.users["admin"], world.inst)] == [roadmap.upgrade.pk]
    assert figures.unclosed_gaps(world.users["operator"], world.inst) == []  # a DINKES draft
    assert figures.unclosed_gaps(world.users["admin"], world.inst, department=world.kominfo) == []


def test_kegiatan_without_gap_of_one_opd_and_period(roadmap, world):
    assert [a.code for a in figures.activities_without_gap(world.inst, period="2025-2029")] == ["KG-D"]
    assert list(figures.activities_without_gap(world.inst, period="2030-2034")) == []
    assert list(figures.activities_without_gap(world.inst, department=world.kominfo)) == []


def test_every_page_has_the_projector_mode(roadmap, world):
    for name in PAGES:
        html = html_of(world.users["leader"], name, "?layar=proyektor")
        assert "rm-view rm-projector" in html and 'data-testid="roadmap-filters"' not in html, name
        assert 'data-testid="projector-on"' in html_of(world.users["leader"], name), name


def test_the_period_chooser_appears_with_several_periods(roadmap, world):
    assert 'name="periode"' not in html_of(world.users["leader"], "roadmap:timeline")
    StrategicTarget.objects.create(institution=world.inst, period="2030-2034", code="SS-09", name="Lanjutan")
    html = html_of(world.users["leader"], "roadmap:timeline")
    assert 'name="periode"' in html and 'data-code="KG-A"' in html
    html = html_of(world.users["leader"], "roadmap:timeline", "?periode=2030-2034")
    assert "Peta Rencana SPBE 2030-2034" in html and 'data-code="KG-A"' not in html and ">2034<" in html


def test_the_gap_catalog_shows_the_kegiatan_closing_each_gap(roadmap, world):
    assert "roadmap" in [a.key for a in gap_annotators()]
    html = html_of(world.users["admin"], "architecture:gap_catalog")
    rows = {row.split('data-object="')[1].split('"')[0]: row
            for row in html.split('data-testid="gap-row"')[1:]}
    assert "KG-A" in rows[roadmap.new_app.code] and roadmap.a.get_absolute_url() in rows[roadmap.new_app.code]
    assert "KG-S" in rows[roadmap.retiring.code]
    assert "Belum ada kegiatan" in rows[roadmap.upgrade.code]
    assert activity_add_url(Application, roadmap.upgrade.pk).replace("&", "&amp;") in rows[roadmap.upgrade.code]
    assert "Kegiatan Peta Rencana" in html


def test_the_gap_annotation_takes_one_query_whatever_the_gaps(roadmap, world, count_queries):
    user = world.users["admin"]
    gaps = gap_catalog(user, world.inst)
    before, _ = count_queries(lambda: closing_activities(user, gaps))
    for n in range(4):
        app = Application.objects.create(department=world.kominfo, name=f"Aplikasi baru {n}",
                                         state=ArchitectureState.TO_BE_NEW)
        link_gap(make_activity(roadmap.apps, world.kominfo, f"KG-G{n}"), app)
    gaps = gap_catalog(user, world.inst)
    after, _ = count_queries(lambda: annotate_gaps(user, world.inst, gaps))
    assert before == 1 and after == 1 and len(gaps) == 7
    assert all(gap.notes for gap in gaps)


def test_pages_keep_their_query_budget(roadmap, world, count_queries, query_budget):
    client = client_for(world.users["operator"])
    for name in (*PAGES, "architecture:gap_catalog"):
        url = reverse(name)
        assert client.get(url).status_code == 200
    pages = (*PAGES, "architecture:gap_catalog")
    before = {name: count_queries(lambda: client.get(reverse(name)))[0] for name in pages}
    for n in range(3):
        activity = make_activity(roadmap.apps, world.kominfo, f"KG-Q{n}", start=2025, end=2027)
        make_year(activity, 2025, 10, rka=5, done=True)
        make_year(activity, 2026, 10)
        app = Application.objects.create(department=world.kominfo, name=f"Aplikasi Q{n}",
                                         state=ArchitectureState.TO_BE_NEW)
        if n:
            link_gap(activity, app)
    for name in (*PAGES, "architecture:gap_catalog"):
        after, response = count_queries(lambda: client.get(reverse(name)))
        assert response.status_code == 200
        assert after == before[name], (name, before[name], after)
        assert after <= query_budget[name.replace(":", ".")], (name, after)
