"""Minimal valid bodies per model, so that an allowed write really succeeds (and a refused one is
refused for its permission, not for its body)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from sia.architecture.models import Application, ApplicationIntegration, ValueListItem
from sia.architecture.choices import ReviewStatus
from sia.architecture.registry import domain_models
from sia.evaluation.models import Assessment, AssessmentTeamMember, Evidence, IndicatorScore
from sia.exchange.models import ImportRecord, SnapshotJob
from sia.notifications.models import NotificationPreference
from sia.publishing.models import GeneratedDocument
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit
from sia.portfolio.models import ApplicationAssessment, Clearance, DuplicateDismissal
from sia.reference.models import ReferenceNode
from sia.progress.models import Target
from sia.governance.models import PolicyDocument, TeamMember
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from sia.workshops.models import Attendance, Workshop

from .world import World


def _institution(w: World, loc):
    return w.institutions[loc[0]]


def create_body(model, w: World, loc) -> tuple[dict, str]:
    """(body, format) of a create at ``loc`` (an OPD, an instansi or "*")."""
    if model in domain_models():
        return {"department": w.departments[loc].pk, "name": f"Objek baru di {loc}"}, "json"
    if model is ApplicationIntegration:  # from the OPD's draft application (one it has no integration to yet)
        return {"source": w.obj(Application, loc, str(ReviewStatus.DRAFT)).pk, "data_exchanged": "Data baru",
                "target": w.obj(Application, loc, str(ReviewStatus.SUBMITTED)).pk}, "json"
    if model is ApplicationAssessment:  # of the OPD's submitted application (not assessed yet)
        return {"application": w.obj(Application, loc, "diajukan").pk, "functional_fit": 3, "technical_fit": 4,
                "criticality": 2}, "json"
    if model is Clearance:  # of the OPD's second to-be new application (not cleared yet)
        return {"application": w.extra[f"proposal_{loc}"].pk, "decision": "lanjut",
                "reason": "Belum ada aplikasi serupa."}, "json"
    if model is DuplicateDismissal:  # a pair not marked yet: submitted applications of A1 and A2 (B: two of B1)
        one, two = (("A1", "diajukan"), ("A2", "diajukan")) if loc == "A" else (("B1", "diajukan"), ("B1", "draf"))
        return {"first": w.obj(Application, *one).pk, "second": w.obj(Application, *two).pk,
                "reason": "Fungsi keduanya berbeda."}, "json"
    if model is Target:  # the OPD's target: every service linked to a process within two months
        from datetime import timedelta

        from django.utils import timezone

        dept = w.departments[loc]
        return {"institution": dept.institution.pk, "department": dept.pk, "name": "Target baru",
                "rule": "layanan-proses", "deadline": (timezone.localdate() + timedelta(days=60)).isoformat()}, "json"
    if model is Activity:  # led by the OPD, in its instansi's program
        return {"program": w.obj(Program, loc[0]).pk, "department": w.departments[loc].pk, "name": "Kegiatan baru",
                "start_year": 2026, "end_year": 2027}, "json"
    if model is ActivityYear:  # the year the OPD's kegiatan has no row for yet
        return {"activity": w.obj(Activity, loc).pk, "year": 2026, "budget": "1000.00"}, "json"
    if model is ActivityGap:  # the OPD's gap no kegiatan closes yet
        return {"activity": w.obj(Activity, loc).pk, "kind": "aplikasi", "object_id": w.extra[f"gap_{loc}"].pk}, "json"
    if model is Workshop:  # in the OPD's instansi, inviting it
        return {"institution": w.departments[loc].institution_id, "kind": "bimtek", "title": "Bimtek baru",
                "starts_at": "2026-12-10T09:00:00+09:00", "ends_at": "2026-12-10T12:00:00+09:00",
                "mode": "tatap-muka", "place": "Aula", "departments": [w.departments[loc].pk]}, "json"
    if model is Attendance:  # the instansi's mentor at the OPD's kegiatan (not recorded yet)
        return {"workshop": w.obj(Workshop, loc).pk, "participant": w.extra[f"mentor_{loc[0]}"].pk,
                "status": "hadir"}, "json"
    if model is NotificationPreference:  # the caller's own (none yet)
        return {"delivery": "segera"}, "json"
    inst = _institution(w, loc) if loc != "*" else None
    if model is StrategicTarget:
        return {"institution": inst.pk, "period": "2025-2029", "code": "SS-BARU", "name": "Sasaran baru"}, "json"
    if model is PolicyDocument:  # a draft SOP: no file needed
        return {"institution": inst.pk, "type": "sop", "number": "SOP-BARU", "date": "2026-01-05",
                "title": "SOP layanan baru"}, "json"
    if model is TeamMember:  # on the decree in force
        return {"document": w.obj(PolicyDocument, loc).pk, "name": "Anggota baru", "position": "Staf",
                "role": "anggota"}, "json"
    if model is Initiative:
        return {"target": w.obj(StrategicTarget, loc).pk, "code": "IN-BARU", "name": "Inisiatif baru"}, "json"
    if model is Program:
        return {"initiative": w.obj(Initiative, loc).pk, "area": "keamanan", "code": "PR-BARU",
                "name": "Program baru"}, "json"
    if model is Institution:
        return {"name": "Pemerintah Kabupaten Matriks", "kind": "kabupaten", "code": "7199"}, "json"
    if model is Department:
        return {"institution": inst.pk, "name": "Dinas Baru", "abbreviation": "DBARU", "code": "9.99",
                "kind": "dinas"}, "json"
    if model is DepartmentFunction:
        return {"department": w.departments[loc].pk, "order": 5, "description": "Fungsi baru"}, "json"
    if model is WorkUnit:
        return {"department": w.departments[loc].pk, "name": "Bidang Baru", "echelon": "III"}, "json"
    if model is Membership:
        return {"user": w.extra["newcomer"].username, "institution": inst.pk, "role": "pimpinan"}, "json"
    if model is MentorAssignment:  # the instansi's OPD without a mentor, to a verifikator of the instansi
        return {"department": w.extra[f"unmentored_{loc[0]}"].pk,
                "mentor": w.extra["verif_A" if loc[0] == "A" else "verif_B"].username}, "json"
    if model is ReferenceNode:
        return {"parent": w.extra["node_parent"].code, "institution": inst.code, "code": "RAB.09.06.06.80",
                "name": "Simpul baru"}, "json"
    if model is ValueListItem:
        return {"institution": inst.pk, "kind": "metode-layanan", "name": "Cara baru"}, "json"
    if model is Assessment:
        return {"institution": inst.pk, "year": 2025, "framework": "permenpanrb-59-2020"}, "json"
    if model is AssessmentTeamMember:
        return {"assessment": w.obj(Assessment, loc).pk, "user": w.extra[f"free_{loc}"].username,
                "team_role": "asesor"}, "json"
    if model is IndicatorScore:
        return {"assessment": w.extra[f"partial_{loc}"].pk, "indicator": w.extra["indicators"][2].pk, "level": 3,
                "fakta": "Fakta", "analisis": "Analisis", "justifikasi": "Justifikasi"}, "json"
    if model is Evidence:
        return {"assessment": w.obj(Assessment, loc).pk, "indicator": w.extra["indicators"][3].pk,
                "link": "https://spbe.example.go.id/matriks", "title": "Tautan bukti"}, "json"
    if model is GeneratedDocument:  # of the whole instansi, the default options
        return {"institution": inst.code, "version": "matriks"}, "json"
    if model is SnapshotJob:  # the archive of the instansi
        return {"institution": inst.code}, "json"
    if model is ImportRecord:
        return {"institution": inst.code, "file": SimpleUploadedFile(
            "matriks.xlsx", w.extra["workbook"],
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}, "multipart"
    raise LookupError(f"tests/authz/payloads.py: no create body for {model.__name__}; add one")


PATCHES = {
    NotificationPreference: {"delivery": "tidak"},
    Institution: {"name": "Nama instansi diubah"},
    Department: {"name": "Nama OPD diubah"},
    DepartmentFunction: {"description": "Uraian fungsi diubah"},
    WorkUnit: {"name": "Nama unit diubah"},
    Membership: {"is_active": False},
    MentorAssignment: {},  # the mentor unchanged: a move is tested in tests/organizations/test_mentors.py
    ReferenceNode: {"name": "Nama simpul diubah"},
    ValueListItem: {"order": 9},
    Assessment: {"notes": "Catatan diubah"},
    AssessmentTeamMember: {"team_role": "penanggung_jawab"},
    IndicatorScore: {"level": 4, "value": "4"},  # both: a PUT carries the stored value, which must agree
    Evidence: {"title": "Judul bukti diubah"},
    ApplicationAssessment: {"criticality": 5},
    Clearance: {"reason": "Alasan kliring diubah."},
    DuplicateDismissal: {"reason": "Alasan bukan duplikat diubah."},
    ApplicationIntegration: {"data_exchanged": "Data yang dipertukarkan diubah"},
    StrategicTarget: {"name": "Sasaran diubah"},
    Initiative: {"name": "Inisiatif diubah"},
    Program: {"area": "layanan"},
    ActivityYear: {"done": True},
    Target: {"name": "Target diubah"},
    Workshop: {"title": "Bimtek diubah"},
    Attendance: {"status": "izin"},
    PolicyDocument: {"title": "Judul diubah"},
    TeamMember: {"position": "Jabatan diubah"},
}


def patch_body(model, obj) -> dict:
    if model in domain_models():
        return {"name": "Nama diubah", "lock_version": obj.lock_version}
    if model is Activity:
        return {"progress": "sedang", "lock_version": obj.lock_version}
    if model is ActivityGap:  # the same gap: the link stays valid
        return {"object_id": obj.object_id}
    try:
        return dict(PATCHES[model])
    except KeyError:
        raise LookupError(f"tests/authz/payloads.py: no PATCH body for {model.__name__}; add one") from None


def put_body(serializer_class, obj, request) -> dict:
    """The object's own representation as input: every writable field, links as IDs, plus the patch."""
    serializer = serializer_class(obj, context={"request": request})
    data = serializer.data
    body = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        if isinstance(value, dict) and "id" in value:
            value = value["id"]
        elif isinstance(value, list):
            value = [v["id"] if isinstance(v, dict) and "id" in v else v for v in value]
        if value is None and field.required:
            continue
        if getattr(field, "write_only", False):
            continue
        body[name] = value
    body.pop("file", None)
    return body | patch_body(type(obj), obj)
