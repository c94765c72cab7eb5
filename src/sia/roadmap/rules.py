"""The rules of the Peta Rencana SPBE, as plain functions returning ``{field: message}``: the models' ``clean()``
calls them (and so the API, and later the forms and the Excel import), so bad input is refused with a message
naming the field before anything is written."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

PERIOD = re.compile(r"^(\d{4})-(\d{4})$")


def period_years(period: str | None) -> tuple[int, int] | None:
    """(first, last) year of a period "2025-2029", or None when it is not written so."""
    match = PERIOD.match(period or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def period_problems(period: str | None) -> dict:
    """A period spans five years (the RPJMD's), e.g. 2025-2029 (the format itself: ``PERIOD_VALIDATOR``)."""
    years = period_years(period)
    if years and years[1] - years[0] != 4:
        return {"period": _("Periode mencakup lima tahun, mis. 2025-2029.")}
    return {}


def same_institution_problems(field: str, institution_id, owner_id, what: str) -> dict:
    if institution_id is not None and owner_id is not None and institution_id != owner_id:
        return {field: _("%(what)s ini milik instansi lain; pilih dari instansi yang sama.") % {"what": what}}
    return {}


def activity_problems(activity) -> dict:
    """A kegiatan runs in years of its sasaran's period, ends no earlier than it starts, and is led by an OPD of
    its program's instansi."""
    errors = {}
    target = activity.program.initiative.target if activity.program_id else None
    if target is not None and activity.department_id:
        errors.update(same_institution_problems("department", target.institution_id,
                                                activity.department.institution_id, _("OPD penanggung jawab")))
    years = period_years(target.period) if target is not None else None
    for field, label in (("start_year", _("Tahun mulai")), ("end_year", _("Tahun selesai"))):
        value = getattr(activity, field)
        if value is not None and years and not years[0] <= value <= years[1]:
            errors[field] = _("%(label)s %(year)s di luar periode %(period)s.") % {
                "label": label, "year": value, "period": target.period}
    if (activity.start_year is not None and activity.end_year is not None and "end_year" not in errors
            and activity.end_year < activity.start_year):
        errors["end_year"] = _("Tahun selesai (%(end)s) tidak boleh sebelum tahun mulai (%(start)s).") % {
            "end": activity.end_year, "start": activity.start_year}
    if activity.pk is not None and not errors and activity.start_year is not None and activity.end_year is not None:
        outside = sorted(activity.years.exclude(year__range=(activity.start_year, activity.end_year))
                         .values_list("year", flat=True))
        if outside:
            errors["start_year" if outside[0] < activity.start_year else "end_year"] = _(
                "Kegiatan ini masih memiliki anggaran tahun %(years)s di luar tahun pelaksanaan yang baru; hapus "
                "tahun itu dulu.") % {"years": ", ".join(str(y) for y in outside)}
    return errors


def target_problems(target) -> dict:
    """A sasaran's period holds every kegiatan under it: the period cannot move away from their years."""
    errors = period_problems(target.period)
    years = period_years(target.period)
    if target.pk is None or errors or years is None:
        return errors
    from .models import Activity

    outside = Activity.objects.filter(program__initiative__target=target).exclude(
        start_year__gte=years[0], end_year__lte=years[1]).order_by("code").values_list("code", flat=True)[:5]
    if outside:
        errors["period"] = _("Kegiatan %(codes)s berjalan di luar periode %(period)s; ubah tahunnya dulu.") % {
            "codes": ", ".join(outside), "period": target.period}
    return errors


def unit_problems(activity, units) -> dict:
    """The units involved in a kegiatan are units of OPDs of its instansi."""
    institution_id = activity.institution_id
    if institution_id is None and activity.department_id:
        institution_id = activity.department.institution_id
    foreign = [unit for unit in units if unit.department.institution_id != institution_id]
    if foreign:
        return {"units": _("Unit kerja %(names)s milik instansi lain; pilih unit dari instansi yang sama.") % {
            "names": ", ".join(f"“{unit.name}”" for unit in foreign)}}
    return {}


MONEY_FIELDS = (("budget", "Pagu"), ("rka", "RKA"), ("realisation", "Realisasi"))


def money_problems(row) -> dict:
    errors = {}
    for field, label in MONEY_FIELDS:
        value = getattr(row, field)
        if value is not None and Decimal(value) < 0:
            errors[field] = _("%(label)s tidak boleh negatif.") % {"label": label}
    return errors


def year_problems(row) -> dict:
    """A year of a kegiatan is one of the years it runs in; its pagu, RKA and realisation are not negative."""
    errors = money_problems(row)
    activity = row.activity if row.activity_id else None
    if activity is not None and row.year is not None and activity.start_year and activity.end_year:
        if not activity.start_year <= row.year <= activity.end_year:
            errors["year"] = _("Tahun %(year)s di luar tahun pelaksanaan kegiatan (%(start)s-%(end)s).") % {
                "year": row.year, "start": activity.start_year, "end": activity.end_year}
    return errors


def is_gap(obj) -> bool:
    """Whether an architecture object is a gap: a to-be object (new or an upgrade), or an as-is one to retire."""
    from sia.architecture.choices import ArchitectureState

    if obj.state in (ArchitectureState.TO_BE_NEW, ArchitectureState.TO_BE_UPGRADE):
        return True
    return obj.state == ArchitectureState.AS_IS and bool(getattr(obj, "retiring", False))


def gap_problems(link) -> dict:
    """A kegiatan closes gaps of its own instansi's architecture, and only gaps."""
    from sia.architecture.registry import domain_models

    if link.content_type_id is None:
        return {}
    model = link.content_type.model_class()
    if model not in domain_models():
        return {"content_type": _("Jenis objek ini bukan objek arsitektur.")}
    obj = model._default_manager.filter(pk=link.object_id).first() if link.object_id is not None else None
    if obj is None:
        return {"object_id": _("Objek arsitektur ini tidak ditemukan.")}
    activity = link.activity if link.activity_id else None
    if activity is not None and obj.institution_id != activity.institution_id:
        return {"object_id": _("Objek arsitektur “%(obj)s” milik instansi lain.") % {"obj": obj}}
    if not is_gap(obj):
        return {"object_id": _("Objek arsitektur “%(obj)s” bukan gap: hanya objek to-be (baru atau pengembangan) "
                               "atau objek as-is yang direncanakan dihentikan.") % {"obj": obj}}
    return {}


# --- warnings (shown, never refused) ------------------------------------------------------------------------------

def open_years_when_done(progress: str, years) -> list[int]:
    """The years of a kegiatan marked selesai (``progress``) whose row is not marked done, future years included
    (``years``: (year, done) pairs); empty for a kegiatan not marked selesai. A warning, not a refusal: the OPD may
    close a kegiatan early, but its page and the overview say the years still read as open."""
    from .choices import ActivityStatus

    if progress != ActivityStatus.DONE:
        return []
    return sorted(year for year, done in years if not done)


def done_warning(progress: str, years) -> str:
    """The warning of a kegiatan marked selesai with year rows not done ("" when there is none)."""
    open_years = open_years_when_done(progress, years)
    if not open_years:
        return ""
    return _("Kegiatan ditandai selesai, tetapi tahun %(years)s belum ditandai selesai.") % {
        "years": ", ".join(str(year) for year in open_years)}
