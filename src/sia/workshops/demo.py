"""Demo kegiatan of the province: three past sessions (one online, with attendance problems) and one coming, with
attendance of the demo operators and the verifikator as mentor. Dates count from today, times are local.

What each OPD produced during a past session is written into the audit trail as it would have been: of each OPD
whose operator attended, a few objects of the session's domains (every domain for a rapat koordinasi) created
during the session (their first audit-trail record, ``created`` and creation review event moved into the window)
and one changed (created a week before, its description written during the session), by the OPD's operator. Only
objects whose review conversation starts after the session are taken, so that the history stays in order; the
progress history (``sia.progress.history``, a later demo step) counts each of them from its creation day, which
gives the invited OPDs' burn-up charts their step at the session. The coming session's invitations are sent as the
page's form sends them (``invitations.send_invitations``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from sia.architecture import generation, workflow
from sia.architecture.kindgroups import group_of
from sia.architecture.models import ReviewEvent
from sia.architecture.registry import domain_models
from sia.core.demo import register_demo
from sia.organizations.models import Institution

from .choices import AttendanceStatus as S
from .choices import ATTENDED, WorkshopKind, WorkshopMode
from .invitations import send_invitations
from .models import Attendance, Workshop

PER_OPD = 4  # objects each attending OPD produced during a past session: created, the last of them changed


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
    written = produced = invitations = 0
    taken: set = set()
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
                if user.username != "verifikator" and status in ATTENDED:
                    produced += _produce(workshop, departments[who], user, taken)
            invitations += len(send_invitations(workshop))  # none for a session that is over
    return f"{len(WORKSHOPS)} kegiatan, {written} kehadiran, {produced} objek dikerjakan saat sesi, {invitations} undangan"


def _candidates(workshop, department, taken) -> list:
    """(model, object) of ``department`` in the session's domains whose review conversation starts after the
    session, by code, one kind after another in turn (so that every domain of the session shows)."""
    lists = []
    for model in domain_models():
        if workshop.domains and group_of(model).slug not in workshop.domains:
            continue
        content_type = ContentType.objects.get_for_model(model)
        started = dict(ReviewEvent.objects.filter(content_type=content_type, object_id__in=model.objects.filter(
            department=department).values("pk")).values("object_id").annotate(first=Min("created"))
            .values_list("object_id", "first"))
        lists.append([(model, obj) for obj in model.objects.filter(department=department).order_by("code", "pk")
                      if (model, obj.pk) not in taken and started.get(obj.pk, timezone.now()) > workshop.ends_at])
    found = []
    while any(lists):
        for items in lists:
            if items:
                found.append(items.pop(0))
    return found


def _produce(workshop, department, operator, taken) -> int:
    """Writes into the audit trail up to ``PER_OPD`` objects ``department`` produced during ``workshop``:
    created then, but the last of two or more changed then (created a week before); returns how many."""
    chosen = _candidates(workshop, department, taken)[:PER_OPD]
    with generation.changing():
        for position, (model, obj) in enumerate(chosen):
            taken.add((model, obj.pk))
            moment = workshop.starts_at + timedelta(minutes=35 + 20 * position)
            changed = position == len(chosen) - 1 > 0  # the last of two or more
            born = moment - timedelta(days=7) if changed else moment
            history = model.history.filter(id=obj.pk)
            history.filter(history_type="+").update(history_date=born, history_user=operator)
            model.objects.filter(pk=obj.pk).update(created=born)
            ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=obj.pk,
                                       action=ReviewEvent.Action.CREATE).update(created=born, user=operator)
            workflow.restamp(model, [obj.pk])
            if changed:  # created without a description, written during the session
                record = history.filter(history_type="+").first()  # as created: a draft, its description after
                history.filter(history_type="+").update(description="")
                record.history_id = None
                record.history_date, record.history_type, record.history_user = moment, "~", operator
                record.save()
    return len(chosen)
