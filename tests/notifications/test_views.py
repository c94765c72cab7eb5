"""The notification centre: own notifications only, filter unread, mark read (htmx) and all read, the link to the
target asked again, the header badge, the e-mail preference; queries do not grow with rows."""

import re

import pytest

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess
from sia.notifications import kinds
from sia.notifications.models import Delivery, Notification, NotificationPreference
from sia.notifications.services import notify
from sia.organizations.models import Membership

pytestmark = pytest.mark.django_db

COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU."


@pytest.fixture
def returned(review):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    return Notification.objects.get(recipient=review.operator)


def test_the_centre_lists_own_notifications_with_the_comment(client, review, returned):
    client.force_login(review.operator)
    page = client.get("/notifikasi/").content.decode()
    assert COMMENT in page and f"/notifikasi/{returned.pk}/buka/" in page
    assert 'data-testid="notification-badge"' in page and '<span class="badge unread-count"' in page
    client.force_login(review.verifier)
    assert COMMENT not in client.get("/notifikasi/").content.decode()


def test_filter_unread_and_mark_read_with_htmx(client, review, returned):
    client.force_login(review.operator)
    response = client.post(f"/notifikasi/{returned.pk}/baca/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="notification-badge"' in body and 'hx-swap-oob="true"' in body and "unread-count" not in body
    returned.refresh_from_db()
    assert returned.read_at is not None
    page = client.get("/notifikasi/?belum=1", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="notification-list")
    assert page.content.decode().startswith('<div id="notification-list">')
    assert "Tidak ada notifikasi yang belum dibaca." in page.content.decode()


def test_nobody_marks_another_persons_notification(client, review, returned):
    client.force_login(review.author)
    assert client.post(f"/notifikasi/{returned.pk}/baca/").status_code == 404
    assert client.get(f"/notifikasi/{returned.pk}/buka/").status_code == 404
    returned.refresh_from_db()
    assert returned.read_at is None


def test_mark_all_read(client, review, returned):
    notify([review.operator], kinds.DEADLINE_MISSED.key, review.process, "Tenggat lewat.")
    client.force_login(review.operator)
    response = client.post("/notifikasi/baca-semua/", {"next": "/notifikasi/?belum=1"})
    assert response.status_code == 302 and response["Location"] == "/notifikasi/?belum=1"
    assert not Notification.objects.filter(recipient=review.operator, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=review.author, read_at__isnull=True).exists()
    assert client.post("/notifikasi/baca-semua/", {"next": "https://jahat.example/"})["Location"] == "/notifikasi/"


def test_open_follows_to_the_object_and_marks_read(client, review, returned):
    client.force_login(review.operator)
    response = client.get(f"/notifikasi/{returned.pk}/buka/")
    assert response.status_code == 302 and response["Location"] == review.process.get_absolute_url()
    returned.refresh_from_db()
    assert returned.read_at is not None


def test_an_object_no_longer_visible_is_not_opened_nor_linked(client, review, returned, world):
    Membership.objects.filter(user=review.operator).update(department=world.dinkes)
    client.force_login(review.operator)
    assert client.get(f"/notifikasi/{returned.pk}/buka/").status_code == 404
    page = client.get("/notifikasi/").content.decode()
    assert f"/notifikasi/{returned.pk}/buka/" not in page and "objek ini tidak lagi dapat Anda lihat" in page


def test_a_hidden_object_shows_no_message_and_is_not_counted_unread(client, review, returned, world):
    """The message holds the reviewer's comment and the object's name: neither is shown once the operator moved to
    another OPD, and the row leaves the badge's unread count (it stays in the centre, marked as not visible)."""
    client.force_login(review.operator)
    assert '<span class="badge unread-count" title="belum dibaca">1</span>' in client.get("/notifikasi/").content.decode()
    Membership.objects.filter(user=review.operator).update(department=world.dinkes)
    page = client.get("/notifikasi/").content.decode()
    assert f'id="notification-{returned.pk}"' in page and "objek ini tidak lagi dapat Anda lihat" in page
    assert COMMENT not in page and review.process.name not in page
    assert "unread-count" not in page and "unread-mark" not in page
    theirs = BusinessProcess.objects.create(department=world.dinkes, name="Pelayanan Imunisasi")
    moved = type(review.operator).objects.get(pk=review.operator.pk)  # without the grants cached before the move
    assert notify([moved], kinds.DEADLINE_MISSED.key, theirs, "Tenggat DINKES lewat.")
    page = client.get("/notifikasi/").content.decode()
    assert "Tenggat DINKES lewat." in page and '<span class="badge unread-count" title="belum dibaca">1</span>' in page


def test_another_instansi_is_not_shown_after_leaving_it(client, review, returned):
    Membership.objects.filter(user=review.operator).update(is_active=False)
    client.force_login(review.operator)
    page = client.get("/notifikasi/").content.decode()
    assert COMMENT not in page and "unread-count" not in page


def test_the_preference_is_the_users_own(client, review):
    client.force_login(review.operator)
    page = client.get("/notifikasi/pengaturan/").content.decode()
    assert "Ringkasan harian lewat surel" in page
    assert re.search(r'<input[^>]*value="harian"[^>]*checked', page)  # the default: the daily digest
    response = client.post("/notifikasi/pengaturan/", {"delivery": Delivery.IMMEDIATE})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=review.operator).delivery == Delivery.IMMEDIATE
    assert client.post("/notifikasi/pengaturan/", {"delivery": "sering"}).status_code == 200
    assert NotificationPreference.objects.get(user=review.operator).delivery == Delivery.IMMEDIATE
    assert NotificationPreference.objects.count() == 1


def test_signed_out_users_are_sent_to_login(client, returned):
    assert client.get("/notifikasi/").status_code == 302
    assert client.post(f"/notifikasi/{returned.pk}/baca/").status_code == 302


def _many(review, world, n):
    for i in range(n):
        process = BusinessProcess.objects.create(department=world.kominfo, name=f"Proses {i}",
                                                 reference=review.process.reference)
        notify([review.operator], kinds.REVIEW_VERIFIED.key if i % 2 else kinds.REVIEW_RETURNED.key, process,
               f"Proses {i} ditelaah.")


def test_the_centre_queries_do_not_grow(client, review, world, count_queries, query_budget):
    client.force_login(review.operator)
    _many(review, world, 2)
    client.get("/notifikasi/")
    few, _ = count_queries(lambda: client.get("/notifikasi/"))
    _many(review, world, 20)
    many, response = count_queries(lambda: client.get("/notifikasi/"))
    assert response.content.decode().count('data-testid="notification"') == 22
    assert few == many == query_budget["notifications.centre"], (few, many)
