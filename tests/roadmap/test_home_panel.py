"""The roadmap's panel on the home page: for the roles who plan, this year's keterpaduan share, the late kegiatan and
the gaps no kegiatan closes of the instansi, each linking to its roadmap page; for an OPD operator, of their OPD.
The panel is loaded after the page (the home page reads nothing for it), its numbers in a constant few queries."""

import re
from datetime import date

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application
from sia.roadmap.panels import roadmap_panel

from .conftest import link_gap, make_activity, make_year

URL = reverse("roadmap:dashboard")


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: date(2026, 6, 1))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def numbers(user, query=""):
    response = client_for(user).get(URL + query)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    found = {}
    for key in ("share", "late", "gaps"):
        match = re.search(rf'<a class="stat" href="([^"]+)" data-testid="dashboard-roadmap-{key}"><span class="num">'
                          r'([^<]+)</span>', html)
        assert match, (key, html)
        found[key] = (match.group(2), match.group(1).replace("&amp;", "&"))
    return found, html


@pytest.mark.parametrize("role", ["admin", "leader", "verifier", "assessor", "operator", "operator_dinkes"])
def test_the_panel_is_on_the_home_page_and_loads_after_it(roadmap, world, role):
    html = client_for(world.users[role]).get("/").content.decode()
    assert 'id="panel-roadmap"' in html and f'hx-get="{URL}" hx-trigger="load"' in html
    assert "dashboard-roadmap-numbers" not in html and "21,4%" not in html  # the numbers come after the page


def test_no_panel_for_who_reads_no_roadmap(roadmap, world):
    request = RequestFactory().get("/")
    request.user = world.users["nobody"]
    assert roadmap_panel(request) is None
    assert 'id="panel-roadmap"' not in client_for(world.users["nobody"]).get("/").content.decode()


def test_the_home_panel_reads_nothing(roadmap, world, count_queries):
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    request.user._sia_grants = None
    from sia.core import permissions

    permissions.grants(request.user)  # the home page has read the grants already
    queries, panel = count_queries(lambda: roadmap_panel(request))
    assert queries == 0 and panel["url"] == URL


@pytest.mark.parametrize("role", ["admin", "leader", "verifier", "assessor"])
def test_the_roles_who_plan_read_the_instansi_s_numbers(roadmap, world, role):
    found, html = numbers(world.users[role])
    # 2026: pagu 200 (KG-A) + 50 (KG-S) + 30 (KG-D) = 280, RKA selaras 0 + 50 + 10 = 60 -> 21,4%
    assert found["share"][0] == "21,4%" and "keterpaduan rencana dan anggaran 2026" in html
    assert found["late"][0] == "1"  # KG-S: its 2025 not done; KG-X is cancelled
    assert found["gaps"][0] == "1"  # DINKES's upgrade; the new application and the retiring server are closed
    query = f"instansi={world.inst.pk}"
    assert found["share"][1] == f"{reverse('roadmap:budget')}?{query}&periode=2025-2029"
    assert found["late"][1] == f"{reverse('roadmap:timeline')}?{query}&periode=2025-2029"
    assert found["gaps"][1] == f"{reverse('roadmap:overview')}?{query}&periode=2025-2029"
    assert "Dinas Kesehatan" not in html.split('data-testid="dashboard-roadmap-scope">')[1].split("</p>")[0]


def test_an_operator_reads_their_own_opd_s_numbers(roadmap, world):
    found, html = numbers(world.users["operator_dinkes"])
    assert found["share"][0] == "33,3%" and found["late"][0] == "0" and found["gaps"][0] == "1"  # KG-D: 10 of 30
    assert f"opd={world.dinkes.pk}" in found["share"][1] and f"opd={world.dinkes.pk}" in found["gaps"][1]
    assert "Dinas Kesehatan" in html
    found, _html = numbers(world.users["operator"])  # DISKOMINFO: 50 of 250, KG-S late, its gaps all closed
    assert found["share"][0] == "20,0%" and found["late"][0] == "1" and found["gaps"][0] == "0"
    assert f"opd={world.kominfo.pk}" in found["late"][1]


def test_opd_narrows_the_numbers_and_a_bad_one_is_an_error(roadmap, world):
    found, _html = numbers(world.users["leader"], f"?opd={world.dinkes.pk}")
    assert found["share"][0] == "33,3%" and found["gaps"][0] == "1" and found["late"][0] == "0"
    html = client_for(world.users["leader"]).get(f"{URL}?opd={world.far.pk}").content.decode()
    assert 'class="error"' in html and "dashboard-roadmap-numbers" not in html
    assert client_for(world.users["other_admin"]).get(f"{URL}?instansi={world.inst.pk}").status_code == 404
    response = Client().get(URL)
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_the_numbers_cost_the_same_whatever_the_rows(roadmap, world, count_queries, query_budget):
    for key, late in (("admin", 4), ("operator", 7)):
        client = client_for(world.users[key])
        client.get(URL)
        before, _response = count_queries(lambda: client.get(URL))
        for n in range(3):
            activity = make_activity(roadmap.apps, world.kominfo, f"KG-Q{key[0]}{n}", start=2025, end=2027)
            make_year(activity, 2025, 10, rka=5)
            make_year(activity, 2026, 10, rka=10)
            app = Application.objects.create(department=world.kominfo, name=f"Aplikasi Q{key}{n}",
                                             state=ArchitectureState.TO_BE_NEW)
            if n:
                link_gap(activity, app)
        after, response = count_queries(lambda: client.get(URL))
        assert response.status_code == 200 and after == before, (key, before, after)
        assert after <= query_budget["roadmap.dashboard"], (key, after)
        found, _html = numbers(world.users[key])
        assert found["late"][0] == str(late)  # three more late each round (their 2025 not done), all DISKOMINFO's
