"""Polish of the roadmap pages (review of issue 14): the years text, the history's gap rows, the timeline's area
filter and the warning on a kegiatan marked selesai with years not done."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sia.roadmap.timeline import years_text


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: date(2026, 6, 1))


def html_of(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_one_year_kegiatan_reads_one_year_on_its_page_and_the_timeline(roadmap, world):
    assert years_text(roadmap.d) == "2026" and years_text(roadmap.a) == "2025–2027"
    page = html_of(world.users["admin"], reverse("roadmap:activity", args=[roadmap.d.pk]))
    assert "2026–2026" not in page and "<dd>2026</dd>" in page
    assert "<dd>2025–2027</dd>" in html_of(world.users["admin"], reverse("roadmap:activity", args=[roadmap.a.pk]))
    timeline = html_of(world.users["admin"], reverse("roadmap:timeline"))
    assert "2026–2026" not in timeline and "KG-D · 2026 ·" in timeline
    target = html_of(world.users["admin"], roadmap.target.get_absolute_url())
    assert "2026–2026" not in target and "<td>2026</td>" in target


def test_the_timeline_shows_the_areas_asked_for_and_keeps_them_in_the_projector_link(roadmap, world):
    from sia.roadmap.timeline import timeline

    only = timeline(world.inst, areas=("keamanan",), today=date(2026, 6, 1))
    assert [group.area for group in only.groups] == ["keamanan"] and [r.activity.code for r in only.rows] == ["KG-S"]
    html = html_of(world.users["leader"], reverse("roadmap:timeline") + "?area=keamanan&area=aplikasi")
    assert 'data-code="KG-S"' in html and 'data-code="KG-A"' in html
    assert 'data-area="keamanan"' in html and 'data-area="aplikasi"' in html and 'data-area="layanan"' not in html
    assert 'data-testid="rm-area-filter"' in html
    assert 'value="keamanan" id="id_area_5" checked>' in html and 'value="layanan" id="id_area_2">' in html
    projector = html.split('data-testid="projector-on"')[0].rsplit('href="', 1)[1]
    assert "area=keamanan" in projector and "area=aplikasi" in projector and "layar=proyektor" in projector
    html = html_of(world.users["leader"], reverse("roadmap:timeline") + "?area=keamanan&layar=proyektor")
    assert 'data-code="KG-S"' in html and 'data-code="KG-A"' not in html
    off = html.split('data-testid="projector-off"')[0].rsplit('href="', 1)[1]
    assert "area=keamanan" in off and "layar" not in off


def test_an_unknown_area_answers_400_with_the_error_on_its_field(roadmap, world):
    client = Client()
    client.force_login(world.users["leader"])
    response = client.get(reverse("roadmap:timeline") + "?area=keamanan&area=bukan-area")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html and 'data-testid="rm-timeline"' not in html


def test_the_rule_of_a_kegiatan_marked_selesai_with_years_not_done():
    from sia.roadmap.rules import done_warning, open_years_when_done

    assert open_years_when_done("selesai", [(2027, False), (2025, True), (2026, False)]) == [2026, 2027]
    assert open_years_when_done("selesai", [(2025, True)]) == [] and done_warning("selesai", []) == ""
    assert open_years_when_done("sedang", [(2025, False)]) == [] and done_warning("batal", [(2025, False)]) == ""
    assert done_warning("selesai", [(2026, False), (2027, False)]) == (
        "Kegiatan ditandai selesai, tetapi tahun 2026, 2027 belum ditandai selesai.")


def test_a_kegiatan_marked_selesai_with_years_not_done_warns_on_its_page_and_the_overview(roadmap, world):
    from sia.roadmap import figures
    from sia.roadmap.choices import ActivityStatus

    from .conftest import make_activity, make_year

    user = world.users["leader"]
    assert figures.done_with_open_years(world.inst) == []
    assert 'data-testid="rm-done-warning"' not in html_of(user, roadmap.a.get_absolute_url())
    roadmap.a.progress = ActivityStatus.DONE  # 2025 done, 2026 not; 2027 has no row
    roadmap.a.full_clean()
    roadmap.a.save()
    closed = make_activity(roadmap.apps, world.kominfo, "KG-C", end=2026, progress=ActivityStatus.DONE)
    make_year(closed, 2025, 10, done=True)
    make_year(closed, 2026, 10, done=True)
    found = figures.done_with_open_years(world.inst)
    assert [(a.code, a.open_years) for a in found] == [("KG-A", [2026])]
    assert figures.done_with_open_years(world.inst, department=world.dinkes) == []
    page = html_of(user, roadmap.a.get_absolute_url())
    assert 'data-testid="rm-done-warning"' in page and "tahun 2026 belum ditandai selesai" in page
    assert 'data-testid="rm-done-warning"' not in html_of(user, closed.get_absolute_url())
    overview = html_of(user, reverse("roadmap:overview"))
    assert overview.count('data-testid="rm-done-open-row"') == 1 and 'data-code="KG-A"' in overview


def test_the_warning_keeps_the_overview_and_the_page_at_constant_queries(roadmap, world, count_queries):
    from sia.roadmap.choices import ActivityStatus

    from .conftest import make_activity, make_year

    client = Client()
    client.force_login(world.users["operator"])
    urls = (reverse("roadmap:overview"), roadmap.a.get_absolute_url())
    first = make_activity(roadmap.apps, world.kominfo, "KG-W0", end=2026, progress=ActivityStatus.DONE)
    make_year(first, 2025, 10)
    before = [count_queries(lambda: client.get(url))[0] for url in urls]
    for n in range(1, 4):
        activity = make_activity(roadmap.apps, world.kominfo, f"KG-W{n}", end=2026, progress=ActivityStatus.DONE)
        make_year(activity, 2025, 10)
        make_year(activity, 2026, 10)
    make_year(roadmap.a, 2027, 10)
    after = [count_queries(lambda: client.get(url))[0] for url in urls]
    assert after == before
    assert client.get(urls[0]).content.decode().count('data-testid="rm-done-open-row"') == 4


def test_the_history_shows_a_gap_by_its_kind_and_code_or_hidden(roadmap, world):
    from sia.core.permissions import HIDDEN

    url = reverse("roadmap:activity_history", args=[roadmap.a.pk])
    admin = html_of(world.users["admin"], url)
    assert "Arsitektur SPBE |" not in admin and "ID objek" in admin
    assert "<td>—</td><td>Aplikasi</td>" in admin and f"<td>—</td><td>{roadmap.new_app.code}</td>" in admin
    # KG-A closes a draft application of DISKOMINFO: the DINKES operator reads the history, not the draft
    dinkes = html_of(world.users["operator_dinkes"], url)
    assert f"<td>—</td><td>{HIDDEN}</td>" in dinkes and roadmap.new_app.code not in dinkes
    assert "Aplikasi baru bersama" not in dinkes
