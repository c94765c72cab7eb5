"""The demo kegiatan (``sia.workshops.demo``) on the demo province's OPDs and accounts: three past sessions, one of
them online with attendance problems noted, and one coming; attendance of invited operators and the mentor only."""

from django.utils import timezone

from sia.organizations.demo import load_organizations
from sia.workshops.choices import AttendanceStatus, WorkshopMode
from sia.workshops.demo import load_workshops
from sia.workshops.models import Attendance, Workshop


def test_demo_workshops(db):
    load_organizations()
    # without architecture objects nothing was produced; the coming session invites 3 operators and the mentor
    assert load_workshops() == "4 kegiatan, 13 kehadiran, 0 objek dikerjakan saat sesi, 4 undangan"
    assert load_workshops() == "sudah ada"
    now = timezone.now()
    past = list(Workshop.objects.filter(ends_at__lt=now).order_by("starts_at"))
    coming = list(Workshop.objects.filter(starts_at__gt=now))
    assert len(past) == 3 and len(coming) == 1
    online = [w for w in past if w.mode == WorkshopMode.ONLINE]
    assert len(online) == 1
    problems = Attendance.objects.filter(workshop=online[0], status=AttendanceStatus.ONLINE_PROBLEMS)
    assert problems.count() == 2 and all(row.note for row in problems)
    for row in Attendance.objects.select_related("workshop", "participant", "department"):
        row.full_clean()  # every record passes the rules (invited operator of its OPD, or the mentor)
        if row.department_id:
            assert row.participant.username == f"operator.{row.department.abbreviation.lower()}"
            assert row.workshop.departments.filter(pk=row.department_id).exists()
        else:
            assert row.participant.username == "verifikator"
    assert not Attendance.objects.filter(workshop__in=coming).exists()
    assert all(w.organiser.username == "koordinator" and w.mentors.filter(username="verifikator").exists()
               for w in past + coming)
