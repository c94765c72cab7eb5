"""Demo kegiatan of the province: three past sessions (one online, with attendance problems) and one coming, with
attendance of the demo operators and the verifikator as mentor. Dates count from today, times are local."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sia.core.demo import register_demo
from sia.organizations.models import Institution

from .choices import AttendanceStatus as S
from .choices import WorkshopKind, WorkshopMode
from .models import Attendance, Workshop

# (days from today, start, end, kind, mode, title, place, link, domains, invited OPDs, code, attendance)
# attendance: OPD abbreviation (its demo operator) or "verifikator" -> (status, note, self-recorded)
WORKSHOPS = [
    (-42, time(9), time(15), WorkshopKind.BIMTEK, WorkshopMode.IN_PERSON,
     "Bimtek Penyusunan Arsitektur Proses Bisnis", "Aula Dinas Kominfo dan Persandian, Sofifi", "",
     ["proses-bisnis"], ["BAPPEDA", "DINKES", "DIKBUD"], "PB7K3M",
     {"BAPPEDA": (S.PRESENT, "", True), "DINKES": (S.PRESENT, "", True),
      "DIKBUD": (S.EXCUSED, "Bertepatan dengan rapat persiapan PPDB.", False), "verifikator": (S.PRESENT, "", True)}),
    (-28, time(13), time(16), WorkshopKind.WORKSHOP, WorkshopMode.ONLINE,
     "Workshop Daring Arsitektur Layanan dan Data", "", "https://zoom.us/j/81234567890",
     ["layanan", "data"], ["DISKOMINFOSAN", "BAPPEDA", "DINKES", "BPKAD"], "LD4RN9",
     {"DISKOMINFOSAN": (S.PRESENT, "", True),
      "BAPPEDA": (S.ONLINE_PROBLEMS, "Suara terputus-putus pada sesi kedua; tertinggal materi katalog data.", True),
      "DINKES": (S.ONLINE_PROBLEMS, "Tidak dapat masuk ruang rapat selama 40 menit (tautan ditolak).", False),
      "BPKAD": (S.ABSENT, "", False), "verifikator": (S.PRESENT, "", False)}),
    (-14, time(9), time(12), WorkshopKind.COORDINATION, WorkshopMode.HYBRID,
     "Rapat Koordinasi Tim Koordinasi SPBE Triwulan IV", "Ruang Rapat Sekretariat Daerah, Sofifi",
     "https://meet.google.com/spb-ekor-dnsi", [], ["SETDA", "BAPPEDA", "DISKOMINFOSAN", "INSPEKTORAT"], "RK9TW4",
     {"SETDA": (S.PRESENT, "", False), "BAPPEDA": (S.PRESENT, "", True), "DISKOMINFOSAN": (S.PRESENT, "", True),
      "INSPEKTORAT": (S.EXCUSED, "Tugas pemeriksaan di Kabupaten Halmahera Selatan.", False)}),
    (7, time(9), time(15), WorkshopKind.BIMTEK, WorkshopMode.IN_PERSON,
     "Bimtek Arsitektur Aplikasi dan Infrastruktur", "Aula Bappeda, Sofifi", "",
     ["aplikasi", "infrastruktur"], ["DISKOMINFOSAN", "BAPPEDA", "DINKES"], "AI5BMT", {}),
]


def _at(day, clock):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=day), clock))


@register_demo(50, "Kegiatan pendampingan (bimtek, workshop, rapat koordinasi)")
def load_workshops() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if Workshop.objects.filter(institution=institution).exists():
        return "sudah ada"
    departments = {dept.abbreviation: dept for dept in institution.departments.all()}
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["koordinator", "verifikator"] + [f"operator.{a.lower()}" for a in departments])}
    organiser, mentor = users.get("koordinator"), users.get("verifikator")
    written = 0
    with transaction.atomic():
        for day, start, end, kind, mode, title, place, link, domains, invited, code, attendance in WORKSHOPS:
            workshop = Workshop(institution=institution, kind=kind, title=title, starts_at=_at(day, start),
                                ends_at=_at(day, end), mode=mode, place=place, meeting_link=link, domains=domains,
                                organiser=organiser, checkin_code=code)
            chosen = [departments[a] for a in invited if a in departments]
            mentors = [mentor] if mentor else []
            workshop.pending_invitations = (chosen, mentors)
            workshop.full_clean()
            workshop._history_user = organiser
            workshop.save()
            workshop.departments.set(chosen)
            workshop.mentors.set(mentors)
            for who, (status, note, self_recorded) in attendance.items():
                user = users.get(who if who == "verifikator" else f"operator.{who.lower()}")
                if user is None:
                    continue
                row = Attendance(workshop=workshop, participant=user, status=status, note=note,
                                 self_recorded=self_recorded,
                                 recorded_at=workshop.starts_at + timedelta(minutes=12) if self_recorded else None)
                row.full_clean()
                row._history_user = user if self_recorded else organiser
                row.save()
                written += 1
    return f"{len(WORKSHOPS)} kegiatan, {written} kehadiran"
