"""The rules of a kegiatan and of its attendance, as plain functions: each returns ``{field: message}`` (empty when
all is well) and the models' ``clean()`` raise them, so that the page, the API and the demo refuse the same input
with the same Indonesian message and write nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sia.core.roles import Role

from .choices import AttendanceStatus, WorkshopMode


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def checkin_margin() -> timedelta:
    """How long before the start and after the end a participant may record attendance with the code."""
    return timedelta(minutes=getattr(settings, "SIA_WORKSHOP_CHECKIN_MARGIN_MINUTES", 30))


def checkin_window(workshop):
    """(opens, closes): the code is valid from a margin before the session to a margin after it."""
    if workshop.starts_at is None or workshop.ends_at is None:
        return None, None
    return workshop.starts_at - checkin_margin(), workshop.ends_at + checkin_margin()


def domain_choices() -> list[tuple[str, str]]:
    """The architecture domains a kegiatan may work on: the declared kind groups (bisnis, layanan, ..., keamanan)."""
    from sia.architecture.kindgroups import kind_groups

    return [(group.slug, str(group.label)) for group, _kinds in kind_groups()]


def workshop_problems(workshop) -> dict:
    errors = {}
    if workshop.starts_at and workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        errors["ends_at"] = _("Waktu selesai harus sesudah waktu mulai.")
    online = workshop.mode in (WorkshopMode.ONLINE, WorkshopMode.HYBRID)
    in_room = workshop.mode in (WorkshopMode.IN_PERSON, WorkshopMode.HYBRID)
    if online and not (workshop.meeting_link or "").strip():
        errors["meeting_link"] = _("Kegiatan %(mode)s memerlukan tautan rapat daring.") % {
            "mode": workshop.get_mode_display().lower()}
    if in_room and not (workshop.place or "").strip():
        errors["place"] = _("Kegiatan %(mode)s memerlukan tempat.") % {"mode": workshop.get_mode_display().lower()}
    domains = workshop.domains
    if not isinstance(domains, list) or not all(isinstance(slug, str) for slug in domains):
        errors["domains"] = _("Domain arsitektur harus berupa daftar nama domain.")
    else:
        known = {slug for slug, _label in domain_choices()}
        unknown = [slug for slug in domains if slug not in known]
        if unknown:
            errors["domains"] = _("Domain arsitektur tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}
        elif len(set(domains)) != len(domains):
            errors["domains"] = _("Domain arsitektur disebut lebih dari sekali.")
    return errors


def verifier_ids(institution_id, user_ids) -> set:
    """Those of ``user_ids`` who are active verifikator of the instansi."""
    from sia.organizations.models import Membership

    return set(Membership.objects.filter(
        institution_id=institution_id, role=Role.VERIFIER, is_active=True, user_id__in=list(user_ids),
        user__is_active=True).values_list("user_id", flat=True))


def invitation_problems(workshop, departments, mentors) -> dict:
    """The invited OPDs must be OPDs of the kegiatan's instansi; its mentors verifikator of that instansi."""
    errors = {}
    if workshop.institution_id is None:
        return errors
    name = workshop.institution.name
    foreign = [dept for dept in departments if dept.institution_id != workshop.institution_id]
    if foreign:
        errors["departments"] = _("OPD berikut bukan bagian dari %(institution)s: %(names)s.") % {
            "institution": name, "names": ", ".join(dept.name for dept in foreign)}
    mentors = list(mentors)
    verifiers = verifier_ids(workshop.institution_id, [user.pk for user in mentors]) if mentors else set()
    strangers = [user for user in mentors if user.pk not in verifiers]
    if strangers:
        errors["mentors"] = _("Pendamping harus verifikator aktif di %(institution)s; bukan: %(names)s.") % {
            "institution": name, "names": ", ".join(user.get_username() for user in strangers)}
    return errors


def participant_department(workshop, user_id):
    """(is a participant, the OPD they come from): an operator of an invited OPD comes from that OPD; a mentor of
    the kegiatan from none."""
    from sia.organizations.models import Membership

    invited = [dept.pk for dept in workshop.departments.all()]
    department_id = Membership.objects.filter(
        user_id=user_id, institution_id=workshop.institution_id, role=Role.OPERATOR, is_active=True,
        department_id__in=invited).order_by("department_id").values_list("department_id", flat=True).first()
    if department_id is not None:
        return True, department_id
    if any(mentor.pk == user_id for mentor in workshop.mentors.all()):
        return True, None
    return False, None


def attendance_problems(attendance) -> dict:
    """Sets the participant's OPD and says what is wrong with the record."""
    errors = {}
    workshop = attendance.workshop if attendance.workshop_id else None
    if workshop is not None and attendance.participant_id:
        is_participant, department_id = participant_department(workshop, attendance.participant_id)
        if not is_participant:
            errors["participant"] = _(
                "%(user)s bukan peserta “%(workshop)s”: yang dicatat hanya operator OPD yang diundang dan "
                "pendamping kegiatan.") % {"user": attendance.participant.get_username(), "workshop": workshop.title}
        attendance.department_id = department_id
    if attendance.status == AttendanceStatus.ONLINE_PROBLEMS:
        if workshop is not None and workshop.mode == WorkshopMode.IN_PERSON:
            errors["status"] = _("Kegiatan tatap muka tidak diikuti secara daring; pilih status lain.")
        elif not (attendance.note or "").strip():
            errors["note"] = _("Tuliskan kendala yang dialami peserta daring (mis. suara putus, tidak bisa masuk).")
    return errors


def institution_fixed_message() -> str:
    return _("Instansi kegiatan tidak dapat dipindahkan; buat kegiatan baru di instansi lain.")


def attendance_fixed_message() -> str:
    return _("Kegiatan dan peserta catatan kehadiran tidak dapat diganti; hapus lalu catat ulang.")
