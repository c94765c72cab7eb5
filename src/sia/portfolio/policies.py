"""Who may do what in the application portfolio."""

from __future__ import annotations

from django.db.models import Q

from sia.architecture.choices import ReviewStatus
from sia.core.permissions import ADD, CHANGE, DELETE, HISTORY, VIEW, Grant, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import ApplicationAssessment, Clearance, DuplicateDismissal

MARKERS = frozenset({Role.ADMIN, Role.VERIFIER})  # who may mark a pair “not a duplicate”


def decision_actions(writers: frozenset) -> dict:
    """Everyone reads (and reads the history of) a decision; ``writers`` record, change and remove it."""
    return {VIEW: ALL_ROLES, ADD: writers, CHANGE: writers, DELETE: writers, HISTORY: ALL_ROLES}


class ApplicationDecisionPolicy(Policy):
    """A decision about one application is read by whoever reads the application (an operator: their OPD's,
    and the validated ones of the instansi); subclasses name who writes it (``decision_actions``)."""

    institution_path = "application__institution"
    department_path = "application__department"
    actions = decision_actions(frozenset({Role.ADMIN}))

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        q = super().grant_q(grant, action)
        if action == VIEW and grant.role == Role.OPERATOR:
            q |= Q(application__institution_id=grant.institution_id, application__status=ReviewStatus.VALIDATED)
        return q

    def allows(self, user, action, obj):
        if super().allows(user, action, obj):
            return True
        if action == VIEW and getattr(user, "is_active", False) and obj.application.status == ReviewStatus.VALIDATED:
            return any(g.institution_id == obj.application.institution_id for g in grants(user))
        return False


@register(ApplicationAssessment)
class ApplicationAssessmentPolicy(ApplicationDecisionPolicy):
    """Scores are given by the instansi's admins (Tim Koordinasi SPBE) and asesor internal. The verifikator
    checks that the architecture is recorded correctly, not how fit an application is: it reads them."""

    actions = decision_actions(frozenset({Role.ADMIN, Role.ASSESSOR}))


@register(Clearance)
class ClearancePolicy(ApplicationDecisionPolicy):
    """Clearances are recorded by the verifikator and the admins; the proposing operator reads them."""

    actions = decision_actions(frozenset({Role.ADMIN, Role.VERIFIER}))


@register(DuplicateDismissal)
class DuplicateDismissalPolicy(Policy):
    """“Not a duplicate” marks: recorded and undone by the verifikator and the admins of the instansi; read by
    every member who may see both applications of the pair, or the application of a national flag (an operator:
    the pairs of their OPD's applications and the validated ones of the instansi)."""

    actions = {VIEW: ALL_ROLES, ADD: MARKERS, CHANGE: MARKERS, DELETE: MARKERS, HISTORY: ALL_ROLES}

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        q = Q(institution_id=grant.institution_id)
        if grant.role == Role.OPERATOR:
            def seen(side):
                return (Q(**{f"{side}__department_id": grant.department_id})
                        | Q(**{f"{side}__status": ReviewStatus.VALIDATED}))

            q &= seen("first") & (seen("second") | Q(second__isnull=True))  # a national flag has no second
        return q

    def allows(self, user, action, obj):
        if not super().allows(user, action, obj):
            return False
        if getattr(user, "is_superuser", False) or action != VIEW:
            return True
        from sia.core.permissions import can

        return can(user, VIEW, obj.first) and (obj.second_id is None or can(user, VIEW, obj.second))
