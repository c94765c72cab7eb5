"""Self-recorded attendance: a participant types the short code the organiser shows at the session."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import rules
from .choices import AttendanceStatus
from .models import Attendance, Workshop

SELF_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE_PROBLEMS)


def normalise(code: str) -> str:
    return "".join((code or "").split()).upper()


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def check_in(workshop: Workshop, user, code: str, *, status=AttendanceStatus.PRESENT, note: str = "",
             now=None) -> Attendance:
    """Records ``user`` present at ``workshop`` with ``code``; raises ``ValidationError`` (nothing written) when
    the code is missing, wrong, not yet or no longer valid, already used by the user, or the user no participant."""
    now = now or timezone.now()
    code = normalise(code)
    if not code:
        raise ValidationError({"code": _("Masukkan kode kehadiran yang ditampilkan penyelenggara.")})
    if status not in SELF_STATUSES:
        raise ValidationError({"status": _("Pilih hadir, atau hadir daring dengan kendala.")})
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)  # one check-in of a user at a time
        existing = Attendance.objects.filter(workshop=workshop, participant=user).first()
        if existing is not None and existing.self_recorded:
            raise ValidationError({"code": _(
                "Anda sudah mencatat kehadiran pada kegiatan ini (%(when)s); kode tidak dapat dipakai dua kali. "
                "Minta penyelenggara bila catatannya perlu diubah.") % {"when": _when(existing.recorded_at)}})
        if not secrets.compare_digest(code, workshop.checkin_code):
            raise ValidationError({"code": _(
                "Kode kehadiran salah. Periksa kode yang ditampilkan di layar kegiatan “%(workshop)s”.")
                % {"workshop": workshop.title}})
        opens, closes = rules.checkin_window(workshop)
        if now < opens:
            raise ValidationError({"code": _("Kode kehadiran belum berlaku: pencatatan dibuka %(when)s.")
                                   % {"when": _when(opens)}})
        if now > closes:
            raise ValidationError({"code": _(
                "Kode kehadiran sudah kedaluwarsa: pencatatan ditutup %(when)s. Minta penyelenggara mencatat "
                "kehadiran Anda.") % {"when": _when(closes)}})
        attendance = existing or Attendance(workshop=workshop, participant=user)
        attendance.status = status
        attendance.note = note or ""
        attendance.self_recorded = True
        attendance.recorded_at = now
        attendance.full_clean()
        attendance._history_user = user
        attendance.save()
    return attendance
