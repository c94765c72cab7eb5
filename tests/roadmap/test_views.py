from django.test import Client
from django.urls import reverse

from sia.core.permissions import HIDDEN

from .conftest import make_activity, make_year


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_kegiatan_page_shows_its_years_and_gaps(roadmap, world):
    response = client_for(world.users["admin"]).get(reverse("roadmap:activity", args=[roadmap.a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kegiatan KG-A" in html and "APBN/DAK" in html and "Aplikasi baru bersama" in html
    assert "Sasaran strategis" in html and roadmap.target.get_absolute_url() in html


def test_a_gap_the_reader_may_not_see_is_shown_without_its_name(roadmap, world):
    # KG-A closes a draft application of DISKOMINFO: the DINKES operator reads the kegiatan, not the draft's name.
    html = client_for(world.users["operator_dinkes"]).get(
        reverse("roadmap:activity", args=[roadmap.a.pk])).content.decode()
    assert "Aplikasi baru bersama" not in html and str(HIDDEN) in html


def test_a_kegiatan_without_gap_warns(roadmap, world):
    html = client_for(world.users["leader"]).get(reverse("roadmap:activity", args=[roadmap.d.pk])).content.decode()
    assert "belum menutup gap" in html


def test_pages_of_another_instansi_are_not_found_and_anonymous_signs_in(roadmap, world):
    other = client_for(world.users["other_admin"])
    assert other.get(reverse("roadmap:activity", args=[roadmap.a.pk])).status_code == 404
    assert other.get(reverse("roadmap:strategictarget", args=[roadmap.target.pk])).status_code == 404
    assert "KG-A" not in other.get(reverse("roadmap:activity_list")).content.decode()
    response = client_for().get(reverse("roadmap:activity", args=[roadmap.a.pk]))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_a_sasaran_page_shows_its_tree(roadmap, world):
    html = client_for(world.users["operator"]).get(
        reverse("roadmap:strategictarget", args=[roadmap.target.pk])).content.decode()
    for text in ("IN-01 Layanan digital terpadu", "PR-02 Keamanan informasi", "Keamanan", "KG-D", "DINKES"):
        assert text in html, text


def test_the_history_joins_the_years_of_a_kegiatan(roadmap, world):
    row = roadmap.a.years.get(year=2025)
    row.realisation = 95
    row.save()
    response = client_for(world.users["leader"]).get(reverse("roadmap:activity_history", args=[roadmap.a.pk]))
    assert response.status_code == 200 and "95" in response.content.decode()


def test_the_list_filters_by_area_and_year(roadmap, world):
    client = client_for(world.users["leader"])
    html = client.get(reverse("roadmap:activity_list") + "?area=keamanan").content.decode()
    assert "KG-S" in html and "KG-A" not in html
    html = client.get(reverse("roadmap:activity_list") + "?year=2027").content.decode()
    assert "KG-A" in html and "KG-S" not in html


def test_the_menu_offers_the_roadmap(world):
    html = client_for(world.users["operator"]).get("/").content.decode()
    assert reverse("roadmap:activity_list") in html and reverse("roadmap:strategictarget_list") in html


def test_list_pages_keep_their_query_budget(roadmap, world, count_queries, query_budget):
    from sia.roadmap.models import StrategicTarget

    client = client_for(world.users["operator"])
    makers = {
        "activity_list": lambda n: make_year(make_activity(roadmap.apps, world.dinkes, f"KG-V{n}", start=2027,
                                                           end=2027), 2027, 5),
        "strategictarget_list": lambda n: StrategicTarget.objects.create(institution=world.inst, period="2025-2029",
                                                                         code=f"SS-V{n}", name=f"Sasaran {n}"),
    }
    for name, make in makers.items():
        url = reverse(f"roadmap:{name}")
        assert client.get(url).status_code == 200
        before, _ = count_queries(lambda: client.get(url))
        for n in range(3):
            make(n)
        after, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        assert after == before <= query_budget[f"roadmap.{name}"], (name, before, after)
