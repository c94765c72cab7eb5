"""“Not a copy” of a national shared application, and undoing a “not a duplicate” mark: the model's rules,
the page, the API and who may do what."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.portfolio.duplicates import dismiss, dismissals, duplicate_candidates, undo_dismissal
from sia.portfolio.models import NATIONAL_KIND, DuplicateDismissal

URL = reverse("portfolio:duplicates")
DISMISS = reverse("portfolio:dismiss")
LIST = reverse("portfolio:dismissals")
DISMISSALS = "/api/portfolio/duplicate-dismissals/"


def make(dept, name, function="", status=ReviewStatus.VALIDATED):
    app = Application.objects.create(department=dept, name=name, function=function)
    Application.objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()
    return app


def undo_url(mark):
    return reverse("portfolio:undo_dismissal", args=[mark.pk])


@pytest.fixture
def naskah(world):
    """A local copy of SRIKANDI (DISKOMINFO, validated) and a mail pair of DISKOMINFO and DINKES."""
    seed_value_lists(world.inst)
    world.srikandi = ValueListItem.objects.get(institution=world.inst, kind=NATIONAL_KIND,
                                               name__startswith="SRIKANDI")
    world.local = make(world.kominfo, "Aplikasi Tata Naskah Dinas dan Kearsipan Dinamis",
                       "Naskah dinas, arsip dinamis")
    world.a = make(world.kominfo, "e-Surat", "Surat masuk, surat keluar dan disposisi")
    world.b = make(world.dinkes, "Persuratan Elektronik", "Pencatatan surat masuk dan keluar, disposisi")
    return world


def flagged(world, app, national):
    return any(c.first_id == app.pk and c.national_id == national.pk for c in duplicate_candidates(world.inst.pk))


def paired(world, a, b):
    return any({c.first_id, c.second_id} == {a.pk, b.pk} for c in duplicate_candidates(world.inst.pk))


# --- the model's rules --------------------------------------------------------------------------------
def test_a_national_flag_is_dismissed_for_good(naskah):
    assert flagged(naskah, naskah.local, naskah.srikandi)
    mark = dismiss(naskah.local, None, "Arsip statis saja, bukan naskah dinas.", naskah.users["verifier"],
                   national=naskah.srikandi)
    assert (mark.institution, mark.second, mark.national, mark.decided_by) == (
        naskah.inst, None, naskah.srikandi, naskah.users["verifier"])
    assert not flagged(naskah, naskah.local, naskah.srikandi)
    assert paired(naskah, naskah.a, naskah.b)  # pairs are untouched
    Application.objects.filter(pk=naskah.local.pk).update(function="Naskah dinas dan arsip dinamis elektronik")
    assert not flagged(naskah, naskah.local, naskah.srikandi)
    with pytest.raises(ValidationError, match="sudah ditandai"):
        dismiss(naskah.local, None, "Lagi.", national=naskah.srikandi)


def test_the_rules_of_a_national_mark(naskah):
    with pytest.raises(ValidationError) as error:
        dismiss(naskah.local, None, "  ", national=naskah.srikandi)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        dismiss(naskah.local, None, "Tanpa pasangan.")
    assert "second" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        dismiss(naskah.local, naskah.a, "Keduanya.", national=naskah.srikandi)
    assert "second" in error.value.message_dict
    other_kind = ValueListItem.objects.filter(institution=naskah.inst).exclude(kind=NATIONAL_KIND).first()
    with pytest.raises(ValidationError) as error:
        dismiss(naskah.local, None, "Bukan daftar nasional.", national=other_kind)
    assert "national" in error.value.message_dict
    seed_value_lists(naskah.other)
    far_srikandi = ValueListItem.objects.get(institution=naskah.other, kind=NATIONAL_KIND, name=naskah.srikandi.name)
    with pytest.raises(ValidationError) as error:
        dismiss(naskah.local, None, "Daftar instansi lain.", national=far_srikandi)
    assert "national" in error.value.message_dict
    assert not DuplicateDismissal.objects.exists()


def test_the_database_holds_exactly_one_of_second_and_national(naskah):
    for second, national in ((None, None), (naskah.b, naskah.srikandi)):
        with pytest.raises(IntegrityError), transaction.atomic():
            DuplicateDismissal.objects.create(institution=naskah.inst, first=naskah.a, second=second,
                                              national=national, reason="x")
    first, second = sorted((naskah.a, naskah.b), key=lambda app: app.pk)
    with pytest.raises(IntegrityError), transaction.atomic():  # pairs stay in ID order
        DuplicateDismissal.objects.create(institution=naskah.inst, first=second, second=first, reason="x")
    DuplicateDismissal.objects.create(institution=naskah.inst, first=second, national=naskah.srikandi, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():  # once per application and national item
        DuplicateDismissal.objects.create(institution=naskah.inst, first=second, national=naskah.srikandi, reason="y")


def test_undoing_brings_the_candidate_back_and_is_in_the_history(naskah):
    pair = dismiss(naskah.a, naskah.b, "Beda.", naskah.users["admin"])
    flag = dismiss(naskah.local, None, "Beda.", naskah.users["admin"], national=naskah.srikandi)
    assert list(dismissals(naskah.users["verifier"], naskah.inst.pk)) == [flag, pair]
    ids = [pair.pk, flag.pk]
    undo_dismissal(pair, naskah.users["verifier"])
    undo_dismissal(flag, naskah.users["verifier"])
    assert paired(naskah, naskah.a, naskah.b) and flagged(naskah, naskah.local, naskah.srikandi)
    deleted = DuplicateDismissal.history.filter(history_type="-").order_by("history_date")
    assert [(h.id, h.history_user) for h in deleted] == [(pk, naskah.users["verifier"]) for pk in ids]


# --- the pages ----------------------------------------------------------------------------------------
def test_the_page_offers_bukan_duplikat_on_national_flags(client, naskah):
    client.force_login(naskah.users["verifier"])
    html = client.get(URL).content.decode()
    row = html[html.index(f'data-pair="{naskah.local.pk}-n{naskah.srikandi.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Tandai bukan duplikat" in row and f'name="national" value="{naskah.srikandi.pk}"' in row
    assert 'name="second"' not in row
    response = client.post(DISMISS, {"first": naskah.local.pk, "national": naskah.srikandi.pk,
                                     "reason": "Hanya arsip statis.", "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    html = client.get(URL).content.decode()
    assert f'data-pair="{naskah.local.pk}-n{naskah.srikandi.pk}"' not in html
    assert f'data-pair="{naskah.a.pk}-{naskah.b.pk}"' in html
    mark = DuplicateDismissal.objects.get()
    assert (mark.first, mark.national, mark.decided_by) == (naskah.local, naskah.srikandi, naskah.users["verifier"])
    # The form again with its errors: no reason; once only.
    response = client.post(DISMISS, {"first": naskah.local.pk, "national": naskah.srikandi.pk, "reason": "Lagi."})
    assert response.status_code == 400 and "sudah ditandai" in response.content.decode()
    assert DuplicateDismissal.objects.count() == 1
    form = client.get(DISMISS, {"first": naskah.a.pk, "national": naskah.srikandi.pk})
    assert form.status_code == 200 and "SRIKANDI" in form.content.decode()


def test_national_marks_name_a_national_item_of_the_instansi(client, naskah):
    client.force_login(naskah.users["admin"])
    other_kind = ValueListItem.objects.filter(institution=naskah.inst).exclude(kind=NATIONAL_KIND).first()
    seed_value_lists(naskah.other)
    far = ValueListItem.objects.get(institution=naskah.other, kind=NATIONAL_KIND, name=naskah.srikandi.name)
    for national in (other_kind.pk, far.pk, 2**40):
        response = client.post(DISMISS, {"first": naskah.local.pk, "national": national, "reason": "Beda."})
        assert response.status_code == 404
    both = {"first": naskah.local.pk, "second": naskah.a.pk, "national": naskah.srikandi.pk, "reason": "Beda."}
    assert client.post(DISMISS, both).status_code == 400
    assert client.post(DISMISS, {"first": naskah.local.pk, "reason": "Beda."}).status_code == 400
    assert not DuplicateDismissal.objects.exists()


@pytest.mark.parametrize("role,status", [("operator", 403), ("leader", 403), ("assessor", 403), ("other_admin", 404),
                                         ("admin", 302), ("verifier", 302)])
def test_who_may_dismiss_a_national_flag(client, naskah, role, status):
    client.force_login(naskah.users[role])
    response = client.post(DISMISS, {"first": naskah.local.pk, "national": naskah.srikandi.pk, "reason": "Beda."})
    assert response.status_code == status
    assert DuplicateDismissal.objects.exists() == (status == 302)


def test_the_list_of_marks_shows_who_when_why(client, naskah):
    pair = dismiss(naskah.a, naskah.b, "Satu untuk surat, satu untuk arsip.", naskah.users["admin"])
    flag = dismiss(naskah.local, None, "Hanya arsip statis.", naskah.users["verifier"], national=naskah.srikandi)
    client.force_login(naskah.users["verifier"])
    assert f'href="{LIST}?instansi={naskah.inst.pk}"' in client.get(URL).content.decode()
    html = client.get(LIST).content.decode()
    assert html.count('data-testid="dismissal-row"') == 2
    for text in ("Satu untuk surat, satu untuk arsip.", "Hanya arsip statis.", "koord", "verif", "SRIKANDI",
                 naskah.a.name, naskah.b.name, naskah.local.name, "DISKOMINFO", "DINKES", "<time datetime="):
        assert text in html, text
    assert undo_url(pair) in html and undo_url(flag) in html and "Batalkan" in html
    # Filtered by OPD: DINKES's pair only.
    html = client.get(LIST, {"department": naskah.dinkes.pk}).content.decode()
    assert f'data-mark="{pair.pk}"' in html and f'data-mark="{flag.pk}"' not in html


def test_readers_see_the_list_without_batalkan(client, naskah):
    hidden = dismiss(naskah.a, make(naskah.dinkes, "Draf", status=ReviewStatus.DRAFT), "Beda.")
    flag = dismiss(naskah.local, None, "Beda.", national=naskah.srikandi)
    for role in ("operator", "leader", "assessor"):
        client.force_login(naskah.users[role])
        html = client.get(LIST).content.decode()
        assert f'data-mark="{flag.pk}"' in html and "Batalkan" not in html, role
        assert (f'data-mark="{hidden.pk}"' in html) == (role != "operator"), role  # another OPD's draft
    client.force_login(naskah.users["other_admin"])
    assert 'data-testid="dismissal-row"' not in client.get(LIST).content.decode()


@pytest.mark.parametrize("role,status", [("operator", 403), ("leader", 403), ("assessor", 403), ("other_admin", 404),
                                         ("admin", 302), ("verifier", 302)])
def test_who_may_undo(client, naskah, role, status):
    mark = dismiss(naskah.local, None, "Beda.", naskah.users["verifier"], national=naskah.srikandi)
    client.force_login(naskah.users[role])
    assert client.get(undo_url(mark)).status_code == (200 if status == 302 else status)
    response = client.post(undo_url(mark))
    assert response.status_code == status
    assert DuplicateDismissal.objects.exists() == (status != 302)


def test_undo_on_the_page_asks_first_then_brings_the_pair_back(client, naskah):
    mark = dismiss(naskah.a, naskah.b, "Satu untuk surat, satu untuk arsip.", naskah.users["admin"])
    mark_id = mark.pk
    client.force_login(naskah.users["verifier"])
    assert f'data-pair="{naskah.a.pk}-{naskah.b.pk}"' not in client.get(URL).content.decode()
    page = client.get(undo_url(mark), {"next": LIST})
    html = page.content.decode()
    assert page.status_code == 200 and "Ya, batalkan" in html and "Satu untuk surat, satu untuk arsip." in html
    assert 'method="post"' in html and DuplicateDismissal.objects.exists()  # the GET only asks
    response = client.post(undo_url(mark), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert not DuplicateDismissal.objects.exists()
    assert f'data-pair="{naskah.a.pk}-{naskah.b.pk}"' in client.get(URL).content.decode()
    last = DuplicateDismissal.history.latest("history_date")
    assert (last.history_type, last.id, last.history_user) == ("-", mark_id, naskah.users["verifier"])
    assert client.post(undo_url(mark)).status_code == 404  # gone


def test_the_list_query_count_does_not_grow_with_marks(client, naskah, count_queries):
    client.force_login(naskah.users["operator"])
    dismiss(naskah.a, naskah.b, "Beda.")
    small, response = count_queries(lambda: client.get(LIST))
    assert response.status_code == 200
    for n in range(12):
        app = make([naskah.kominfo, naskah.dinkes][n % 2], f"Sistem {n}")
        dismiss(app, naskah.a if n % 3 else None, f"Beda {n}.", naskah.users["admin"],
                national=None if n % 3 else naskah.srikandi)
    large, response = count_queries(lambda: client.get(LIST))
    assert response.content.decode().count('data-testid="dismissal-row"') == 13
    assert large == small, (small, large)


# --- the API ------------------------------------------------------------------------------------------
def test_api_national_marks_by_natural_key_and_their_undo(api, naskah):
    body = {"first": naskah.local.code, "national": naskah.srikandi.name, "reason": "Hanya arsip statis."}
    for role in ("operator", "leader", "assessor"):
        assert api(naskah.users[role]).post(DISMISSALS, body).status_code == 403, role
    response = api(naskah.users["verifier"]).post(DISMISSALS, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["second"] is None and created["national"]["id"] == naskah.srikandi.pk
    assert created["decided_by"] == "verif"
    assert not flagged(naskah, naskah.local, naskah.srikandi)
    assert api(naskah.users["verifier"]).post(DISMISSALS, body).status_code == 400  # once
    # By ID too; exactly one of second and national; a national item of the list, of this instansi.
    other = make(naskah.kominfo, "Naskah Dinas Elektronik")
    by_id = {"first": other.pk, "national": naskah.srikandi.pk, "reason": "Beda."}
    assert api(naskah.users["admin"]).post(DISMISSALS, {**by_id, "second": naskah.a.pk}).status_code == 400
    assert api(naskah.users["admin"]).post(DISMISSALS, {"first": other.pk, "reason": "Beda."}).status_code == 400
    wrong = ValueListItem.objects.filter(institution=naskah.inst).exclude(kind=NATIONAL_KIND).first()
    assert api(naskah.users["admin"]).post(DISMISSALS, {**by_id, "national": wrong.pk}).status_code == 400
    assert api(naskah.users["admin"]).post(DISMISSALS, {**by_id, "national": "Tidak Ada"}).status_code == 400
    assert api(naskah.users["admin"]).post(DISMISSALS, by_id).status_code == 201
    # Read: operators (the application is theirs), filtered by kind; another instansi sees nothing.
    rows = api(naskah.users["operator"]).get(DISMISSALS, {"kind": "nasional"}).json()["results"]
    assert {r["first"]["id"] for r in rows} == {naskah.local.pk, other.pk}
    assert api(naskah.users["operator"]).get(DISMISSALS, {"kind": "pasangan"}).json()["results"] == []
    assert api(naskah.users["other_admin"]).get(DISMISSALS).json()["results"] == []
    # Undo: only the markers; the flag is back, the history says who.
    url = f"{DISMISSALS}{created['id']}/"
    assert api(naskah.users["operator"]).delete(url).status_code == 403
    assert api(naskah.users["leader"]).delete(url).status_code == 403
    assert api(naskah.users["admin"]).delete(url).status_code == 204
    assert flagged(naskah, naskah.local, naskah.srikandi)
    last = DuplicateDismissal.history.filter(history_type="-").get()
    assert (last.id, last.history_user) == (created["id"], naskah.users["admin"])


def test_a_national_mark_survives_a_snapshot_round_trip(naskah):
    from sia.exchange.snapshot_export import export_institution
    from sia.exchange.snapshot_restore import restore_institution

    dismiss(naskah.local, None, "Hanya arsip statis.", naskah.users["verifier"], national=naskah.srikandi)
    restored = restore_institution(export_institution(naskah.inst), code="9994", confirm_users=True).institution
    mark = DuplicateDismissal.objects.get(institution=restored)
    assert mark.second is None and mark.first.name == naskah.local.name and mark.first.institution == restored
    assert (mark.national.institution, mark.national.kind, mark.national.name) == (
        restored, NATIONAL_KIND, naskah.srikandi.name)
    assert not any(c.first_id == mark.first_id and c.national_id == mark.national_id
                   for c in duplicate_candidates(restored.pk))
