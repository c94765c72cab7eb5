"""The world the authorization matrix runs in, built once per test module.

Two instansi: A with OPD A1 and A2, B with OPD B1. One user per role of the matrix, and objects of
every model at every location the matrix names:

- ``A1``, ``A2``, ``B1``: models that belong to an OPD (architecture objects, OPDs, functions, units);
- ``A``, ``B``: models that belong to an instansi only (instansi, members, value lists, assessments,
  their team, levels and evidence, uploads, instansi reference nodes);
- ``N``: national data every signed-in user reads (catalogs, versions, national nodes, frameworks).

Architecture objects exist in every review status at every OPD (the *variant* of a location), so
that an operator's rights on drafts and on validated objects are both exercised.
"""

from __future__ import annotations

import io

import openpyxl
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import ApplicationIntegration, BusinessProcess, ValueListItem
from sia.architecture.registry import domain_models
from sia.architecture.values import seed_value_lists
from sia.core.models import ApiToken
from sia.core.roles import Role
from sia.core.tokens import issue_token
from sia.evaluation import services as evaluation
from sia.evaluation.choices import TeamRole
from sia.evaluation.demo import LEVELS_2024
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation import evidence_items
from sia.evaluation.models import (
    Assessment, AssessmentTeamMember, Evidence, EvidenceItem, EvidenceItemReview, FrameworkVersion, Indicator,
    IndicatorScore,
)
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.uploads import attach_file
from sia.exchange.choices import ImportStatus
from sia.exchange.models import ImportRecord
from sia.exchange.uploads import start_import
from sia.notifications import kinds
from sia.notifications.models import Notification, NotificationPreference
from sia.notifications.services import notify
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit
from sia.portfolio.models import ApplicationAssessment, Clearance, DuplicateDismissal
from sia.reference.choices import VersionStatus
from sia.progress.models import ProgressSnapshot, Target
from sia.governance.models import PolicyDocument, TeamMember
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from sia.workshops.models import Attendance, Workshop
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import Catalog, CatalogVersion, ReferenceNode

from tests import factories as f
from tests.kinds import reference_node

# The users of the matrix, in the order the tables list them.
USERS = (
    "anonymous", "operator_a1", "operator_a2", "verifikator", "asesor", "pimpinan", "admin_a", "admin_b",
    "superuser",
)
OPD_LOCATIONS = ("A1", "A2", "B1")
INSTANSI_LOCATIONS = ("A", "B")
NATIONAL = ("N",)
STATUSES = (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.VALIDATED)
DEFAULT = "-"  # the variant of a location when a model has only one object there

REFERENCES = {"businessprocess": "RAB.09.03.04", "service": "RAL.01.43.04", "dataitem": "RAD.09.03.04",
              "application": "RAA.01.01"}


def locations_of(model) -> tuple:
    """Where the world has objects of ``model``: the columns of its rows in the tables."""
    name = model._meta.model_name
    if model in (ApplicationAssessment, Clearance):  # decisions about one application of an OPD
        return OPD_LOCATIONS
    if model in (Activity, ActivityYear, ActivityGap):  # kegiatan led by an OPD, their years and gaps
        return OPD_LOCATIONS
    if model in (Workshop, Attendance):  # a kegiatan pendampingan inviting the OPD, and its operator's attendance
        return OPD_LOCATIONS
    if model in (Target, ProgressSnapshot):  # an OPD's target and its daily figures
        return OPD_LOCATIONS
    if model in domain_models() or model in (Department, DepartmentFunction, WorkUnit, ApplicationIntegration,
                                             MentorAssignment):
        return OPD_LOCATIONS
    if model in (Catalog, CatalogVersion, FrameworkVersion, Indicator, EvidenceItem):
        return NATIONAL
    if name == "referencenode":
        return ("N", "A", "B")
    return INSTANSI_LOCATIONS


# A kind group's kinds share one policy and one generic set of views and viewsets (declarations only), so
# the matrix crosses every user with every location and review status on the group's first kind, and on
# each other kind of the group runs every operation and page with the users that tell the scopes apart
# (the owner, an operator of another OPD of the instansi, an admin of another instansi, anonymous) on a
# draft and a validated object (or the one status an action applies to). With 21 kinds the full grid took
# over ten minutes per database.
SAMPLED_USERS = ("anonymous", "operator_a1", "operator_a2", "admin_b")
SAMPLED_STATUSES = (str(ReviewStatus.DRAFT), str(ReviewStatus.VALIDATED))


def _sampled(model) -> bool:
    """Whether ``model`` is a kind of a group other than the group's first."""
    if model is None or model not in domain_models():
        return False
    from sia.architecture.kindgroups import group_of, kind_groups

    first = {group.slug: kinds[0] for group, kinds in kind_groups()}
    return first[group_of(model).slug] is not model


def users_for(model) -> tuple:
    """The users the matrix crosses with ``model``'s operations."""
    return SAMPLED_USERS if _sampled(model) else USERS


def sample_variants(model, variants) -> list:
    """The variants (review statuses) of an operation on ``model`` the matrix runs, of those it declares."""
    variants = list(variants)
    if not _sampled(model):
        return variants
    return [v for v in variants if v in SAMPLED_STATUSES] or variants[:1]


def variants_of(model) -> tuple:
    if model in domain_models() or model is ApplicationIntegration:  # an integration: its source's status
        return tuple(str(s) for s in STATUSES)
    if model is CatalogVersion:
        return (VersionStatus.PUBLISHED.value, VersionStatus.DRAFT.value)
    if model in (PolicyDocument, TeamMember):  # a decree in force (DEFAULT) and a draft one, with a member each
        return (DEFAULT, "draf")
    if model._meta.label == "exchange.SnapshotJob":  # an archive written (DEFAULT) and a failed export
        return (DEFAULT, "gagal")
    if model is Activity:  # the draft kegiatan (DEFAULT) and one under review in each status a transition starts from
        return (DEFAULT, str(ReviewStatus.SUBMITTED), str(ReviewStatus.VERIFIED))
    return (DEFAULT,)


@dataclass
class World:
    institutions: dict = field(default_factory=dict)  # "A"/"B" -> Institution
    departments: dict = field(default_factory=dict)  # "A1"/"A2"/"B1" -> Department
    users: dict = field(default_factory=dict)  # USERS -> User (None for anonymous)
    objects: dict = field(default_factory=dict)  # (model, location, variant) -> object
    extra: dict = field(default_factory=dict)  # helpers for payloads (a free user per instansi, ...)

    def obj(self, model, location, variant=DEFAULT):
        return self.objects[(model, location, variant)]

    def institution_of(self, location):
        return self.institutions[location[0]] if location != "N" else None


def _national(code):
    return ReferenceNode.objects.current().national().get(code=code)


def _reference_of(model, institution):
    """The node an object of ``model`` maps to: the fixed one of the first domains, else one its declaration
    accepts (``tests.kinds.reference_node``: a national node, or an instansi node where the catalog publishes
    none, as for RAK), so that a newly declared kind can be submitted in the matrix."""
    name = model._meta.model_name
    if name in REFERENCES:
        return _national(REFERENCES[name])
    _field, catalog, low, high = model.spec.pickers()[0]
    return reference_node(catalog, low, high, institution, roots=model.spec.roots("reference"))


def _architecture(w: World):
    for loc, dept in w.departments.items():
        fn = DepartmentFunction.objects.filter(department=dept).first()
        for status in STATUSES:
            objs = {}
            for model in domain_models():
                name = model._meta.model_name
                obj = model.objects.create(
                    department=dept, name=f"{model._meta.verbose_name} {loc} {status}",
                    reference=_reference_of(model, dept.institution),
                )
                objs[name] = obj
            if "businessprocess" in objs:
                objs["businessprocess"].functions.set([fn])
            for name in ("service", "dataitem", "application"):
                if name in objs:
                    objs[name].processes.set([objs["businessprocess"]])
            for obj in objs.values():
                type(obj).objects.filter(pk=obj.pk).update(status=status)
                obj.refresh_from_db()
                w.objects[(type(obj), loc, str(status))] = obj
    _integrations(w)


def _integrations(w: World):
    """An integration per OPD and status of its source application (it follows its source), to an
    application of the same OPD."""
    from sia.architecture.models import Application

    for loc in w.departments:
        for status in STATUSES:
            other = ReviewStatus.DRAFT if status == ReviewStatus.VALIDATED else ReviewStatus.VALIDATED
            w.objects[(ApplicationIntegration, loc, str(status))] = ApplicationIntegration.objects.create(
                source=w.obj(Application, loc, str(status)), target=w.obj(Application, loc, str(other)),
                data_exchanged=f"Data matriks {loc} {status}",
            )


def _portfolio(w: World):
    """Per OPD: an assessment of its draft application, and a to-be new (draft) application with a clearance;
    for creates, its submitted application (not assessed) and a second to-be new one (not cleared)."""
    from sia.architecture.choices import ArchitectureState
    from sia.architecture.models import Application

    for loc, dept in w.departments.items():
        w.objects[(ApplicationAssessment, loc, DEFAULT)] = ApplicationAssessment.objects.create(
            application=w.obj(Application, loc, str(ReviewStatus.DRAFT)), functional_fit=4, technical_fit=2,
            criticality=3,
        )
        proposals = [Application.objects.create(department=dept, name=f"Usulan aplikasi {loc} {n}",
                                                state=ArchitectureState.TO_BE_NEW) for n in (1, 2)]
        w.objects[(Clearance, loc, DEFAULT)] = Clearance.objects.create(
            application=proposals[0], decision="lanjut", reason=f"Belum ada aplikasi serupa di {loc}.")
        w.extra[f"proposal_{loc}"] = proposals[1]

def _roadmap(w: World):
    """Per instansi a sasaran, inisiatif and program; per OPD a kegiatan (2025-2026) with its 2025 row and a gap it
    closes (a to-be new application), and for creates a second to-be new application no kegiatan closes."""
    from django.contrib.contenttypes.models import ContentType

    from sia.architecture.choices import ArchitectureState
    from sia.architecture.models import Application

    for loc, inst in w.institutions.items():
        target = StrategicTarget.objects.create(institution=inst, period="2025-2029", code=f"SS-{loc}",
                                                name=f"Sasaran {loc}")
        initiative = Initiative.objects.create(target=target, code=f"IN-{loc}", name=f"Inisiatif {loc}")
        program = Program.objects.create(initiative=initiative, area="aplikasi", code=f"PR-{loc}",
                                         name=f"Program {loc}")
        w.objects[(StrategicTarget, loc, DEFAULT)] = target
        w.objects[(Initiative, loc, DEFAULT)] = initiative
        w.objects[(Program, loc, DEFAULT)] = program
    for loc, dept in w.departments.items():
        activity = Activity.objects.create(program=w.obj(Program, loc[0]), department=dept, code=f"KG-{loc}",
                                           name=f"Kegiatan {loc}", start_year=2025, end_year=2026)
        gaps = [Application.objects.create(department=dept, name=f"Gap aplikasi {loc} {n}",
                                           state=ArchitectureState.TO_BE_NEW) for n in (1, 2)]
        w.objects[(Activity, loc, DEFAULT)] = activity
        w.objects[(ActivityYear, loc, DEFAULT)] = ActivityYear.objects.create(activity=activity, year=2025, budget=100)
        w.objects[(ActivityGap, loc, DEFAULT)] = ActivityGap.objects.create(
            activity=activity, content_type=ContentType.objects.get_for_model(Application), object_id=gaps[0].pk)
        w.extra[f"gap_{loc}"] = gaps[1]
        for status in (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED):  # for the review transitions
            reviewed = Activity.objects.create(program=w.obj(Program, loc[0]), department=dept, code=f"KG-{loc}-{status}",
                                               name=f"Kegiatan {loc} {status}", start_year=2025, end_year=2025)
            ActivityYear.objects.create(activity=reviewed, year=2025, budget=100)
            Activity.objects.filter(pk=reviewed.pk).update(status=status)
            reviewed.refresh_from_db()
            w.objects[(Activity, loc, str(status))] = reviewed


def _progress(w: World):
    """Per OPD a target (every application submitted within a month) and yesterday's snapshot of its applications."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for loc, dept in w.departments.items():
        w.objects[(Target, loc, DEFAULT)] = Target.objects.create(
            institution=dept.institution, department=dept, name=f"Aplikasi {loc} diajukan", rule="pengajuan",
            domain="aplikasi", start_date=today - timedelta(days=10), deadline=today + timedelta(days=30))
        w.objects[(ProgressSnapshot, loc, DEFAULT)] = ProgressSnapshot.objects.create(
            institution=dept.institution, department=dept, domain="aplikasi", date=today - timedelta(days=1),
            count=4, complete=1, filled=20, required=36, draft=2, submitted=1, validated=1)


def _duplicates(w: World):
    """Per instansi, a pair marked “not a duplicate”: in A the validated applications of A1 and A2 (every member
    of A sees both), in B two of B1's."""
    from sia.architecture.models import Application

    for loc, (one, two) in {"A": (("A1", "divalidasi"), ("A2", "divalidasi")),
                            "B": (("B1", "divalidasi"), ("B1", "diverifikasi"))}.items():
        first, second = sorted((w.obj(Application, *one), w.obj(Application, *two)), key=lambda a: a.pk)
        w.objects[(DuplicateDismissal, loc, DEFAULT)] = DuplicateDismissal.objects.create(
            institution=first.institution, first=first, second=second, reason=f"Bukan duplikat {loc}.")


def _evaluation(w: World, tmp_media):
    versions = install_default_frameworks()
    framework = versions[0]
    pemdi = next(v for v in versions if v.code == "permenpanrb-8-2026")
    item = EvidenceItem.objects.filter(framework=pemdi).order_by("indicator__number", "level", "number").first()
    w.objects[(EvidenceItem, "N", DEFAULT)] = item
    w.objects[(FrameworkVersion, "N", DEFAULT)] = framework
    indicators = {i.number: i for i in framework.indicators.all()}
    w.objects[(Indicator, "N", DEFAULT)] = indicators[1]
    scorer = {"A": w.users["asesor"], "B": w.extra["scorer_b"]}
    for loc, inst in w.institutions.items():
        # The assessment of the matrix has every level set (so a stage can be locked); a second one
        # of an earlier year has one level missing (so a level can be added).
        full = Assessment.objects.create(institution=inst, year=2024, framework=framework)
        partial = Assessment.objects.create(institution=inst, year=2023, framework=framework)
        levels = dict(zip(range(1, 48), LEVELS_2024))
        for number, level in levels.items():
            evaluation.set_level(full, indicators[number], level, user=scorer[loc])
        evaluation.set_level(partial, indicators[1], 2, user=scorer[loc])
        team = AssessmentTeamMember.objects.create(
            assessment=full, user=w.extra[f"team_{loc}"], role=TeamRole.DATA_ENTRY
        )
        if loc == "A":  # the assessor of A also sits on its team, as in the evaluation tests
            AssessmentTeamMember.objects.create(assessment=full, user=w.users["asesor"], role=TeamRole.ASSESSOR)
        evidence = attach_file(
            full, indicators[2],
            SimpleUploadedFile(f"bukti-{loc}.pdf", minimal_pdf([f"Bukti {loc}"]), content_type="application/pdf"),
            user=scorer[loc], title=f"Bukti dukung {loc}",
        )
        w.objects[(Assessment, loc, DEFAULT)] = full
        w.extra[f"partial_{loc}"] = partial
        w.objects[(AssessmentTeamMember, loc, DEFAULT)] = team
        w.objects[(IndicatorScore, loc, DEFAULT)] = IndicatorScore.objects.get(assessment=full, indicator=indicators[1])
        w.objects[(Evidence, loc, DEFAULT)] = evidence
        # an evidence item's status needs an assessment under PermenPANRB 8/2026 (the items are its)
        assessment_8 = Assessment.objects.create(institution=inst, year=2026, framework=pemdi)
        w.objects[(EvidenceItemReview, loc, DEFAULT)] = evidence_items.review_item(
            assessment_8, item, "revise", user=scorer[loc], note=f"Lengkapi tanda tangan {loc}.")
    w.extra["indicators"] = indicators


def _reference(w: World):
    catalog = Catalog.objects.get(code="RAB")
    current = CatalogVersion.objects.get(catalog=catalog, is_current=True)
    draft = CatalogVersion.objects.create(catalog=catalog, name="RAB draf matriks", status=VersionStatus.DRAFT)
    w.objects[(Catalog, "N", DEFAULT)] = catalog
    w.objects[(CatalogVersion, "N", VersionStatus.PUBLISHED.value)] = current
    w.objects[(CatalogVersion, "N", VersionStatus.DRAFT.value)] = draft
    parent = _national("RAB.09.06.06")
    leaf = (ReferenceNode.objects.current().national().of_catalog("RAB")
            .filter(level__gte=3, children__isnull=True).order_by("-pk").first())
    w.objects[(ReferenceNode, "N", DEFAULT)] = leaf
    for loc, inst in w.institutions.items():
        node = ReferenceNode(
            version=parent.version, parent=parent, institution=inst, code=f"RAB.09.06.06.{90 + ord(loc) - ord('A')}",
            name=f"Simpul instansi {loc}", level=parent.level + 1,
        )
        node.full_clean()
        node.save()
        w.objects[(ReferenceNode, loc, DEFAULT)] = node
    w.extra["node_parent"] = parent


def _exchange(w: World):
    """An upload in preview per instansi (a template filled with one new process), by its uploader."""
    uploader = {"A": (w.users["operator_a1"], "DSA1"), "B": (w.users["admin_b"], "DSB1")}
    for loc, inst in w.institutions.items():
        user, opd = uploader[loc]
        content = _workbook(user, inst, opd)
        record = start_import(SimpleUploadedFile(f"unggahan-{loc}.xlsx", content), user=user, institution=inst)
        assert record.status == ImportStatus.PREVIEW, record.problems
        w.objects[(ImportRecord, loc, DEFAULT)] = record
    w.extra["workbook"] = _workbook(w.users["admin_a"], w.institutions["A"], "DSA1")


def _documents(w: World):
    """A Dokumen Arsitektur SPBE per instansi, written: A's by operator_a1 of their OPD, B's by admin_b of the whole
    instansi."""
    from sia.publishing.jobs import request_document
    from sia.publishing.models import GeneratedDocument

    for loc, user, department in (("A", w.users["operator_a1"], w.departments["A1"]), ("B", w.users["admin_b"], None)):
        document = request_document(user, w.institutions[loc], department=department)
        assert document.status == "selesai", document.error
        w.objects[(GeneratedDocument, loc, DEFAULT)] = document


def _snapshot_jobs(w: World):
    """Per instansi an archive written by its admin (DEFAULT) and a failed export ("gagal")."""
    from sia.exchange.models import SnapshotJob
    from sia.exchange.snapshot_jobs import request_export

    for loc, user in (("A", w.users["admin_a"]), ("B", w.users["admin_b"])):
        job = request_export(user, w.institutions[loc])
        assert job.status == "selesai", job.error
        w.objects[(SnapshotJob, loc, DEFAULT)] = job
        w.objects[(SnapshotJob, loc, "gagal")] = SnapshotJob.objects.create(
            institution=w.institutions[loc], requested_by=user, status="gagal",
            error="Ekspor gagal karena kesalahan di server (#1).")


def _governance(w: World):
    """Per instansi an SK of the Tim Koordinasi SPBE in force and a draft one, each with its PDF (evidencing
    indicators 10 and 19 of 59/2020) and a member."""
    import datetime

    from sia.governance.files import save_document

    for loc, inst in w.institutions.items():
        for variant, status in ((DEFAULT, "berlaku"), ("draf", "draf")):
            document = PolicyDocument(institution=inst, type="sk_tim_koordinasi", number=f"100/{loc}/{status}",
                                      date=datetime.date(2025, 2, 10), title=f"Tim Koordinasi SPBE {loc}",
                                      status=status)
            upload = SimpleUploadedFile(f"sk-{loc}-{status}.pdf", minimal_pdf([f"SK {loc} {status}"]),
                                        content_type="application/pdf")
            w.objects[(PolicyDocument, loc, variant)] = save_document(document, upload=upload)
            w.objects[(TeamMember, loc, variant)] = TeamMember.objects.create(
                document=document, name=f"Ketua {loc}", position="Sekretaris Daerah", role="ketua")


def _workbook(user, institution, opd) -> bytes:
    from sia.architecture.models import BusinessProcess
    from sia.exchange.workbook import build_workbook

    content = build_workbook(user, institution, [BusinessProcess], querysets={BusinessProcess: BusinessProcess.objects.none()})
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Proses Bisnis"]
    header_row = next(r for r in sheet.iter_rows(min_row=1, max_row=10) if any(c.value == "Nama *" for c in r))
    headers = [cell.value for cell in header_row]
    row = [None] * len(headers)
    row[headers.index("Perangkat daerah *")] = opd
    row[headers.index("Nama *")] = "Proses dari unggahan"
    sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _notifications(w: World):
    """A (operator_a1's) and B (a member's of B who is no matrix user) notifications about a draft of their OPD; the
    e-mail preferences of members who are no matrix users."""
    for loc, recipient in (("A", w.users["operator_a1"]), ("B", w.extra["team_B"])):
        target = w.obj(BusinessProcess, f"{loc}1", str(ReviewStatus.DRAFT))
        (w.objects[(Notification, loc, DEFAULT)],) = notify([recipient], kinds.REVIEW_RETURNED.key, target,
                                                           f"Dikembalikan: lengkapi uraian ({loc}).")
        w.objects[(NotificationPreference, loc, DEFAULT)] = NotificationPreference.objects.create(
            user=w.extra[f"free_{loc}"], delivery="tidak")


def build_world(tmp_media=None) -> World:
    ensure_default_catalogs()
    w = World()
    w.institutions = {
        "A": f.institution(name="Pemerintah Provinsi Matriks A", code="71"),
        "B": f.institution(name="Pemerintah Kota Matriks B", code="7171", kind="kota"),
    }
    a, b = w.institutions["A"], w.institutions["B"]
    w.departments = {
        "A1": f.department(a, name="Dinas Satu A", abbreviation="DSA1"),
        "A2": f.department(a, name="Dinas Dua A", abbreviation="DSA2"),
        "B1": f.department(b, name="Dinas Satu B", abbreviation="DSB1"),
    }
    w.users = {
        "anonymous": None,
        "operator_a1": f.member(a, Role.OPERATOR, w.departments["A1"], username="mx.op.a1"),
        "operator_a2": f.member(a, Role.OPERATOR, w.departments["A2"], username="mx.op.a2"),
        "verifikator": f.member(a, Role.VERIFIER, username="mx.verif.a"),
        "asesor": f.member(a, Role.ASSESSOR, username="mx.asesor.a"),
        "pimpinan": f.member(a, Role.LEADER, username="mx.pimpinan.a"),
        "admin_a": f.member(a, Role.ADMIN, username="mx.admin.a"),
        "admin_b": f.member(b, Role.ADMIN, username="mx.admin.b"),
        "superuser": f.user("mx.super", is_superuser=True, is_staff=True),
    }
    # Members that are not matrix users: the team data-entry operators, B's scorer, users to attach.
    w.extra["scorer_b"] = f.member(b, Role.ASSESSOR, username="mx.asesor.b")
    w.extra["team_A"] = f.member(a, Role.OPERATOR, w.departments["A2"], username="mx.tim.a")
    w.extra["team_B"] = f.member(b, Role.OPERATOR, w.departments["B1"], username="mx.tim.b")
    w.extra["free_A"] = f.member(a, Role.LEADER, username="mx.bebas.a")
    w.extra["free_B"] = f.member(b, Role.LEADER, username="mx.bebas.b")
    w.extra["newcomer"] = f.user("mx.baru")

    for loc, dept in w.departments.items():
        fn = f.function(dept, 1, f"Perumusan kebijakan {loc}")
        w.objects[(Department, loc, DEFAULT)] = dept
        w.objects[(DepartmentFunction, loc, DEFAULT)] = fn
        w.objects[(WorkUnit, loc, DEFAULT)] = f.work_unit(dept, name=f"Bidang Uji {loc}")
    for loc, inst in w.institutions.items():
        seed_value_lists(inst)
        w.objects[(Institution, loc, DEFAULT)] = inst
        w.objects[(Membership, loc, DEFAULT)] = Membership.objects.get(user=w.extra[f"free_{loc}"])
        w.objects[(ValueListItem, loc, DEFAULT)] = ValueListItem.objects.filter(institution=inst).order_by("-pk").first()
    # Mentors (issue 17): the matrix's verifikator mentors A1, another verifikator of A mentors A2, one of B mentors B1;
    # each instansi has an OPD without a mentor for creates.
    w.extra["verif_A"] = w.users["verifikator"]
    w.extra["verif_A2"] = f.member(a, Role.VERIFIER, username="mx.verif2.a")
    w.extra["verif_B"] = f.member(b, Role.VERIFIER, username="mx.verif.b")
    for loc, mentor in (("A1", "verif_A"), ("A2", "verif_A2"), ("B1", "verif_B")):
        w.objects[(MentorAssignment, loc, DEFAULT)] = MentorAssignment.objects.create(
            department=w.departments[loc], mentor=w.extra[mentor])
    for loc, inst in w.institutions.items():
        w.extra[f"unmentored_{loc}"] = f.department(inst, name=f"Dinas Tanpa Mentor {loc}", abbreviation=f"DTM{loc}")
    for loc in w.institutions:  # an API token of a member who is not a matrix user
        w.objects[(ApiToken, loc, DEFAULT)] = issue_token(w.extra[f"free_{loc}"], f"Token {loc}")[0]
    _reference(w)
    _architecture(w)
    _portfolio(w)
    _roadmap(w)
    _progress(w)
    _duplicates(w)
    _evaluation(w, tmp_media)
    _exchange(w)
    _documents(w)
    _snapshot_jobs(w)
    _workshops(w)
    _governance(w)
    _notifications(w)
    return w


def _workshops(w: World):
    """Per OPD a kegiatan of its instansi inviting it (an hour ago to an hour from now), with the instansi's
    verifikator as mentor, and the attendance of the OPD's operator (recorded by the organiser). B gets a
    verifikator of its own, the mentor an attendance create names."""
    from datetime import timedelta

    from django.utils import timezone

    w.extra["mentor_A"] = w.users["verifikator"]
    w.extra["mentor_B"] = w.extra["verif_B"]  # B's verifikator (mentor of OPD B1 too)
    operators = {"A1": w.users["operator_a1"], "A2": w.users["operator_a2"], "B1": w.extra["team_B"]}
    now = timezone.now()
    for loc, dept in w.departments.items():
        workshop = Workshop.objects.create(
            institution=dept.institution, title=f"Bimtek {loc}", starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1), place="Aula", domains=["aplikasi"], organiser=None)
        workshop.departments.set([dept])
        workshop.mentors.set([w.extra[f"mentor_{loc[0]}"]])
        w.objects[(Workshop, loc, DEFAULT)] = workshop
        w.objects[(Attendance, loc, DEFAULT)] = Attendance.objects.create(
            workshop=workshop, participant=operators[loc], department=dept)


def fresh_user(w: World, key):
    """A fresh copy of a matrix user: no cached grants or team roles from an earlier test."""
    user = w.users[key]
    return None if user is None else get_user_model().objects.get(pk=user.pk)
