"""``/api/notifications/notifications/`` (own only; ``mark-read``, ``mark-all-read``) and
``/api/notifications/preferences/`` (own only)."""

import pytest

from sia.architecture import workflow
from sia.notifications import kinds
from sia.notifications.models import Delivery, Notification, NotificationPreference
from sia.notifications.services import notify

from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db

URL = "/api/notifications/notifications/"
COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU."


class TestPreferenceApi(ApiContract):
    url = "/api/notifications/preferences/"
    model = NotificationPreference
    writer = "operator"
    read_only = ()
    hidden_from = ("admin", "other_admin", "superuser", "operator_dinkes")  # nobody reads another's preference
    create_denied = ()

    def make_object(self, w):
        return NotificationPreference.objects.create(user=w.users["operator"], delivery=Delivery.NONE)

    def create_data(self, w):
        return {"delivery": Delivery.IMMEDIATE}

    def update_data(self, w):
        return {"delivery": Delivery.DAILY}


class TestNotificationApi(ApiContract):
    """The contract of a read-only resource with one transition (mark read): nobody creates, changes or deletes a
    notification through the API (405), and nobody but its recipient sees it (404)."""

    url = URL
    model = Notification
    writer = "operator"
    read_only = ()
    hidden_from = ("operator_dinkes", "verifier", "admin", "leader", "other_admin", "superuser")
    create_denied = ("operator", "admin", "superuser")

    def make_object(self, w):
        from sia.architecture.models import BusinessProcess

        process = BusinessProcess.objects.create(department=w.kominfo, name="Proses Uji Notifikasi")
        (note,) = notify([w.users["operator"]], kinds.REVIEW_RETURNED.key, process, "Lengkapi uraian.")
        return note

    def create_data(self, w):
        return {"kind": kinds.REVIEW_RETURNED.key, "message": "Palsu."}

    def update_data(self, w):
        return {"message": "Diubah."}

    def test_hidden_objects_are_not_found(self, world, api):
        obj = self.make_object(world)
        for role in self.hidden_from:
            client = api(world.users[role])
            assert obj.pk not in [row["id"] for row in client.get(self.url).json()["results"]], role
            assert client.get(self.detail(obj)).status_code == 404, role
            assert client.post(f"{self.detail(obj)}mark-read/").status_code == 404, role
        obj.refresh_from_db()
        assert obj.read_at is None

    def test_create_denied(self, world, api):
        for role in self.create_denied:
            assert api(world.users[role]).post(self.url, self.create_data(world), format="json").status_code == 405
        assert not Notification.objects.exists()

    def test_create_update_delete(self, world, api):
        obj = self.make_object(world)
        client = api(world.users[self.writer])
        assert client.patch(self.detail(obj), self.update_data(world), format="json").status_code == 405
        assert client.put(self.detail(obj), self.update_data(world), format="json").status_code == 405
        assert client.delete(self.detail(obj)).status_code == 405
        assert client.post(f"{self.detail(obj)}mark-read/").json()["is_read"] is True


def test_a_second_preference_is_refused(world, api):
    client = api(world.users["leader"])
    assert client.post("/api/notifications/preferences/", {"delivery": "segera"}, format="json").status_code == 201
    second = client.post("/api/notifications/preferences/", {"delivery": "tidak"}, format="json")
    assert second.status_code == 400 and "user" in second.json()
    assert NotificationPreference.objects.get(user=world.users["leader"]).delivery == Delivery.IMMEDIATE
    assert client.post("/api/notifications/preferences/", {"delivery": "kadang"}, format="json").status_code == 400


@pytest.fixture
def returned(review):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    return Notification.objects.get(recipient=review.operator)


def test_own_notifications_only(review, returned, api, world):
    body = api(review.operator).get(URL).json()
    assert [row["id"] for row in body["results"]] == [returned.pk]
    row = body["results"][0]
    assert list(row)[:3] == ["id", "url", "display"] and list(row)[-2:] == ["created", "updated"]
    assert (row["kind"], row["kind_label"], row["is_read"]) == ("review-returned", "Dikembalikan dengan catatan", False)
    assert COMMENT in row["message"] and row["link"] == review.process.get_absolute_url()
    assert (row["target_type"], row["target_id"]) == ("architecture.businessprocess", review.process.pk)
    for other in ("verifier", "admin", "superuser", "operator_dinkes", "other_admin"):
        client = api(world.users[other])
        assert returned.pk not in [r["id"] for r in client.get(URL).json()["results"]], other
        assert client.get(f"{URL}{returned.pk}/").status_code == 404, other
        assert client.post(f"{URL}{returned.pk}/mark-read/").status_code == 404, other
    returned.refresh_from_db()
    assert returned.read_at is None


def test_a_hidden_object_gives_no_message(review, returned, api, world):
    """As in the centre: once the operator moved to another OPD, the comment and the object's name are not sent."""
    from sia.organizations.models import Membership

    client = api(review.operator)
    assert client.get(URL).json()["results"][0]["target_visible"] is True
    Membership.objects.filter(user=review.operator).update(department=world.dinkes)
    client = api(type(review.operator).objects.get(pk=review.operator.pk))
    for row in (client.get(URL).json()["results"][0], client.get(f"{URL}{returned.pk}/").json(),
                client.post(f"{URL}{returned.pk}/mark-read/").json()):
        assert (row["id"], row["target_visible"], row["message"], row["link"]) == (returned.pk, False, "", "")
        assert row["display"] == "Dikembalikan dengan catatan" and COMMENT not in str(row)
        assert review.process.name not in str(row)


def test_mark_read_and_mark_all_read(review, returned, api):
    notify([review.operator], kinds.DEADLINE_MISSED.key, review.process, "Tenggat lewat.")
    client = api(review.operator)
    assert client.get(URL + "?unread=true").json()["count"] == 2
    response = client.post(f"{URL}{returned.pk}/mark-read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.get(URL + "?unread=true").json()["count"] == 1
    assert client.post(f"{URL}mark-all-read/").json() == {"marked": 1}
    assert client.get(URL + "?unread=true").json()["count"] == 0
    assert Notification.objects.filter(recipient=review.author, read_at__isnull=True).count() == 1


def test_notifications_are_not_written_through_the_api(review, returned, api):
    client = api(review.operator)
    assert client.post(URL, {"kind": "review-returned", "message": "palsu"}, format="json").status_code == 405
    assert client.patch(f"{URL}{returned.pk}/", {"message": "palsu"}, format="json").status_code == 405
    assert client.delete(f"{URL}{returned.pk}/").status_code == 405
    assert client.get(URL).json()["count"] == 1


def test_anonymous_is_refused(returned, api):
    assert api().get(URL).status_code in (401, 403)
    assert api().post(f"{URL}mark-all-read/").status_code in (401, 403)


def test_list_queries_do_not_grow(review, world, api, count_queries, query_budget):
    from sia.architecture.models import BusinessProcess

    client = api(review.operator)

    def more(n):
        for i in range(n):
            process = BusinessProcess.objects.create(department=world.kominfo, name=f"P {i}",
                                                     reference=review.process.reference)
            notify([review.operator], kinds.REVIEW_VERIFIED.key, process, f"P {i}.")

    more(2)
    client.get(URL)
    few, _ = count_queries(lambda: client.get(URL))
    more(15)
    many, response = count_queries(lambda: client.get(URL))
    assert response.json()["count"] == 17
    assert few == many == query_budget["notifications.api.notifications"], (few, many)
