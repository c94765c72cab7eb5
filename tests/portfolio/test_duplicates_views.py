"""The duplicates page, “not a duplicate” on the web and through the API, and who sees and marks what."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.portfolio.duplicates import dismiss, duplicate_candidates
from sia.portfolio.models import DuplicateDismissal

from .. import factories as f

URL = reverse("portfolio:duplicates")
DISMISS = reverse("portfolio:dismiss")
API = "/api/portfolio/duplicate-candidates/"
DISMISSALS = "/api/portfolio/duplicate-dismissals/"


def make(dept, name, function="", status=ReviewStatus.VALIDATED):
    app = Application.objects.create(department=dept, name=name, function=function)
    Application.objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()
    return app


@pytest.fixture
def mail(world):
    """The same mail application in DISKOMINFO and DINKES (validated), and a draft copy in a third OPD."""
    seed_value_lists(world.inst)
    world.third = f.department(world.inst, name="Dinas Pendidikan", abbreviation="DISDIK")
    world.a = make(world.kominfo, "e-Surat", "Surat masuk, surat keluar dan disposisi")
    world.b = make(world.dinkes, "Persuratan Elektronik", "Pencatatan surat masuk dan keluar, disposisi")
    world.c = make(world.third, "Aplikasi Surat Elektronik", "Surat masuk dan keluar", status=ReviewStatus.DRAFT)
    return world


def pairs_in(html, *apps_):
    return f'data-pair="{apps_[0].pk}-{apps_[1].pk}"' in html


def test_the_page_lists_pairs_with_reasons_and_both_applications_linked(client, mail):
    client.force_login(mail.users["verifier"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert pairs_in(html, mail.a, mail.b) and pairs_in(html, mail.a, mail.c)
    assert mail.a.get_absolute_url() in html and mail.b.get_absolute_url() in html
    assert "Nama mirip" in html and "DISKOMINFO" in html and "DINKES" in html
    assert "Kelompok 1" in html
    assert "Tandai bukan duplikat" in html  # the verifikator may mark
    # Filter by OPD: DISDIK's application pairs only.
    html = client.get(URL, {"department": mail.third.pk}).content.decode()
    assert pairs_in(html, mail.a, mail.c) and not pairs_in(html, mail.a, mail.b)


def test_operators_see_pairs_of_applications_they_see_and_cannot_mark(client, mail):
    client.force_login(mail.users["operator"])  # DISKOMINFO: sees DINKES's validated app, not DISDIK's draft
    html = client.get(URL).content.decode()
    assert pairs_in(html, mail.a, mail.b)
    assert not pairs_in(html, mail.a, mail.c) and "Aplikasi Surat Elektronik" not in html
    assert "Tandai bukan duplikat" not in html
    response = client.post(DISMISS, {"first": mail.a.pk, "second": mail.b.pk, "reason": "Beda."})
    assert response.status_code == 403
    response = client.post(DISMISS, {"first": mail.a.pk, "second": mail.c.pk, "reason": "Beda."})
    assert response.status_code == 404  # a pair with an application the operator cannot see
    assert not DuplicateDismissal.objects.exists()


@pytest.mark.parametrize("role,status", [("leader", 403), ("assessor", 403), ("other_admin", 404),
                                         ("admin", 302), ("verifier", 302)])
def test_who_may_mark_a_pair(client, mail, role, status):
    client.force_login(mail.users[role])
    response = client.post(DISMISS, {"first": mail.b.pk, "second": mail.a.pk, "reason": "Fungsi berbeda.",
                                     "next": URL + "?department=" + str(mail.kominfo.pk)})
    assert response.status_code == status
    assert DuplicateDismissal.objects.exists() == (status == 302)
    if status == 302:
        assert response["Location"] == URL + "?department=" + str(mail.kominfo.pk)
        mark = DuplicateDismissal.objects.get()
        assert (mark.first, mark.second, mark.institution, mark.decided_by) == (
            mail.a, mail.b, mail.inst, mail.users[role])


def test_a_marked_pair_stays_out_for_good(client, mail):
    client.force_login(mail.users["admin"])
    response = client.post(DISMISS, {"first": mail.a.pk, "second": mail.b.pk, "reason": "Dua sistem berbeda."})
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    assert not pairs_in(html, mail.a, mail.b) and pairs_in(html, mail.a, mail.c)
    assert not [c for c in duplicate_candidates(mail.inst.pk) if {c.first_id, c.second_id} == {mail.a.pk, mail.b.pk}]
    # Edited afterwards, the pair is still dismissed.
    Application.objects.filter(pk=mail.b.pk).update(name="e-Surat")
    assert not [c for c in duplicate_candidates(mail.inst.pk) if {c.first_id, c.second_id} == {mail.a.pk, mail.b.pk}]
    # Marking it again is refused with the form and its message, nothing written.
    response = client.post(DISMISS, {"first": mail.b.pk, "second": mail.a.pk, "reason": "Lagi."})
    assert response.status_code == 400
    assert "sudah ditandai bukan duplikat" in response.content.decode()
    assert DuplicateDismissal.objects.count() == 1


def test_a_mark_needs_a_reason_and_two_applications(client, mail):
    client.force_login(mail.users["verifier"])
    response = client.post(DISMISS, {"first": mail.a.pk, "second": mail.b.pk, "reason": "  "})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    response = client.post(DISMISS, {"first": mail.a.pk, "second": mail.a.pk, "reason": "Sama."})
    assert response.status_code == 400
    assert client.get(DISMISS, {"first": mail.a.pk, "second": mail.b.pk}).status_code == 200
    assert client.post(DISMISS, {"first": "x", "second": mail.b.pk, "reason": "a"}).status_code == 404
    assert client.post(DISMISS, {"first": 2**70, "second": mail.b.pk, "reason": "a"}).status_code == 404
    assert not DuplicateDismissal.objects.exists()
    other = make(mail.far, "e-Surat Kota Lain")
    with pytest.raises(Exception):
        dismiss(mail.a, other, "Instansi lain.")


def test_a_national_shared_application_is_flagged(client, mail):
    make(mail.kominfo, "Aplikasi Tata Naskah Dinas dan Kearsipan Dinamis", "Naskah dinas, arsip dinamis")
    client.force_login(mail.users["leader"])
    html = client.get(URL).content.decode()
    assert "SRIKANDI" in html and "aplikasi umum nasional" in html
    assert "Tandai bukan duplikat" not in html  # pimpinan reads only


def test_query_count_does_not_grow_with_applications(client, mail, count_queries, query_budget):
    client.force_login(mail.users["operator"])
    small, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200
    for n in range(30):
        make([mail.kominfo, mail.dinkes, mail.third][n % 3], f"Sistem Informasi Kepegawaian {n}", "data pegawai")
    large, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200 and response.content.decode().count('data-testid="duplicate-row"') > 20
    assert large == small, (small, large)
    assert large <= query_budget["portfolio.duplicates"]


def test_api_candidates(api, mail, count_queries):
    response = api(mail.users["operator"]).get(API)
    assert response.status_code == 200
    rows = response.json()["results"]
    pairs = {(r["first"]["id"], r["second"]["id"] if r["second"] else None) for r in rows}
    assert (mail.a.pk, mail.b.pk) in pairs and (mail.a.pk, mail.c.pk) not in pairs
    row = next(r for r in rows if r["second"] and r["second"]["id"] == mail.b.pk)
    assert row["first"]["department"] == "DISKOMINFO" and row["score"] >= 0.5 and row["reasons"]
    response = api(mail.users["admin"]).get(API, {"department": mail.third.pk, "institution": mail.inst.pk})
    rows = response.json()["results"]
    assert rows and all(mail.c.pk in (r["first"]["id"], r["second"]["id"]) for r in rows)
    assert api(mail.users["admin"]).get(API, {"department": "x"}).status_code == 400
    assert api(mail.users["other_admin"]).get(API).json()["results"] == []
    assert api(mail.users["other_admin"]).get(API, {"institution": mail.inst.pk}).json()["results"] == []
    assert api().get(API).status_code in (401, 403)


def test_api_dismissals(api, mail):
    body = {"first": mail.b.code, "second": mail.a.pk, "reason": "Satu untuk surat, satu untuk arsip."}
    assert api(mail.users["operator"]).post(DISMISSALS, body).status_code == 403
    assert api(mail.users["leader"]).post(DISMISSALS, body).status_code == 403
    response = api(mail.users["verifier"]).post(DISMISSALS, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["first"]["id"], created["second"]["id"], created["decided_by"]) == (mail.a.pk, mail.b.pk, "verif")
    assert api(mail.users["verifier"]).post(DISMISSALS, body).status_code == 400  # once
    assert api(mail.users["verifier"]).post(DISMISSALS, {**body, "reason": ""}).status_code == 400
    # Readers: operators see it (both applications validated), another instansi does not.
    assert [r["id"] for r in api(mail.users["operator"]).get(DISMISSALS).json()["results"]] == [created["id"]]
    assert api(mail.users["other_admin"]).get(DISMISSALS).json()["results"] == []
    url = f"{DISMISSALS}{created['id']}/"
    assert api(mail.users["operator"]).patch(url, {"reason": "Lain."}).status_code == 403
    assert api(mail.users["admin"]).patch(url, {"reason": "Alasan diperjelas."}).status_code == 200
    assert DuplicateDismissal.objects.get().reason == "Alasan diperjelas."
    # A pair with another OPD's draft: hidden from that operator.
    hidden = dismiss(mail.a, mail.c, "Beda.", mail.users["admin"])
    assert hidden.pk not in [r["id"] for r in api(mail.users["operator"]).get(DISMISSALS).json()["results"]]
    assert api(mail.users["operator"]).get(f"{DISMISSALS}{hidden.pk}/").status_code == 404
    assert api(mail.users["admin"]).delete(url).status_code == 204
