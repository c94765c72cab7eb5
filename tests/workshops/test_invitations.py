"""The invitation to a kegiatan (kind ``workshop-invitation``): sent when the koordinator creates it on the page or
through the API, to the invited OPDs' operators and the mentors (not other OPDs' operators, not the organiser), and
on an edit to those newly invited, and to those invited before when the time or place changed; e-mailed after the commit to who chose immediate e-mail; never for a
session that is over."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sia.core.roles import Role
from sia.notifications.models import Delivery, Notification, NotificationPreference
from sia.notifications.services import run_sources
from sia.workshops.invitations import send_invitations
from sia.workshops.models import Workshop
from tests import factories as f

from .conftest import at, make_workshop
from .test_views import client_for

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def told(workshop=None):
    rows = Notification.objects.filter(kind="workshop-invitation")
    if workshop is not None:
        rows = rows.filter(object_id=workshop.pk)
    return sorted(rows.values_list("recipient__username", flat=True))


def _form(world, departments, mentors, days=5, **values):
    return {"institution": world.inst.pk, "kind": "bimtek", "title": "Bimtek Peta Rencana", "description": "",
            "starts_at": at(time(9), days).strftime(LOCAL), "ends_at": at(time(12), days).strftime(LOCAL),
            "mode": "tatap-muka", "place": "Aula Diskominfo", "meeting_link": "", "domains": ["layanan"],
            "departments": [d.pk for d in departments], "mentors": [u.pk for u in mentors], **values}


def test_created_and_edited_on_the_page(world, django_capture_on_commit_callbacks):
    w = world
    w.users["operator"].email = "op.kominfo@example.go.id"
    w.users["operator"].save(update_fields=["email"])
    NotificationPreference.objects.create(user=w.users["operator"], delivery=Delivery.IMMEDIATE)
    client = client_for(w.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshops:workshop_add"), _form(w, [w.kominfo], [w.users["verifier"]]))
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get()
    assert told(workshop) == ["op.kominfo", "verif"]  # not DINKES's operator, not the organiser
    note = Notification.objects.get(recipient=w.users["operator"])
    start = at(time(9), 5)
    assert note.message == (f"Undangan Bimbingan teknis (bimtek) «Bimtek Peta Rencana»: {start:%d-%m-%Y} "
                            "09.00–12.00 WIB, tatap muka di Aula Diskominfo.")
    assert note.url == workshop.get_absolute_url()
    (message,) = mail.outbox
    assert message.to == ["op.kominfo@example.go.id"] and note.message in message.body
    # the edit invites DINKES too: only its operator is told now
    edit = _form(w, [w.kominfo, w.dinkes], [w.users["verifier"]], title="Bimtek Peta Rencana (ruang baru)")
    response = client.post(reverse("workshops:workshop_edit", args=[workshop.pk]), edit)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert told(workshop) == ["op.dinkes", "op.kominfo", "verif"]
    assert "(ruang baru)" in Notification.objects.get(recipient=w.users["operator_dinkes"]).message


def test_no_invitation_for_a_past_session(world):
    client = client_for(world.users["admin"])
    response = client.post(reverse("workshops:workshop_add"),
                           _form(world, [world.kominfo, world.dinkes], [world.users["verifier"]], days=-3))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Workshop.objects.count() == 1 and told() == []


def test_created_and_edited_through_the_api(world, api):
    w = world
    client = api(w.users["admin"])
    body = {"institution": w.inst.pk, "kind": "workshop", "title": "Workshop Arsitektur Data",
            "starts_at": at(time(9), 7).isoformat(), "ends_at": at(time(15), 7).isoformat(), "mode": "hibrida",
            "place": "Aula Bappeda", "meeting_link": "https://zoom.us/j/99", "domains": ["data"],
            "departments": ["DINKES"], "mentors": ["verif"]}
    response = client.post("/api/workshops/workshops/", body, format="json")
    assert response.status_code == 201, response.content
    workshop = Workshop.objects.get(pk=response.json()["id"])
    assert told(workshop) == ["op.dinkes", "verif"]  # not DISKOMINFO's operator
    message = Notification.objects.get(recipient=w.users["operator_dinkes"]).message
    assert message.startswith("Undangan Workshop «Workshop Arsitektur Data»: ")
    assert "09.00–15.00 WIB, hibrida, di Aula Bappeda atau daring: https://zoom.us/j/99." in message
    url = f"/api/workshops/workshops/{workshop.pk}/"
    response = client.patch(url, {"departments": ["DINKES", "DISKOMINFO"]}, format="json")
    assert response.status_code == 200, response.content
    assert told(workshop) == ["op.dinkes", "op.kominfo", "verif"]
    response = client.patch(url, {"title": "Workshop Arsitektur Data (ulang)"}, format="json")
    assert response.status_code == 200, response.content
    assert len(told(workshop)) == 3  # nobody newly invited, neither time nor place changed: nobody told again
    later = at(time(13), 8)
    response = client.patch(url, {"starts_at": later.isoformat(), "ends_at": at(time(16), 8).isoformat()},
                            format="json")
    assert response.status_code == 200, response.content
    assert told(workshop) == ["op.dinkes", "op.dinkes", "op.kominfo", "op.kominfo", "verif", "verif"]
    changed = Notification.objects.filter(object_id=workshop.pk, message__contains="diubah")
    assert changed.count() == 3
    assert changed.first().message == (f"Undangan Workshop «Workshop Arsitektur Data (ulang)» diubah: kini "
                                       f"{later:%d-%m-%Y} 13.00–16.00 WIB, hibrida, di Aula Bappeda atau daring: "
                                       "https://zoom.us/j/99.")


def test_a_new_place_on_the_page_tells_those_already_invited(world):
    w = world
    client = client_for(w.users["admin"])
    response = client.post(reverse("workshops:workshop_add"), _form(w, [w.kominfo], [w.users["verifier"]]))
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get()
    moved = _form(w, [w.kominfo, w.dinkes], [w.users["verifier"]], place="Ruang Rapat Bappeda Lt. 2")
    response = client.post(reverse("workshops:workshop_edit", args=[workshop.pk]), moved)
    assert response.status_code == 302, response.content.decode()[:2000]
    notes = {(n.recipient.username, "diubah" in n.message) for n in Notification.objects.filter(object_id=workshop.pk)}
    assert notes == {("op.kominfo", False), ("verif", False), ("op.kominfo", True), ("verif", True),
                     ("op.dinkes", False)}  # DINKES, newly invited, gets the invitation itself (at the new place)
    for note in Notification.objects.filter(message__contains="diubah"):
        assert note.message.endswith("tatap muka di Ruang Rapat Bappeda Lt. 2.")
    assert "Ruang Rapat Bappeda Lt. 2" in Notification.objects.get(recipient=w.users["operator_dinkes"]).message


def test_who_joins_an_invited_opd_later_is_invited_by_the_next_daily_run(world):
    """An operator added to an invited OPD after the invitation went out gets it from ``notify_daily``'s source
    (once: not again the day after, nor after reading it); those told already, other OPDs' operators and a session
    that is over are left alone."""
    w = world
    coming = make_workshop(w, departments=[w.kominfo], starts_at=at(time(9), 3), ends_at=at(time(12), 3))
    past = make_workshop(w, departments=[w.kominfo], title="Bimtek lalu", starts_at=at(time(9), -3),
                         ends_at=at(time(12), -3))
    send_invitations(coming)
    assert told(coming) == ["op.kominfo", "verif"]
    Notification.objects.update(read_at=timezone.now())  # read: an invitation read is no reason to send it again
    late = f.member(w.inst, Role.OPERATOR, w.kominfo, username="op.kominfo.baru")
    f.member(w.inst, Role.OPERATOR, w.dinkes, username="op.dinkes.baru")  # DINKES is not invited
    today = timezone.localdate()
    assert run_sources(today)["workshop-invitations"] == 1
    assert told(coming) == ["op.kominfo", "op.kominfo.baru", "verif"] and told(past) == []
    note = Notification.objects.get(recipient=late)
    assert note.message.startswith("Undangan Bimbingan teknis (bimtek) «Bimtek Proses Bisnis»:")
    assert note.url == coming.get_absolute_url()
    Notification.objects.update(read_at=timezone.now())
    assert run_sources(today + timedelta(days=1))["workshop-invitations"] == 0
