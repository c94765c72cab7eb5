"""Demo portfolio decisions on the demo applications (``sia.architecture.demo_applications``): the asesor's
scores of most applications, spread over the four TIME recommendations; one pair that looks like a
duplicate and is not; one clearance recorded on a new application; and one new application submitted
and waiting for the verifikator's clearance (``simpegdishub``: a fourth staff system)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history

from sia.architecture import workflow
from sia.architecture.demo_applications import APPS
from sia.architecture.choices import ValueListKind
from sia.architecture.models import Application, ReviewEvent, ValueListItem
from sia.core.demo import register_demo
from sia.core.request_context import current_request_id
from sia.organizations.models import Institution

from . import clearance
from .models import ApplicationAssessment, ClearanceDecision, DuplicateDismissal

# key -> (functional fit, technical fit, criticality, note); recommendations in sia.portfolio.rationalisation.
ASSESSMENTS = {
    # Invest: needed and sound.
    "splp": (4, 5, 5, "Tulang punggung interoperabilitas; semua integrasi baru lewat SPLP."),
    "satudata": (5, 4, 4, ""),
    "lapor": (4, 4, 4, ""),
    "tte": (4, 5, 4, ""),
    "sipd": (5, 4, 5, "Wajib dipakai sesuai Permendagri 70/2019."),
    "srikandi": (4, 4, 5, "Wajib dipakai sesuai Keputusan MenPANRB 679/2020."),
    "simrs": (5, 4, 5, ""),
    "epuskesmas": (4, 4, 5, ""),
    "simpegbkd": (5, 4, 5, "Sumber data pegawai seluruh OPD; sinkron dengan SIASN."),
    "siasn": (4, 5, 4, ""),
    "ekinerjabkn": (4, 4, 4, ""),
    "eabsen": (4, 4, 4, ""),
    "sidapok": (4, 4, 4, ""),
    "ppdb": (5, 4, 5, "Dipakai serentak setiap Juni; kapasitas server perlu dinaikkan."),
    "simtangkap": (4, 4, 3, ""),
    "ebudidaya": (4, 4, 2, ""),
    "ebansos": (4, 4, 4, ""),
    "siksng": (5, 4, 5, ""),
    "asik": (4, 4, 4, ""),
    "elaporb3": (4, 4, 3, ""),
    "etiket": (4, 4, 4, ""),
    "jdih": (4, 4, 3, ""),
    "spse": (5, 5, 5, ""),
    "oss": (4, 5, 4, ""),
    # Migrate: the function is needed, the technology is weak.
    "simda": (4, 2, 5, "Aplikasi desktop lama; fungsi akuntansi beralih ke SIPD."),
    "simdabmd": (4, 1, 4, "Basis data di satu komputer tanpa cadangan."),
    "ekinerja": (4, 2, 4, "Pindahkan penilaian kinerja ke e-Kinerja BKN; TPP tetap dihitung lokal."),
    "emonev": (4, 2, 3, ""),
    "website": (4, 2, 4, "WordPress dan plugin belum diperbarui sejak 2020."),
    "ppid": (4, 2, 3, ""),
    "inlislite": (4, 2, 2, "Masih versi 2.x."),
    "sipkapi": (4, 2, 3, ""),
    "terminal": (4, 2, 2, ""),
    "antrean": (4, 2, 4, ""),
    "sikapal": (2, 2, 4, "Keselamatan pelayaran: ganti dahulu sebelum dihentikan."),
    # Tolerate: sound technology, little use.
    "geoportal": (2, 4, 2, "Sedikit dipakai; data peta mulai dihimpun lewat Portal Satu Data."),
    "sakip": (2, 4, 3, ""),
    "sipka": (2, 4, 3, "Sensor kualitas udara sebagian rusak; data diisi manual."),
    "elogistik": (2, 4, 3, ""),
    "rzwp3k": (2, 4, 2, ""),
    "simstat": (2, 4, 2, ""),
    "sirehsos": (2, 4, 2, ""),
    # Eliminate: duplicates of a shared or national application, weak and not critical.
    "simpegdinkes": (2, 2, 2, "Duplikat SIMPEG BKD."),
    "epegawai": (2, 1, 2, "Duplikat SIMPEG BKD."),
    "tnde": (2, 2, 3, "Duplikat SRIKANDI."),
    "persuratan": (1, 2, 2, "Duplikat SRIKANDI."),
    "eaduandinkes": (1, 2, 1, "Duplikat SP4N-LAPOR!."),
    "lapordikbud": (2, 2, 1, "Duplikat SP4N-LAPOR!."),
    "laporbansos": (1, 2, 1, "Duplikat SP4N-LAPOR!."),
    "akd": (2, 1, 2, "Penatausahaan sudah di SIPD."),
    "sikap": (2, 2, 2, "Penilaian kinerja guru sudah di e-Kinerja BKN."),
    "eplanning": (2, 2, 3, "Perencanaan sudah di SIPD."),
    "webdinkes": (2, 2, 1, "Gabungkan ke situs web resmi provinsi."),
    "webdikbud": (2, 1, 1, "Gabungkan ke situs web resmi provinsi."),
    "webdkp": (2, 2, 1, "Gabungkan ke situs web resmi provinsi."),
}

DISMISSED = ("satudata", "geoportal", (
    "Geoportal menyajikan peta dan layanan WMS simpul jaringan informasi geospasial (Kebijakan Satu Peta); Portal "
    "Satu Data menyajikan dataset tabular. Keduanya saling melengkapi dan bertukar metadata, bukan aplikasi ganda."
))

CLEARED = ("suratdlh", ClearanceDecision.REUSE, "SRIKANDI", (
    "Persuratan dan disposisi sudah dilayani SRIKANDI yang dipakai seluruh perangkat daerah; DLH cukup diberi akun "
    "dan pelatihan SRIKANDI."
))


def _by_key(institution) -> dict:
    names = {spec.name: spec.key for spec in APPS}
    return {names[app.name]: app for app in Application.objects.filter(institution=institution, name__in=names)}


@register_demo(36, "Portofolio aplikasi (penilaian, bukan duplikat, kliring)")
def load_portfolio() -> str:
    institution = Institution.objects.filter(code="82").first()
    apps = _by_key(institution) if institution else {}
    if not apps:
        return "dilewati (aplikasi contoh belum ada)"
    if ApplicationAssessment.objects.filter(application__institution=institution).exists():
        return "sudah ada"
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["asesor", "verifikator"])}
    assessor, verifier = users.get("asesor"), users.get("verifikator")

    rows = [
        ApplicationAssessment(application=apps[key], functional_fit=functional, technical_fit=technical,
                              criticality=criticality, note=note, assessed_by=assessor)
        for key, (functional, technical, criticality, note) in ASSESSMENTS.items() if key in apps
    ]
    bulk_create_with_history(rows, ApplicationAssessment, default_user=assessor,
                             custom_historical_attrs={"request_id": current_request_id()})
    summary = [f"{len(rows)} penilaian"]

    first_key, second_key, reason = DISMISSED
    if first_key in apps and second_key in apps:
        first, second = sorted((apps[first_key], apps[second_key]), key=lambda app: app.pk)
        dismissal = DuplicateDismissal(institution=institution, first=first, second=second, reason=reason,
                                       decided_by=verifier)
        dismissal.full_clean()
        dismissal.save()
        summary.append("1 bukan duplikat")

    key, decision, national_name, reason = CLEARED
    national = ValueListItem.objects.filter(
        institution=institution, kind=ValueListKind.NATIONAL_APP, name__startswith=national_name
    ).first()
    if key in apps and verifier is not None and national is not None:
        _clear_before_return(apps[key], verifier, decision, reason, national)
        summary.append("1 kliring")
    return ", ".join(summary)


def _clear_before_return(application, verifier, decision, reason, national):
    """Records the clearance through ``clearance.record`` (its rule and its note in the review conversation),
    then dates that note at the moment the verifikator returned the application, just before the return."""
    clearance.record(application, verifier, decision=decision, reason=reason, reused_national=national)
    events = ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                        object_id=application.pk)
    returned = events.filter(action=ReviewEvent.Action.RETURN).order_by("-created").first()
    note = events.filter(action=ReviewEvent.Action.COMMENT).order_by("-pk").first()
    if returned is not None and note is not None:
        events.filter(pk=note.pk).update(created=returned.created)
        events.filter(pk=returned.pk).update(created=returned.created + timedelta(minutes=5))
        workflow.restamp(Application, [application.pk])
