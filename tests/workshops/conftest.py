"""A kegiatan of the ``world``'s instansi for its two OPDs, with the verifikator as mentor, today 09:00-12:00."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sia.workshops.choices import WorkshopKind, WorkshopMode
from sia.workshops.models import Workshop


def at(clock, days=0):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), clock))


def make_workshop(world, departments=None, mentors=None, **values):
    values = {"institution": world.inst, "kind": WorkshopKind.BIMTEK, "title": "Bimtek Proses Bisnis",
              "starts_at": at(time(9)), "ends_at": at(time(12)), "mode": WorkshopMode.IN_PERSON,
              "place": "Aula Diskominfo", "domains": ["proses-bisnis"], "organiser": world.users["admin"],
              "checkin_code": "ABC234", **values}
    workshop = Workshop(**values)
    departments = [world.kominfo, world.dinkes] if departments is None else departments
    mentors = [world.users["verifier"]] if mentors is None else mentors
    workshop.pending_invitations = (departments, mentors)
    workshop.full_clean()
    workshop.save()
    workshop.departments.set(departments)
    workshop.mentors.set(mentors)
    return workshop


@pytest.fixture
def workshop(world):
    return make_workshop(world)
