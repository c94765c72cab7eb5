"""The authorization matrix of the web pages: every page of one object (detail, edit, delete, history,
workflow and other actions) of every model, every user, every location, against the same per-policy
tables as the API (tests/authz/expectations.py).

GET pages answer 200 (allowed), 403 (forbidden), 404 (hidden) or a redirect to the login page.
POSTs (delete, actions) answer a redirect when allowed; refused, they change nothing. A page of one
object that is not declared in PAGES fails, so a new one cannot slip in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from sia.architecture.models import ReviewEvent
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.core.models import ApiToken
from sia.evaluation.models import Assessment, AssessmentTeamMember, Evidence, FrameworkVersion, StageLock
from sia.exchange.models import ImportRecord, SnapshotJob
from sia.publishing.models import GeneratedDocument
from sia.notifications.models import Notification
from sia.organizations.models import Department, Institution, Membership, MentorAssignment, WorkUnit
from sia.portfolio.models import ApplicationAssessment, Clearance, DuplicateDismissal
from sia.progress.models import ProgressSnapshot, Target
from sia.governance.models import PolicyDocument
from sia.roadmap.models import Activity, Initiative, Program, StrategicTarget
from sia.workshops.models import Attendance, Workshop
from sia.reference.models import CatalogVersion, ReferenceNode
from sia.architecture.models import Application, ApplicationIntegration, ValueListItem

from .expectations import (
    ARCHITECTURE_OF_INSTANSI, DRAFT, MENTOR_LOAD, POLICY_EXPECTATIONS, ROADMAP_READ_INSTANSI, ROADMAP_WORKBOOK_UPLOAD, SUBMITTED,
    VALIDATED, VERIFIED,
)
from .matrix import _grids, row_counts, row_of
from .world import DEFAULT, sample_variants, users_for, variants_of

# A case takes ``matrix_world`` (tests/authz/conftest.py): one savepoint of its own, not the mark's TestCase.
pytestmark = pytest.mark.django_db

# Review transitions and comments on the web answer a refusal with the object's page and a message.
WORKFLOW = ("submit", "verify", "return_", "validate", "comments:post")
APPS = ("organizations", "notifications", "reference", "architecture", "evaluation", "exchange", "portfolio",
        "insights", "roadmap", "index_evidence", "governance", "progress", "workshops")


@dataclass(frozen=True)
class Page:
    model: type
    action: str  # the key of the policy's table
    method: str = "get"
    data: dict = field(default_factory=dict)
    variants: tuple = ()  # limit to these variants of the object (default: those the table declares)
    kwargs: dict = field(default_factory=dict)  # URL arguments besides pk
    pk_field: str = ""  # the object's ID goes in this form field (not in the URL)
    pk_of: str = ""  # the URL names another object: this attribute of the object (e.g. "application_id")


def _object_pages(model, **extra) -> dict:
    """The standard pages of a model (sia.core.routes) that exist, with their policy actions."""
    meta = model._meta
    pages = {
        f"{meta.app_label}:{meta.model_name}": Page(model, "view"),
        f"{meta.app_label}:{meta.model_name}_edit": Page(model, "change"),
        f"{meta.app_label}:{meta.model_name}_delete": Page(model, "delete"),
        f"{meta.app_label}:{meta.model_name}_delete#post": Page(model, "delete", "post"),
        f"{meta.app_label}:{meta.model_name}_history": Page(model, "history"),
        f"{meta.app_label}:{meta.model_name}_toggle": Page(model, "change", "post"),
    }
    pages.update(extra)
    return pages


def _architecture_pages(model) -> dict:
    name = f"architecture:{model._meta.model_name}_action"
    return _object_pages(model, **{
        f"{name}#ajukan": Page(model, "submit", "post", {"action": "ajukan"}, (DRAFT,)),
        f"{name}#verifikasi": Page(model, "verify", "post", {"action": "verifikasi"}, (SUBMITTED,)),
        f"{name}#kembalikan": Page(model, "return_", "post", {"action": "kembalikan", "comment": "Lengkapi."},
                                   (SUBMITTED,)),
        f"{name}#validasi": Page(model, "validate", "post", {"action": "validasi"}, (VERIFIED,)),
        f"{name}#komentar": Page(model, "comments:post", "post", {"action": "komentar", "comment": "Catatan."},
                                 (DRAFT, VALIDATED)),
    })


def _insights_pages(model) -> dict:
    """An object's traceability and impact analysis pages and their diagrams (the HTML fragment; its SVG and PNG
    are the same view), read as the object is read. One URL serves every kind (``kind`` in the URL): the matrix
    runs them on one kind, every user and status; tests/insights/test_views.py opens them for every declared kind
    (allowed, and 404 for a draft of another OPD)."""
    kind = model.spec.slug
    pages = {"trace": {}, "impact": {}, "trace_diagram": {"fmt": "html"}, "impact_diagram": {"fmt": "html"}}
    return {f"insights:{name}": Page(model, "view", kwargs={"kind": kind, **extra}) for name, extra in pages.items()}


# Every web page of one object, by URL name (``#...`` tells several requests to one URL apart).
PAGES: dict[str, Page | str] = {
    **_object_pages(Institution),
    **_object_pages(Department),
    **_object_pages(WorkUnit),
    **_object_pages(Membership),
    **_object_pages(MentorAssignment),
    **_object_pages(ReferenceNode),
    "reference:node_children": Page(ReferenceNode, "children"),
    **_object_pages(CatalogVersion),
    "reference:catalogversion_publish": Page(CatalogVersion, "publish", "post"),
    **_object_pages(ValueListItem),
    **{k: v for model in domain_models() for k, v in _architecture_pages(model).items()},
    **_object_pages(ApplicationIntegration),
    **_object_pages(FrameworkVersion),
    **_object_pages(Assessment),
    "evaluation:assessment_indicator": Page(Assessment, "view", kwargs={"number": 1}),
    "evaluation:assessment_lock": Page(Assessment, "lock_stage", "post"),
    "evaluation:assessment_advance": Page(Assessment, "advance_stage", "post"),
    "evaluation:assessment_planner": Page(Assessment, "planner"),
    "evaluation:assessment_compare": Page(Assessment, "view"),
    "evaluation:assessment_xlsx": Page(Assessment, "export_xlsx"),
    "evaluation:assessment_berita_acara": Page(Assessment, "berita_acara"),
    "evaluation:assessment_team_add": Page(Assessment, "change", "post", {"user": "mx.bebas.a", "role": "asesor"}),
    "evaluation:teammember_delete": Page(AssessmentTeamMember, "delete", "post"),
    "evaluation:evidence_download": Page(Evidence, "download"),
    "evaluation:evidence_delete": Page(Evidence, "delete", "post"),
    "evaluation:evidence_add": "an upload form: tests/evaluation/test_evidence.py covers who may attach evidence",
    "evaluation:item_review": "PermenPANRB 8/2026 items only: tests/evaluation/test_evidence_items.py covers who reviews",
    "evaluation:item_assign": "PermenPANRB 8/2026 items only: tests/evaluation/test_evidence_items.py covers who assigns",
    "evaluation:carry_over": "PermenPANRB 8/2026 only: tests/evaluation/test_carryover_views.py covers who carries over",
    # One click attaches a dated export as evidence of an indicator (sia.index_evidence): who may add evidence.
    "index_evidence:attach": Page(Assessment, "attach_export", "post", kwargs={"number": 15, "key": "aplikasi"}),
    # The governance register: a document's pages and file; one click attaches the documents in force that evidence
    # an indicator (10: the SK of the Tim Koordinasi SPBE) as its evidence: who may add evidence.
    **_object_pages(PolicyDocument),
    "governance:policydocument_file": Page(PolicyDocument, "download"),
    "governance:attach": Page(Assessment, "attach_export", "post", kwargs={"number": 10}),
    "exchange:importrecord": Page(ImportRecord, "view"),
    "exchange:importrecord_commit": Page(ImportRecord, "commit", "post"),
    "exchange:importrecord_progress": Page(ImportRecord, "view"),
    "exchange:snapshotjob": Page(SnapshotJob, "view"),
    "exchange:snapshotjob_download": Page(SnapshotJob, "download"),
    "exchange:snapshotjob_retry": Page(SnapshotJob, "retry", "post", variants=("gagal",)),
    "publishing:document": Page(GeneratedDocument, "view"),
    "publishing:document_download": Page(GeneratedDocument, "download"),
    # Portfolio decisions, on pages of the application they are about.
    "portfolio:assessment": Page(ApplicationAssessment, "change", pk_of="application_id"),
    "portfolio:assessment#post": Page(ApplicationAssessment, "change", "post",
                                      {"functional_fit": 2, "technical_fit": 2, "criticality": 4}, pk_of="application_id"),
    "portfolio:clearance": Page(Clearance, "change", pk_of="application_id"),
    "portfolio:clearance#post": Page(Clearance, "change", "post", {"decision": "ditolak", "reason": "Pakai SRIKANDI."},
                                     pk_of="application_id"),
    "portfolio:undo_dismissal": Page(DuplicateDismissal, "delete"),
    "portfolio:undo_dismissal#post": Page(DuplicateDismissal, "delete", "post"),
    # Insights: an OPD's landscape and its diagram are read as the OPD is; an object's analyses as the object.
    "insights:landscape": Page(Department, "view"),
    "insights:landscape_diagram": Page(Department, "view", kwargs={"fmt": "html"}),
    **_insights_pages(Application),
    # The roadmap: a sasaran (with its tree) and a kegiatan (with its years and gaps), and their history.
    **_object_pages(StrategicTarget),
    **_object_pages(Activity),
    # Their forms (edit, delete) and those of inisiatif and programs (shown on the sasaran's page); a delete of what
    # still has children is refused (409); the review of a kegiatan (the variant: its review status, DEFAULT a draft).
    **_object_pages(Initiative),
    **_object_pages(Program),
    "roadmap:activity_action#ajukan": Page(Activity, "submit", "post", {"action": "ajukan"}, (DEFAULT,)),
    "roadmap:activity_action#verifikasi": Page(Activity, "verify", "post", {"action": "verifikasi"}, (SUBMITTED,)),
    "roadmap:activity_action#kembalikan": Page(Activity, "return_", "post",
                                               {"action": "kembalikan", "comment": "Lengkapi RKA."}, (SUBMITTED,)),
    "roadmap:activity_action#validasi": Page(Activity, "validate", "post", {"action": "validasi"}, (VERIFIED,)),
    "roadmap:activity_action#komentar": Page(Activity, "comments:post", "post",
                                             {"action": "komentar", "comment": "Catatan."}, (DEFAULT,)),
    # Targets, and an OPD's progress page read as its snapshots are (an operator: their own OPD's only).
    **_object_pages(Target),
    "progress:department": Page(ProgressSnapshot, "view", pk_of="department_id"),
    # Kegiatan pendampingan: the page, forms and history; the participant's check-in page; the daftar hadir; the
    # forms of one attendance record.
    **_object_pages(Workshop),
    "workshops:workshop_checkin": Page(Workshop, "check_in:page"),
    "workshops:workshop_sheet": Page(Workshop, "sheet", kwargs={"extension": "pdf"}),
    **_object_pages(Attendance),
    # A notification is its recipient's alone: marking it read (and following it, a redirect to its object checked
    # again: tests/notifications/test_views.py) answers 404 to everyone else.
    "notifications:mark_read": Page(Notification, "mark_read", "post"),
    "notifications:open": "a redirect to the notification's object: tests/notifications/test_views.py covers who may "
                          "follow it (the recipient, while they may see the object; 404 otherwise)",
    # Pages that name their object in the form, not in the URL (not found by _object_urls).
    "api_token#revoke": Page(ApiToken, "delete", "post", {"action": "revoke"}, pk_field="token"),
}


def _object_urls() -> list[str]:
    """The URL names of every page of one object (a ``pk`` in the URL) in the apps."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in APPS and "pk" in pattern.pattern.converters:
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def _declared(name):
    return {key: page for key, page in PAGES.items() if key.split("#")[0] == name}


def _cases():
    cases = []
    for name in [*_object_urls(), *sorted({k.split("#")[0] for k, p in PAGES.items()
                                            if isinstance(p, Page) and p.pk_field})]:
        pages = _declared(name)
        if not pages:
            cases.append((name, None, "-", "-", DEFAULT, None))
        for key, page in pages.items():
            if isinstance(page, str):
                continue
            table = POLICY_EXPECTATIONS[type(permissions.policy_for(page.model))]
            grids = table.get(page.action) or table.get("view" if page.action == "history" else page.action)
            grids = _grids(grids)
            wanted = [v for v in grids if v in variants_of(page.model) and (not page.variants or v in page.variants)]
            for variant in sample_variants(page.model, wanted):
                grid = grids[variant]
                for user in users_for(page.model):
                    for location, expected in grid[user].items():
                        cases.append((key, page, user, location, variant, expected))
    return cases


CASES = _cases()


def _id(case):
    key, page, user, location, variant, _ = case
    suffix = "" if variant == DEFAULT else f":{variant}"
    return f"{key} {page.method.upper() if page else ''} {user}@{location}{suffix}"


def test_every_object_page_is_declared():
    missing = sorted({case[0] for case in CASES if case[1] is None})
    assert not missing, "declare these pages in PAGES of tests/authz/test_html_matrix.py: " + ", ".join(missing)


def _fingerprint(obj):
    model = type(obj)
    counts = row_counts(*(m.objects for m in (ReviewEvent, StageLock, AssessmentTeamMember, ImportRecord, model)))
    return counts, row_of(obj)


@pytest.mark.parametrize("case", CASES, ids=[_id(case) for case in CASES])
def test_page_authorization(matrix_world, case):
    key, page, user_key, location, variant, expected = case
    if page is None:
        pytest.fail(f"{key}: a page of one object with no declaration: add it to PAGES in tests/authz/test_html_matrix.py")
    w = matrix_world
    obj = w.obj(page.model, location, variant)
    client = Client()
    if user_key in w.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[user_key]
    if page.pk_field:
        url, data = reverse(key.split("#")[0], kwargs=page.kwargs), {**page.data, page.pk_field: obj.pk}
    else:
        pk = getattr(obj, page.pk_of) if page.pk_of else obj.pk
        url, data = reverse(key.split("#")[0], kwargs={"pk": pk, **page.kwargs}), page.data
    # Only a POST's fingerprints are compared (below); a GET answers its status alone.
    posted = page.method == "post"
    before = _fingerprint(obj) if posted else None
    response = getattr(client, page.method)(url, data)
    status = response.status_code
    after = _fingerprint(obj) if posted else None
    message = f"{key} {user_key}@{location} [{variant}]: expected {expected!r}, got {status} {response.get('Location', '')}"
    if expected == "anon":
        assert status == 302 and "/akun/login/" in response["Location"], message
    elif expected == "ok":
        if page.method == "get":
            assert status == 200, message
        else:
            # 409: a delete allowed, but other objects still link to the object (it lists them; nothing changes).
            conflict = page.action == "delete" and status == 409
            assert status in (200, 302) or conflict, message
            assert "/akun/login/" not in response.get("Location", ""), message
            assert not conflict or after == before, f"{message}: refused as still in use, but the database changed"
            if page.action in WORKFLOW or page.action == "commit" or page.pk_field:
                assert after != before, f"{message}: allowed, but nothing happened"
    elif expected == "no":
        # A workflow POST the user may not make is answered with the object's page and a message.
        assert status == 403 or (page.action in WORKFLOW and status == 302), message
    elif expected == "hid":
        assert status == 404, message
    elif page.method == "get":
        # "bad": the permission check passes and the request itself is refused; a form page still opens.
        assert status == 200, message
    else:
        assert status == 400, message
    if expected != "ok" and page.method == "post":
        assert after == before, f"{message}: refused, but the database changed"


# ---------------------------------------------------------------------------------------------
# Pages of one instansi (no object in the URL; the instansi named by ``?instansi=``), by URL name: the columns
# of the grid are the instansi A and B. The roadmap's overview pages (ringkasan, linimasa, anggaran) are read by
# every member of the instansi; another instansi's is not found. A page of ``sia.roadmap.overview_views`` that is
# not declared here fails.
# ---------------------------------------------------------------------------------------------

INSTANSI_PAGES = {
    "roadmap:overview": ROADMAP_READ_INSTANSI,
    "roadmap:timeline": ROADMAP_READ_INSTANSI,
    "roadmap:budget": ROADMAP_READ_INSTANSI,
    "roadmap:dashboard": ROADMAP_READ_INSTANSI,  # the home page's roadmap numbers (loaded by its panel)
    # The ArchiMate page and its download (sia.exchange.archimate_views): every member of the instansi.
    "exchange:archimate": ARCHITECTURE_OF_INSTANSI,
    "exchange:archimate_download": ARCHITECTURE_OF_INSTANSI,
    # The koordinator's "Beban mentor" (sia.architecture.mentor_views); its move (POST) is tested in
    # tests/architecture/test_mentors.py.
    "architecture:mentor_load": MENTOR_LOAD,
}
INSTANSI_PAGE_MODULES = ("sia.roadmap.overview_views",)


def _instansi_page_urls() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif getattr(pattern.callback, "__module__", "") in INSTANSI_PAGE_MODULES:
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_instansi_page_is_declared():
    missing = sorted(set(_instansi_page_urls()) - set(INSTANSI_PAGES))
    assert not missing, ("declare these pages in INSTANSI_PAGES of tests/authz/test_html_matrix.py: "
                         + ", ".join(missing))


INSTANSI_CASES = [(name, user, location, expected) for name, table in INSTANSI_PAGES.items()
                  for user, row in table.items() for location, expected in row.items()]


@pytest.mark.parametrize("case", INSTANSI_CASES, ids=[f"{c[0]} GET {c[1]}@{c[2]}" for c in INSTANSI_CASES])
def test_instansi_page_authorization(matrix_world, case):
    name, user_key, location, expected = case
    w = matrix_world
    client = Client()
    if user_key in w.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[user_key]
    response = client.get(reverse(name), {"instansi": w.institutions[location].pk})
    status = response.status_code
    message = f"{name} {user_key}@{location}: expected {expected!r}, got {status} {response.get('Location', '')}"
    if expected == "anon":
        assert status == 302 and "/akun/login/" in response["Location"], message
    elif expected == "ok":
        assert status == 200, message
    elif expected == "hid":
        assert status == 404, message
    else:
        assert status == 403, message


# ---------------------------------------------------------------------------------------------
# The Excel page of the Peta Rencana (sia.roadmap.workbook_views), of the instansi ``?instansi=`` names: its
# downloads are read by every member; the upload preview and its commit by those who may upload (the koordinator,
# the OPD operators: ROADMAP_WORKBOOK_UPLOAD; the matrix sends no file and has no preview: 400, nothing written).
# ---------------------------------------------------------------------------------------------

WORKBOOK_PAGES = {
    "roadmap:workbook": ROADMAP_READ_INSTANSI,
    "roadmap:workbook_download": ROADMAP_READ_INSTANSI,
    "roadmap:workbook#post": ROADMAP_WORKBOOK_UPLOAD,
    "roadmap:workbook_commit#post": ROADMAP_WORKBOOK_UPLOAD,
}


def test_every_workbook_page_is_declared():
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif getattr(pattern.callback, "__module__", "") == "sia.roadmap.workbook_views":
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    declared = {key.split("#")[0] for key in WORKBOOK_PAGES}
    assert names and not set(names) - declared, f"declare {sorted(set(names) - declared)} in WORKBOOK_PAGES"


WORKBOOK_CASES = [(key, user, location, expected) for key, table in WORKBOOK_PAGES.items()
                  for user, row in table.items() for location, expected in row.items()]


@pytest.mark.parametrize("case", WORKBOOK_CASES, ids=[f"{c[0]} {c[1]}@{c[2]}" for c in WORKBOOK_CASES])
def test_workbook_page_authorization(matrix_world, case):
    from sia.roadmap.models import ActivityYear, Initiative, Program

    key, user_key, location, expected = case
    w = matrix_world
    client = Client()
    if user_key in w.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[user_key]
    name, _sep, method = key.partition("#")
    models = (StrategicTarget, Initiative, Program, Activity, ActivityYear)
    before = [m.objects.count() for m in models]
    if method == "post":
        response = client.post(reverse(name), {"instansi": w.institutions[location].pk})
    else:
        response = client.get(reverse(name), {"instansi": w.institutions[location].pk})
    status = response.status_code
    message = f"{key} {user_key}@{location}: expected {expected!r}, got {status} {response.get('Location', '')}"
    if expected == "anon":
        assert status == 302 and "/akun/login/" in response["Location"], message
    elif expected == "ok":
        assert status == 200, message
    elif expected == "hid":
        assert status == 404, message
    elif expected == "no":
        assert status == 403, message
    else:
        assert status == 400, message
    assert [m.objects.count() for m in models] == before, message
