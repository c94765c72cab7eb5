"""The authorization matrix as a specification: who may do what, where, per permission policy.

Read a table as: the row is the user, the column is where the object lives (or, for a create, where
the new object would live), the cell is what must happen:

    ok    allowed (2xx; a delete may also answer 409 when other data still points at the object)
    no    forbidden: 403 (the user sees the object, or the target, but may not do this)
    hid   hidden: 404 for the object, absent from lists; a create naming a target the user cannot
          see is refused as invalid (400) or forbidden (403)
    anon  not signed in: 401 or 403
    bad   the permission check passed and the request itself was refused (400): used where the
          matrix sends no real body (imports, restores)

Locations: A1, A2 = OPDs of instansi A; B1 = an OPD of instansi B; A, B = the instansi themselves
(models without an OPD); N = national data. Users: the operator of A1 (the owning OPD) and of A2
(another OPD), verifikator, asesor, pimpinan and admin of A, admin of B, a superuser. See world.py.

Tables are keyed by the Policy class (``sia.*.policies``) and the policy action: view (list,
retrieve), add (create), change (update, partial_update), delete (destroy), and every custom
viewset action by its own name. Architecture objects are tested per review status: the table of an
action maps each status to its grid. The truth comes from the policies' role tables and the review
workflow (``sia.architecture.workflow.TRANSITIONS``), not from what the server answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, Server
from sia.architecture.policies import ArchitecturePolicy, IntegrationPolicy, ValueListPolicy
from sia.evaluation.policies import (
    AssessmentPartPolicy,
    AssessmentPolicy,
    EvidenceItemReviewPolicy,
    EvidencePolicy,
    FrameworkPolicy,
    IndicatorScorePolicy,
)
from sia.publishing.policies import GeneratedDocumentPolicy
from sia.exchange.policies import ImportRecordPolicy, SnapshotJobPolicy
from sia.portfolio.policies import ApplicationAssessmentPolicy, ClearancePolicy, DuplicateDismissalPolicy
from sia.notifications.policies import NotificationPolicy, NotificationPreferencePolicy
from sia.organizations.policies import (
    ApiTokenPolicy,
    DepartmentPartPolicy,
    DepartmentPolicy,
    InstitutionPolicy,
    MembershipPolicy,
    MentorAssignmentPolicy,
)
from sia.reference.choices import VersionStatus
from sia.reference.policies import NationalCatalogPolicy, ReferenceNodePolicy
from sia.governance.policies import PolicyDocumentPolicy, TeamMemberPolicy
from sia.progress.policies import ProgressSnapshotPolicy, TargetPolicy
from sia.workshops.policies import AttendancePolicy, WorkshopPolicy
from sia.roadmap.policies import (
    ActivityPartPolicy,
    ActivityPolicy,
    InitiativePolicy,
    ProgramPolicy,
    StrategicTargetPolicy,
)

from .world import DEFAULT, USERS

OUTCOMES = {"ok", "no", "hid", "anon", "bad"}


def grid(text: str) -> dict:
    """Parses a table: a header line of locations, then one line per user. Returns {user: {location: outcome}}."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    table = {}
    for row in rows:
        user, cells = row[0], row[1:]
        assert user in USERS, f"unknown user {user!r} in a matrix table"
        assert len(cells) == len(header), f"row {user!r} has {len(cells)} cells for {len(header)} columns"
        assert set(cells) <= OUTCOMES, f"row {user!r}: unknown outcome in {cells}"
        table[user] = dict(zip(header, cells))
    assert set(table) == set(USERS), f"a table must list every user; missing {set(USERS) - set(table)}"
    return table


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------

# An instansi is read by its members, changed by its admins, created and removed by superusers.
INSTITUTION = {
    "view": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 ok    hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "add": grid("""
                    *
        anonymous   anon
        operator_a1 no
        operator_a2 no
        verifikator no
        asesor      no
        pimpinan    no
        admin_a     no
        admin_b     no
        superuser   ok
    """),
    "change": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "delete": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     no    hid
        admin_b     hid   no
        superuser   ok    ok
    """),
}

# OPDs, their functions and work units: an operator reads only their own OPD; the other members
# of the instansi read all its OPDs; its admins write them.
OPD_READ = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
OPD_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# A create names the target OPD (or the instansi of a new OPD); every member may pick any OPD of
# their own instansi (the OPD directory is no secret), so refusals there are 403, not 400.
OPD_CREATE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
DEPARTMENT = {"view": OPD_READ, "add": OPD_CREATE, "change": OPD_WRITE, "delete": OPD_WRITE}
DEPARTMENT_PART = {"view": OPD_READ, "add": OPD_CREATE, "change": OPD_WRITE, "delete": OPD_WRITE}

# Memberships: read by admins and pimpinan of the instansi (and by the member, not exercised
# here); written by admins.
MEMBERSHIP = {
    "view": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "add": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
}
MEMBERSHIP["change"] = MEMBERSHIP["delete"] = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")

# Mentor assignments (issue 17): managed by the koordinator of the instansi; a verifikator reads their own (the world's
# verifikator mentors A1; A2 has another verifikator of A), nobody else sees them. A create names an OPD without a
# mentor of the instansi; the OPD directory is no secret, so refusals there are 403 (as OPD_CREATE).
MENTOR_ASSIGNMENT = {
    "view": grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 hid   hid   hid
        operator_a2 hid   hid   hid
        verifikator ok    hid   hid
        asesor      hid   hid   hid
        pimpinan    hid   hid   hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
    """),
    "add": OPD_CREATE,
}
MENTOR_ASSIGNMENT["change"] = MENTOR_ASSIGNMENT["delete"] = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 hid   hid   hid
        operator_a2 hid   hid   hid
        verifikator no    hid   hid
        asesor      hid   hid   hid
        pimpinan    hid   hid   hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# The koordinator's "Beban mentor" page of an instansi (``?instansi=``): its admins only; another instansi's is not
# found.
MENTOR_LOAD = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")


# ---------------------------------------------------------------------------------------------
# Reference catalogs
# ---------------------------------------------------------------------------------------------

EVERY_SIGNED_IN = grid("""
                    N
        anonymous   anon
        operator_a1 ok
        operator_a2 ok
        verifikator ok
        asesor      ok
        pimpinan    ok
        admin_a     ok
        admin_b     ok
        superuser   ok
""")
SUPERUSER_ONLY = grid("""
                    N
        anonymous   anon
        operator_a1 no
        operator_a2 no
        verifikator no
        asesor      no
        pimpinan    no
        admin_a     no
        admin_b     no
        superuser   ok
""")
SUPERUSER_ONLY_HIDDEN = grid("""
                    N
        anonymous   anon
        operator_a1 hid
        operator_a2 hid
        verifikator hid
        asesor      hid
        pimpinan    hid
        admin_a     hid
        admin_b     hid
        superuser   ok
""")
# Catalogs and published versions: everyone signed in reads; draft versions only superusers see.
# Superusers publish a version and import a new one (the matrix sends no file: 400 after the check).
NATIONAL_CATALOG = {
    "view": {VersionStatus.PUBLISHED.value: EVERY_SIGNED_IN, VersionStatus.DRAFT.value: SUPERUSER_ONLY_HIDDEN,
             DEFAULT: EVERY_SIGNED_IN},
    # A draft version is hidden (404) before publishing is refused (403), on the web and in the API alike.
    "publish": {VersionStatus.PUBLISHED.value: SUPERUSER_ONLY, VersionStatus.DRAFT.value: SUPERUSER_ONLY_HIDDEN},
    "import_version": grid("""
                    *
        anonymous   anon
        operator_a1 no
        operator_a2 no
        verifikator no
        asesor      no
        pimpinan    no
        admin_a     no
        admin_b     no
        superuser   bad
    """),
}

# National nodes: read by everyone signed in, written by superusers. Instansi nodes: read by the
# members of the instansi, written by its admins.
NODE_READ = grid("""
                    N     A     B
        anonymous   anon  anon  anon
        operator_a1 ok    ok    hid
        operator_a2 ok    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     ok    hid   ok
        superuser   ok    ok    ok
""")
NODE_DELETE = grid("""
                    N     A     B
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     no    ok    hid
        admin_b     no    hid   ok
        superuser   ok    ok    ok
""")
# A national node changes only through a new catalog version (an import): even a superuser's edit
# through the API is refused as invalid, after the permission check.
NODE_CHANGE = grid("""
                    N     A     B
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     no    ok    hid
        admin_b     no    hid   ok
        superuser   bad   ok    ok
""")
NODE_CREATE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
REFERENCE_NODE = {
    "view": NODE_READ, "add": NODE_CREATE, "change": NODE_CHANGE, "delete": NODE_DELETE,
    "children": NODE_READ, "crosswalk": NODE_READ, "mapped": NODE_READ,
}

# ---------------------------------------------------------------------------------------------
# Architecture (the review workflow: sia.architecture.workflow)
# ---------------------------------------------------------------------------------------------

DRAFT, SUBMITTED, VERIFIED, VALIDATED = (str(s) for s in (
    ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.VALIDATED))

# Unvalidated objects: an operator sees only their own OPD's; the rest of the instansi sees all.
ARCH_READ_UNVALIDATED = OPD_READ
# Validated objects: every member of the instansi reads them, operators of other OPDs included.
ARCH_READ_VALIDATED = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    ok    hid
        operator_a2 ok    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Writers are the OPD's operator (drafts and returned objects only) and the admins.
ARCH_WRITE_DRAFT = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Under review: the operator sees their object but may no longer change it.
ARCH_WRITE_IN_REVIEW = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ARCH_WRITE_VALIDATED = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ARCH_CREATE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    no    hid
        operator_a2 no    ok    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# The review conversation and audit trail: an operator of another OPD may read a validated object
# but not how it got there (HISTORY in ArchitecturePolicy).
ARCH_CONVERSATION_VALIDATED = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    no    hid
        operator_a2 no    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Commenting (workflow.COMMENTERS): operators of the OPD, verifikator, asesor, admins; not pimpinan.
ARCH_COMMENT_DRAFT = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ARCH_COMMENT_VALIDATED = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    no    hid
        operator_a2 no    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Ajukan (draft -> diajukan): the OPD's operator and admins.
ARCH_SUBMIT = ARCH_WRITE_DRAFT
# Verifikasi / Kembalikan (diajukan -> ...): verifikator and admins; the operator sees it, may not.
ARCH_REVIEW = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Validasi (diverifikasi -> divalidasi): admins only.
ARCH_VALIDATE = ARCH_WRITE_IN_REVIEW | {"verifikator": ARCH_REVIEW["asesor"]}

ARCHITECTURE = {
    "view": {DRAFT: ARCH_READ_UNVALIDATED, VALIDATED: ARCH_READ_VALIDATED},
    "add": ARCH_CREATE,
    "change": {DRAFT: ARCH_WRITE_DRAFT, SUBMITTED: ARCH_WRITE_IN_REVIEW, VALIDATED: ARCH_WRITE_VALIDATED},
    "delete": {DRAFT: ARCH_WRITE_DRAFT, VALIDATED: ARCH_WRITE_VALIDATED},
    "comments": {DRAFT: ARCH_READ_UNVALIDATED, VALIDATED: ARCH_CONVERSATION_VALIDATED},
    "comments:post": {DRAFT: ARCH_COMMENT_DRAFT, VALIDATED: ARCH_COMMENT_VALIDATED},
    # The audit trail (Riwayat) is read like the review conversation.
    "history": {DRAFT: ARCH_READ_UNVALIDATED, VALIDATED: ARCH_CONVERSATION_VALIDATED},
    "submit": {DRAFT: ARCH_SUBMIT},
    "verify": {SUBMITTED: ARCH_REVIEW},
    "return_": {SUBMITTED: ARCH_REVIEW},
    "validate": {VERIFIED: ARCH_VALIDATE},
}

# Integrations between applications follow their source application (the variant is the source's status):
# read where it is read; added, changed and removed by whoever may change it (operators while it is a
# draft or returned, admins); its audit trail read like the source's. A create names the OPD's draft
# application as its source: one the user cannot see is "does not exist" (400).
INTEGRATION_WRITE = {DRAFT: ARCH_WRITE_DRAFT, SUBMITTED: ARCH_WRITE_IN_REVIEW, VALIDATED: ARCH_WRITE_VALIDATED}
INTEGRATION = {
    "view": ARCHITECTURE["view"],
    "add": ARCH_WRITE_DRAFT,
    "change": INTEGRATION_WRITE,
    "delete": INTEGRATION_WRITE,
    "history": ARCHITECTURE["history"],
}

# Value lists of an instansi: its members read, its admins write.
INSTANSI_READ = INSTITUTION["view"]
INSTANSI_ADMIN_WRITE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
VALUE_LIST = {"view": INSTANSI_READ, "add": INSTANSI_ADMIN_WRITE, "change": INSTANSI_ADMIN_WRITE,
              "delete": INSTANSI_ADMIN_WRITE}

# ---------------------------------------------------------------------------------------------
# Evaluation (operators take part only through an assessment team; none of the matrix operators
# is on a team: the team rules have their own tests in tests/evaluation)
# ---------------------------------------------------------------------------------------------

EVALUATION_READ = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
EVALUATION_ADMIN = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
# Levels and evidence are set by asesor (instansi role); the admin manages, does not score.
# B has an asesor too, but not among the matrix users: admin_b is refused in B.
EVALUATION_SCORER = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      ok    hid
        pimpinan    no    hid
        admin_a     no    hid
        admin_b     hid   no
        superuser   ok    ok
""")
NOBODY_BUT_SUPERUSER = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     no    hid
        admin_b     hid   no
        superuser   ok    ok
""")
# An assessment is created by the admin or the asesor internal of the instansi it names (the asesor then
# leads its team); operators, verifikator and pimpinan may name their instansi (it is visible to them) and
# are forbidden; the asesor of A does not see B.
ASSESSMENT_CREATE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      ok    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
# A team member or a level names an assessment: one the user cannot see is "does not exist".
EVALUATION_PART_CREATE = EVALUATION_ADMIN
EVALUATION_SCORER_CREATE = EVALUATION_SCORER

ASSESSMENT = {
    "view": EVALUATION_READ, "add": ASSESSMENT_CREATE, "change": EVALUATION_ADMIN, "delete": EVALUATION_ADMIN,
    "lock_stage": EVALUATION_ADMIN, "advance_stage": EVALUATION_ADMIN,
    "planner": EVALUATION_READ, "export_xlsx": EVALUATION_READ, "berita_acara": EVALUATION_READ,
    "attach_export": EVALUATION_SCORER,  # an export attached as evidence (sia.index_evidence): who adds evidence
    # An evidence item's status (EvidenceItemReviewPolicy: asesor and admin instansi); the matrix's empty body
    # names no item, so those who pass the check get 400.
    "review_item": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      bad   hid
        pimpinan    no    hid
        admin_a     bad   hid
        admin_b     hid   bad
        superuser   bad   bad
    """),
    # Carrying SPBE evidence over (sia.evaluation.views_carryover): proposals read by every reader; carrying by
    # those who add evidence; the matrix's empty body names no evidence, so those who pass the check get 400.
    "carry_over_proposals": EVALUATION_READ,
    "carry_over": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      bad   hid
        pimpinan    no    hid
        admin_a     no    hid
        admin_b     hid   no
        superuser   bad   bad
    """),
}
ASSESSMENT_PART = {"view": EVALUATION_READ, "add": EVALUATION_PART_CREATE, "change": EVALUATION_ADMIN,
                   "delete": EVALUATION_ADMIN}
INDICATOR_SCORE = {"view": EVALUATION_READ, "add": EVALUATION_SCORER_CREATE, "change": EVALUATION_SCORER,
                   "delete": NOBODY_BUT_SUPERUSER}
EVIDENCE = {"view": EVALUATION_READ, "add": EVALUATION_SCORER_CREATE, "change": EVALUATION_SCORER,
            "delete": EVALUATION_SCORER, "download": EVALUATION_READ}
# An evidence item's status per stage: read through the API by those who read the assessment (set through the
# assessment's ``review_item`` action, above).
EVIDENCE_ITEM_REVIEW = {"view": EVALUATION_READ}
FRAMEWORK = {"view": EVERY_SIGNED_IN}

# ---------------------------------------------------------------------------------------------
# Exchange: the uploader (operator of A1 in A, admin of B in B) and the instansi's admins read an
# upload; only the uploader commits it.
# ---------------------------------------------------------------------------------------------

IMPORT_RECORD = {
    "view": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    # Uploading needs a writer's role in the instansi (admin or operator); the file decides the rest.
    "add": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 ok    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "commit": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     no    hid
        admin_b     hid   ok
        superuser   no    no
    """),
}

# Dokumen Arsitektur SPBE (sia.publishing): the world's document of A is operator_a1's of their OPD A1, B's
# the admin_b's of the whole instansi. A document holds what its requester saw: read (and downloaded) by the requester
# and the instansi's admins. Any member asks for one of what they see; an operator only of their own OPD, so a
# document of the whole instansi (what the matrix asks for) is refused to operators.
GENERATED_DOCUMENT_READ = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
GENERATED_DOCUMENT = {
    "view": GENERATED_DOCUMENT_READ,
    "download": GENERATED_DOCUMENT_READ,
    "add": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
}

# Instansi archives (sia.exchange.snapshot_jobs): the world's export of A is admin_a's, of B admin_b's (each done),
# with a failed one ("gagal") each. The whole instansi is in it: read, downloaded and retried by the instansi's admins
# (every admin of it, not only the requester) and superusers; another instansi's admin and every other role find
# nothing. An export is asked for (POST, 202) by the admins; an operator sees the instansi but may not (403).
# Restoring an uploaded archive: superusers only (the matrix sends no file: 400 after the check).
SNAPSHOT_JOB_READ = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
SNAPSHOT_JOB = {
    "view": SNAPSHOT_JOB_READ,
    "download": SNAPSHOT_JOB_READ,
    "retry": {"gagal": SNAPSHOT_JOB_READ},
    "add": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "restore": grid("""
                    *
        anonymous   anon
        operator_a1 no
        operator_a2 no
        verifikator no
        asesor      no
        pimpinan    no
        admin_a     no
        admin_b     no
        superuser   bad
    """),
}

# API tokens (of a member who is not a matrix user): the owner and the admins of the owner's instansi
# see and revoke them (revoking another's token is the only action on it).
API_TOKEN = {"delete": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")}

# ---------------------------------------------------------------------------------------------
# Portfolio decisions about one application (sia.portfolio.policies): read with the application (the
# world's are about draft applications: an operator reads their own OPD's); scores written by admins and
# asesor, clearances by the verifikator and admins. A create names an application the user cannot see:
# "does not exist" (400).
# ---------------------------------------------------------------------------------------------

APPLICATION_ASSESSMENT_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator no    no    hid
        asesor      ok    ok    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
CLEARANCE_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
APPLICATION_ASSESSMENT = {"view": OPD_READ, "add": APPLICATION_ASSESSMENT_WRITE,
                          "change": APPLICATION_ASSESSMENT_WRITE, "delete": APPLICATION_ASSESSMENT_WRITE}
CLEARANCE = {"view": OPD_READ, "add": CLEARANCE_WRITE, "change": CLEARANCE_WRITE, "delete": CLEARANCE_WRITE}

# “Not a duplicate” marks of an instansi: read by its members who see both applications (the world's A pair is
# of two validated applications: operators read it), written by the verifikator and admins. A create names
# applications the user cannot see (A's operators: the other OPD's submitted one; everyone of A in B): 400.
DUPLICATE_DISMISSAL_WRITE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator ok    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
DUPLICATE_DISMISSAL = {
    "view": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 ok    hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "add": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator ok    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """),
    "change": DUPLICATE_DISMISSAL_WRITE,
    "delete": DUPLICATE_DISMISSAL_WRITE,
}

# ---------------------------------------------------------------------------------------------
# The Peta Rencana SPBE (sia.roadmap.policies): every member of the instansi reads all of it; the koordinator
# (admin) writes sasaran, inisiatif and programs; kegiatan (and their years and gaps) are written by the
# koordinator and by the operator of the OPD that leads them. A create naming a parent of another instansi:
# "does not exist" (400).
# ---------------------------------------------------------------------------------------------

ROADMAP_READ_INSTANSI = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 ok    hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
ROADMAP_PLAN_WRITE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
ROADMAP_PLAN = {"view": ROADMAP_READ_INSTANSI, "add": ROADMAP_PLAN_WRITE, "change": ROADMAP_PLAN_WRITE,
                "delete": ROADMAP_PLAN_WRITE}
ROADMAP_ACTIVITY_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    no    hid
        operator_a2 no    ok    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ROADMAP_ACTIVITY = {
    "view": grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    ok    hid
        operator_a2 ok    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
    """),
    "add": ROADMAP_ACTIVITY_WRITE, "change": ROADMAP_ACTIVITY_WRITE, "delete": ROADMAP_ACTIVITY_WRITE,
}
# The review of a kegiatan (sia.architecture.workflow, sia.roadmap.review): the variant is its review status (DEFAULT:
# the draft). Ajukan: the OPD's operator and the koordinator; verifikasi/kembalikan: the verifikator and the
# koordinator; validasi: the koordinator. The conversation is read as the history (every member); comments by the
# OPD's operator, verifikator, asesor and koordinator (workflow.COMMENTERS), not pimpinan.
ROADMAP_ACTIVITY_REVIEW = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ROADMAP_ACTIVITY_COMMENT = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    no    hid
        operator_a2 no    ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ROADMAP_ACTIVITY.update({
    "submit": {DEFAULT: ROADMAP_ACTIVITY_WRITE},
    "verify": {SUBMITTED: ROADMAP_ACTIVITY_REVIEW},
    "return_": {SUBMITTED: ROADMAP_ACTIVITY_REVIEW},
    "validate": {VERIFIED: ROADMAP_ACTIVITY_REVIEW | {"verifikator": ROADMAP_ACTIVITY_REVIEW["asesor"]}},
    "comments": ROADMAP_ACTIVITY["view"],
    "comments:post": ROADMAP_ACTIVITY_COMMENT,
})

# Who may upload a roadmap workbook in an instansi (``sia.roadmap.workbook_import.may_upload``): its koordinator and
# its OPD operators; which rows each may write is decided per row by the policies above.
ROADMAP_WORKBOOK_UPLOAD = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 bad   hid
        operator_a2 bad   hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     bad   hid
        admin_b     hid   bad
        superuser   bad   bad
""")

# Targets and progress (sia.progress): every member of the instansi reads the targets and snapshots of every OPD,
# an operator those of their own OPD only (and the targets for all OPDs); only the koordinator writes targets;
# snapshots are written by the command, never through the API.
PROGRESS_READ = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
PROGRESS_TARGET_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
PROGRESS_TARGET = {"view": PROGRESS_READ, "add": PROGRESS_TARGET_WRITE, "change": PROGRESS_TARGET_WRITE,
                   "delete": PROGRESS_TARGET_WRITE}
PROGRESS_SNAPSHOT = {"view": PROGRESS_READ}

# ---------------------------------------------------------------------------------------------
# The governance register (sia.governance.policies): the koordinator (admin) writes; verifikator, asesor and pimpinan
# read every document of the instansi; an OPD operator reads the documents in force only (DEFAULT: an SK in force;
# "draf": a draft SK), and a team member with its decree. A create naming another instansi: 400 (hid).
# ---------------------------------------------------------------------------------------------

GOVERNANCE_DRAFT_READ = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
GOVERNANCE_DRAFT_WRITE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")
GOVERNANCE_READ = {DEFAULT: ROADMAP_READ_INSTANSI, "draf": GOVERNANCE_DRAFT_READ}
GOVERNANCE_WRITE = {DEFAULT: ROADMAP_PLAN_WRITE, "draf": GOVERNANCE_DRAFT_WRITE}
POLICY_DOCUMENT = {"view": GOVERNANCE_READ, "add": ROADMAP_PLAN_WRITE, "change": GOVERNANCE_WRITE,
                   "delete": GOVERNANCE_WRITE, "download": GOVERNANCE_READ}
TEAM_MEMBER = {"view": GOVERNANCE_READ, "add": ROADMAP_PLAN_WRITE, "change": GOVERNANCE_WRITE,
               "delete": GOVERNANCE_WRITE}

# ---------------------------------------------------------------------------------------------
# Kegiatan pendampingan (sia.workshops): the location is the OPD the kegiatan invites
# ---------------------------------------------------------------------------------------------

# A kegiatan is read by the members of its instansi, an operator only when their OPD is invited.
WORKSHOP_READ = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator ok    ok    hid
        asesor      ok    ok    hid
        pimpinan    ok    ok    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# The koordinator creates, changes and deletes them.
WORKSHOP_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# The create: an operator sees the OPDs of their instansi (403); a target in another instansi is invisible.
WORKSHOP_ADD = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    no    hid
        operator_a2 no    no    hid
        verifikator no    no    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
# Self check-in with the code (API): invited operators and the kegiatan's mentors (the verifikator of A, a
# mentor of A's kegiatan) pass the permission check, and the matrix's empty body is refused (400, no code).
WORKSHOP_CHECK_IN = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 bad   hid   hid
        operator_a2 hid   bad   hid
        verifikator bad   bad   hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     no    no    hid
        admin_b     hid   hid   no
        superuser   bad   bad   bad
""")
# The check-in page (GET) for the same users.
WORKSHOP_CHECK_IN_PAGE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 ok    hid   hid
        operator_a2 hid   ok    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     no    no    hid
        admin_b     hid   hid   no
        superuser   ok    ok    ok
""")
# The daftar hadir: those who record attendance (koordinator, verifikator).
WORKSHOP_SHEET = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
WORKSHOP = {"view": WORKSHOP_READ, "add": WORKSHOP_ADD, "change": WORKSHOP_WRITE, "delete": WORKSHOP_WRITE,
            "check_in": WORKSHOP_CHECK_IN, "check_in:page": WORKSHOP_CHECK_IN_PAGE, "sheet": WORKSHOP_SHEET}

# Attendance (of the OPD's operator at the kegiatan inviting it): read like the kegiatan, an operator only their
# OPD's rows; recorded by the koordinator and the verifikator.
ATTENDANCE_WRITE = grid("""
                    A1    A2    B1
        anonymous   anon  anon  anon
        operator_a1 no    hid   hid
        operator_a2 hid   no    hid
        verifikator ok    ok    hid
        asesor      no    no    hid
        pimpinan    no    no    hid
        admin_a     ok    ok    hid
        admin_b     hid   hid   ok
        superuser   ok    ok    ok
""")
ATTENDANCE = {"view": WORKSHOP_READ, "add": ATTENDANCE_WRITE, "change": ATTENDANCE_WRITE, "delete": ATTENDANCE_WRITE}

# ---------------------------------------------------------------------------------------------
# Notifications (sia.notifications.policies): a user's own, never anyone else's, superusers included. The world's
# notification at A is operator_a1's (about an object of A1), at B a member's of B who is no matrix user; marking
# all read touches the caller's own only, so every signed-in user may. Preferences: the world's belong to members
# who are no matrix users (nobody else sees them); everyone creates their own.
# ---------------------------------------------------------------------------------------------

NOTIFICATION_OWN = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     hid   hid
        admin_b     hid   hid
        superuser   hid   hid
""")

EVERY_SIGNED_IN_OWN = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    ok
        operator_a2 ok    ok
        verifikator ok    ok
        asesor      ok    ok
        pimpinan    ok    ok
        admin_a     ok    ok
        admin_b     ok    ok
        superuser   ok    ok
""")

NOBODY_ELSE = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 hid   hid
        operator_a2 hid   hid
        verifikator hid   hid
        asesor      hid   hid
        pimpinan    hid   hid
        admin_a     hid   hid
        admin_b     hid   hid
        superuser   hid   hid
""")

NOTIFICATION = {"view": NOTIFICATION_OWN, "mark_read": NOTIFICATION_OWN, "mark_all_read": EVERY_SIGNED_IN_OWN}
NOTIFICATION_PREFERENCE = {"view": NOBODY_ELSE, "add": EVERY_SIGNED_IN_OWN, "change": NOBODY_ELSE,
                           "delete": NOBODY_ELSE}

# The table of the matrix: Policy class -> action -> grid (or {variant: grid}).
POLICY_EXPECTATIONS = {
    InstitutionPolicy: INSTITUTION,
    DepartmentPolicy: DEPARTMENT,
    DepartmentPartPolicy: DEPARTMENT_PART,
    MembershipPolicy: MEMBERSHIP,
    MentorAssignmentPolicy: MENTOR_ASSIGNMENT,
    NationalCatalogPolicy: NATIONAL_CATALOG,
    ReferenceNodePolicy: REFERENCE_NODE,
    ArchitecturePolicy: ARCHITECTURE,
    IntegrationPolicy: INTEGRATION,
    ValueListPolicy: VALUE_LIST,
    AssessmentPolicy: ASSESSMENT,
    AssessmentPartPolicy: ASSESSMENT_PART,
    IndicatorScorePolicy: INDICATOR_SCORE,
    EvidencePolicy: EVIDENCE,
    EvidenceItemReviewPolicy: EVIDENCE_ITEM_REVIEW,
    FrameworkPolicy: FRAMEWORK,
    ImportRecordPolicy: IMPORT_RECORD,
    GeneratedDocumentPolicy: GENERATED_DOCUMENT,
    SnapshotJobPolicy: SNAPSHOT_JOB,
    ApiTokenPolicy: API_TOKEN,
    ApplicationAssessmentPolicy: APPLICATION_ASSESSMENT,
    ClearancePolicy: CLEARANCE,
    DuplicateDismissalPolicy: DUPLICATE_DISMISSAL,
    StrategicTargetPolicy: ROADMAP_PLAN,
    InitiativePolicy: ROADMAP_PLAN,
    ProgramPolicy: ROADMAP_PLAN,
    ActivityPolicy: ROADMAP_ACTIVITY,
    ActivityPartPolicy: ROADMAP_ACTIVITY,
    TargetPolicy: PROGRESS_TARGET,
    ProgressSnapshotPolicy: PROGRESS_SNAPSHOT,
    PolicyDocumentPolicy: POLICY_DOCUMENT,
    TeamMemberPolicy: TEAM_MEMBER,
    WorkshopPolicy: WORKSHOP,
    AttendancePolicy: ATTENDANCE,
    NotificationPolicy: NOTIFICATION,
    NotificationPreferencePolicy: NOTIFICATION_PREFERENCE,
}

# ---------------------------------------------------------------------------------------------
# Endpoints that are not one model's viewset, by URL name. Columns: "*" (no object) or the instansi
# the path names (A, B); an ``ObjectQuery`` (an object named in the query string) takes its model's policy
# grids, an ``InstansiQuery`` the instansi its parameter names (A, B).
# ---------------------------------------------------------------------------------------------

EVERY_SIGNED_IN_ANYWHERE = grid("""
                    *
        anonymous   anon
        operator_a1 ok
        operator_a2 ok
        verifikator ok
        asesor      ok
        pimpinan    ok
        admin_a     ok
        admin_b     ok
        superuser   ok
""")


@dataclass(frozen=True)
class ObjectQuery:
    """The declaration of a plain API view about one architecture object that the query string names
    (``?kind=<slug>&id=<pk>``, the insights endpoints): the matrix asks it about the world's objects of each of
    ``models`` at every location and variant (review status), and expects what the model's policy table says of
    ``action`` (its own ``POLICY_EXPECTATIONS`` grids: an object the user may not see is ``hid``, a 404).
    ``to_model``: the endpoint names a second object (``?to_kind=&to_id=``), the validated object of that model
    at the same location, which everyone who sees the first object sees too."""

    models: tuple
    action: str = "view"
    to_model: type | None = None


@dataclass(frozen=True)
class InstansiQuery:
    """The declaration of a plain API view about one instansi that the query parameter ``param`` names: the
    columns of ``table`` are the instansi A and B; one the user does not read is ``hid`` (404)."""

    table: dict
    param: str = "instansi"


# The instansi whose architecture a user reads: where they read validated objects (ARCH_READ_VALIDATED).
ARCHITECTURE_OF_INSTANSI = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 ok    hid
        operator_a2 ok    hid
        verifikator ok    hid
        asesor      ok    hid
        pimpinan    ok    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
""")

# Importing an ArchiMate exchange file (``sia.exchange.archimate.importer.may_import``): the koordinator (the instansi's
# admins) and superusers; operators and every other role are refused. The matrix sends no file: 400 once the
# permission check passed.
ARCHIMATE_IMPORT = grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     bad   hid
        admin_b     hid   bad
        superuser   bad   bad
""")

ENDPOINT_EXPECTATIONS = {
    # The graph of the architecture (sia.insights): an object is read as its model's page is (a draft of another
    # OPD is as absent as a nonexistent one); two kinds of different groups stand for every kind, the others share
    # their views. Gaps and single points of failure: the instansi whose architecture the user reads.
    "insights-api:neighbours": {"get": ObjectQuery((Server, Application))},
    "insights-api:impact-sets": {"get": ObjectQuery((Server, Application))},
    "insights-api:traces": {"get": ObjectQuery((Application,))},
    "insights-api:paths": {"get": ObjectQuery((Application,), to_model=Server)},
    "insights-api:gaps": {"get": InstansiQuery(ARCHITECTURE_OF_INSTANSI)},
    "insights-api:single-points-of-failure": {"get": InstansiQuery(ARCHITECTURE_OF_INSTANSI)},
    # The gap catalog (sia.architecture.gap_catalog): the instansi whose architecture the user reads.
    "architecture-api:gaps": {"get": InstansiQuery(ARCHITECTURE_OF_INSTANSI)},
    # The figures of a roadmap: every member of the instansi (warnings list the gaps each may see).
    "roadmap-api:figures": {"get": InstansiQuery(ROADMAP_READ_INSTANSI)},
    # The roadmap workbook: every member downloads it; the koordinator and the OPD operators upload (operators only
    # their kegiatan, decided row by row); the matrix sends no file: 400 once the permission check passed.
    "roadmap-api:workbook": {"get": InstansiQuery(ROADMAP_READ_INSTANSI),
                             "post": InstansiQuery(ROADMAP_WORKBOOK_UPLOAD)},
    # Completeness figures, Excel templates and exports: everyone signed in, scoped inside.
    "architecture-api:completeness": {"get": EVERY_SIGNED_IN_ANYWHERE},
    "exchange-api:template": {"get": EVERY_SIGNED_IN_ANYWHERE},
    "exchange-api:export": {"get": EVERY_SIGNED_IN_ANYWHERE},
    # The ArchiMate exchange file: every member of the instansi downloads what they see; the koordinator imports.
    "exchange-api:archimate": {"get": InstansiQuery(ARCHITECTURE_OF_INSTANSI), "post": InstansiQuery(ARCHIMATE_IMPORT)},
    # Duplicate candidates (computed): everyone signed in, only pairs of applications they see both of.
    "portfolio-api:duplicate-candidates": {"get": EVERY_SIGNED_IN_ANYWHERE},
    # The instansi archive: its admins and superusers.
    "exchange-api:snapshot": {"get": grid("""
                    A     B
        anonymous   anon  anon
        operator_a1 no    hid
        operator_a2 no    hid
        verifikator no    hid
        asesor      no    hid
        pimpinan    no    hid
        admin_a     ok    hid
        admin_b     hid   ok
        superuser   ok    ok
    """)},
    # Exchanging a username and password for a token is open to all; the matrix sends none: 400.
    "api-token": {"post": grid("""
                    *
        anonymous   bad
        operator_a1 bad
        operator_a2 bad
        verifikator bad
        asesor      bad
        pimpinan    bad
        admin_a     bad
        admin_b     bad
        superuser   bad
    """)},
    # Restoring an archive: superusers (the matrix sends no archive: 400 after the check).
    "exchange-api:restore": {"post": NATIONAL_CATALOG["import_version"]},
}
