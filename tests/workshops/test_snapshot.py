"""An instansi snapshot carries the programme: kegiatan with their invited OPDs, mentors and attendance, the mentors
of the OPDs, the targets and the daily progress figures; a user's notifications stay behind."""

import pytest

from sia.exchange.snapshot import uncovered_models
from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import restore_institution
from sia.notifications.models import Notification
from sia.organizations.models import MentorAssignment
from sia.progress.models import ProgressSnapshot, Target
from sia.workshops.choices import AttendanceStatus
from sia.workshops.models import Attendance, Workshop

from tests.progress.conftest import target

from .conftest import make_workshop

pytestmark = pytest.mark.django_db


def test_the_programme_survives_a_snapshot_round_trip(world):
    workshop = make_workshop(world, title="Bimtek Arsitektur")
    row = Attendance(workshop=workshop, participant=world.users["operator"], status=AttendanceStatus.PRESENT)
    row.full_clean()
    row.save()
    MentorAssignment.objects.create(department=world.kominfo, mentor=world.users["verifier"])
    target(world, name="Fungsi berproses", department=world.kominfo)
    ProgressSnapshot.objects.create(institution=world.inst, department=world.kominfo, domain="proses-bisnis",
                                    date="2026-11-30", count=4, complete=2, draft=3, submitted=1)
    assert uncovered_models() == []
    figures = ProgressSnapshot.objects.filter(institution=world.inst).count()
    assert figures

    restored = restore_institution(export_institution(world.inst), code="9993", confirm_users=True).institution

    copy = Workshop.objects.get(institution=restored)
    assert copy.title == "Bimtek Arsitektur" and copy.pk != workshop.pk
    assert {d.abbreviation for d in copy.departments.all()} == {world.kominfo.abbreviation, world.dinkes.abbreviation}
    assert all(d.institution == restored for d in copy.departments.all())
    assert list(copy.mentors.all()) == [world.users["verifier"]]
    attendance = Attendance.objects.get(workshop=copy)
    assert attendance.participant == world.users["operator"] and attendance.department.institution == restored
    mentor = MentorAssignment.objects.get(department__institution=restored)
    assert mentor.department.abbreviation == world.kominfo.abbreviation and mentor.mentor == world.users["verifier"]
    assert Target.objects.get(institution=restored).department.institution == restored
    assert ProgressSnapshot.objects.filter(institution=restored).count() == figures
    assert not Notification.objects.filter(institution=restored).exists()
