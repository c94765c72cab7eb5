"""Who may do what in the SPBE evaluation.

Rights come from two places: the user's role in the instansi (``sia.core.roles.Role``) and their role in
the assessment team of one evaluation (``TeamRole``). The instansi table:

- admin instansi: manages assessments and their teams, locks stages; reads everything;
- asesor internal: creates an assessment of their instansi (and becomes the penanggung jawab of its team,
  ``services.create_assessment``); sets levels and evidence while the stage is open;
- pimpinan, verifikator: read;
- operator OPD: nothing, unless on the team.

On the team: penanggung jawab sets levels and evidence and locks the stage; asesor sets levels and
evidence; operator entri data adds evidence. Every team member reads the assessment. A locked stage is
read-only for everyone: that rule lives in the models (``check_stage_open``), not in this table.
Framework versions are reference data every signed-in user reads; only superusers change them.
"""

from __future__ import annotations

from itertools import count

from django.apps import apps
from django.db.models import Q

from sia.core import compiled
from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register
from sia.core.roles import Role

from .choices import TeamRole
from .models import (
    Assessment,
    AssessmentTeamMember,
    CapabilityLevel,
    Evidence,
    EvidenceItem,
    EvidenceItemReview,
    FrameworkGroup,
    FrameworkVersion,
    Indicator,
    IndicatorScore,
    PredicateBand,
    StageLock,
)

LOCK = "lock"
CREATORS = MANAGE | {Role.ASSESSOR}  # the asesor creates the year's assessment (and leads its team)
READERS = frozenset({Role.ADMIN, Role.ASSESSOR, Role.LEADER, Role.VERIFIER})
SCORERS = frozenset({Role.ASSESSOR})
ALL_TEAM = frozenset(TeamRole)
TEAM_SCORERS = frozenset({TeamRole.LEAD, TeamRole.ASSESSOR})
TEAM_EVIDENCE = frozenset({TeamRole.LEAD, TeamRole.ASSESSOR, TeamRole.DATA_ENTRY})

_generation = count(1)
_current = [next(_generation)]
TEAM_STAND_IN = -7101  # a user ID no row has: the team query is compiled with it (``compiled.rows_for``)


def forget_teams() -> None:
    """Called when a team changes: cached team roles of every user object become stale."""
    _current[0] = next(_generation)


def team_roles(user) -> dict[int, str]:
    """{assessment id: team role} for the user, limited to instansi where they are an active member."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_sia_evaluation_teams", None)
    if cached is not None and cached[0] == _current[0]:
        return cached[1]
    institution_ids = tuple(sorted({g.institution_id for g in grants(user)}))
    rows = {}
    if institution_ids:
        Member = apps.get_model("evaluation", "AssessmentTeamMember")

        def build(user_id):
            return Member.objects.filter(user_id=user_id, assessment__institution_id__in=institution_ids).values(
                "assessment_id", "role")

        # Every page asks (the menu shows the evaluation to a team member): the SQL is compiled once per set of
        # instansi and run with the user's ID in place of the stand-in.
        found = compiled.rows_for(("evaluation-team-roles", institution_ids), build, user.pk, TEAM_STAND_IN)
        rows = {row["assessment_id"]: row["role"] for row in found}
    user._sia_evaluation_teams = (_current[0], rows)
    return rows


def is_on_any_team(user) -> bool:
    return bool(team_roles(user))


class TeamPolicy(Policy):
    """A policy whose rights also come from the assessment team (``team_actions``)."""

    assessment_path = "assessment"  # lookup path to the Assessment's id
    institution_path = "assessment__institution"
    department_bound_roles = frozenset()  # nothing in the evaluation belongs to one OPD
    team_actions: dict[str, frozenset] = {VIEW: ALL_TEAM}

    def team_subquery(self, user, action):
        """Assessment ids where the user's team role grants ``action``, as a subquery (no extra query)."""
        roles = self.team_actions.get(action, frozenset())
        institution_ids = {g.institution_id for g in grants(user)}
        if not roles or not institution_ids:
            return None
        Member = apps.get_model("evaluation", "AssessmentTeamMember")
        return Member.objects.filter(
            user=user, role__in=roles, assessment__institution_id__in=institution_ids
        ).values("assessment_id")

    def scope(self, user, queryset, action=VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        roles = self.roles_for(action)
        q = Q(pk__in=[])
        for grant in grants(user):
            if grant.role in roles:
                q |= Q(**{self.institution_path: grant.institution_id})
        team = self.team_subquery(user, action)
        if team is not None:
            q |= Q(**{f"{self.assessment_path}__in": team})
        return queryset.filter(q)

    def allows(self, user, action, obj) -> bool:
        if super().allows(user, action, obj):
            return True
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        assessment_id = obj.pk if self.assessment_path == "pk" else getattr(obj, f"{self.assessment_path}_id", None)
        role = team_roles(user).get(assessment_id) if assessment_id is not None else None
        return role is not None and role in self.team_actions.get(action, frozenset())


@register(Assessment)
class AssessmentPolicy(TeamPolicy):
    assessment_path = "pk"
    institution_path = "institution"
    actions = {VIEW: READERS, ADD: CREATORS, CHANGE: MANAGE, DELETE: MANAGE, LOCK: MANAGE}
    team_actions = {VIEW: ALL_TEAM, LOCK: frozenset({TeamRole.LEAD})}


@register(AssessmentTeamMember, StageLock)
class AssessmentPartPolicy(TeamPolicy):
    actions = {VIEW: READERS, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}


@register(IndicatorScore)
class IndicatorScorePolicy(TeamPolicy):
    actions = {VIEW: READERS, ADD: SCORERS, CHANGE: SCORERS, DELETE: frozenset()}
    team_actions = {VIEW: ALL_TEAM, ADD: TEAM_SCORERS, CHANGE: TEAM_SCORERS}


@register(Evidence)
class EvidencePolicy(TeamPolicy):
    actions = {VIEW: READERS, ADD: SCORERS, CHANGE: SCORERS, DELETE: SCORERS}
    team_actions = {VIEW: ALL_TEAM, ADD: TEAM_EVIDENCE, CHANGE: TEAM_EVIDENCE, DELETE: TEAM_EVIDENCE}


# Reviewing an evidence item (accepted / to revise, with a note) at a stage: those who verify the stage's
# results, i.e. who set its levels (asesor internal; team penanggung jawab and asesor) and the admin instansi,
# who locks it. A data-entry operator attaches files but does not judge them.
ITEM_REVIEWERS = SCORERS | MANAGE
TEAM_ITEM_REVIEWERS = TEAM_SCORERS


@register(EvidenceItemReview)
class EvidenceItemReviewPolicy(TeamPolicy):
    actions = {VIEW: READERS, ADD: ITEM_REVIEWERS, CHANGE: ITEM_REVIEWERS, DELETE: frozenset()}
    team_actions = {VIEW: ALL_TEAM, ADD: TEAM_ITEM_REVIEWERS, CHANGE: TEAM_ITEM_REVIEWERS}


@register(FrameworkVersion, FrameworkGroup, Indicator, EvidenceItem, PredicateBand, CapabilityLevel)
class FrameworkPolicy(Policy):
    """Reference data: every signed-in user reads it; only superusers change it (``sia load_framework``)."""

    actions = {VIEW: frozenset(), ADD: frozenset(), CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        if action == VIEW and getattr(user, "is_authenticated", False) and user.is_active:
            return queryset
        return queryset.none()

    def allows(self, user, action, obj) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return user.is_superuser or action == VIEW

    def allows_in(self, user, action, institution_id, department_id=None) -> bool:
        return self.allows(user, action, None)


def can_see_evaluation(user) -> bool:
    """Menus and the dashboard: may the user open any evaluation page?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(g.role in READERS for g in grants(user)) or is_on_any_team(user)
