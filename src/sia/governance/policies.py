"""Who may do what in the governance register: the koordinator (admin instansi) writes; asesor, pimpinan and
verifikator read every document; an OPD operator reads the documents in force only (and their team members)."""

from __future__ import annotations

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Grant, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import PolicyDocument, TeamMember, in_force_q


@register(PolicyDocument)
class PolicyDocumentPolicy(Policy):
    """Operators read what is in force; the other roles read everything of their instansi; the koordinator writes."""

    institution_path = "institution"
    document_path = ""
    actions = {VIEW: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}  # history: as the document is read

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        q = Q(**{self.institution_path: grant.institution_id})
        if grant.role == Role.OPERATOR:
            q &= in_force_q(prefix=self.document_path)
        return q

    def document_of(self, obj):
        return obj

    def allows(self, user, action, obj) -> bool:
        if not super().allows(user, action, obj):
            return False
        if user.is_superuser:
            return True
        document = self.document_of(obj)
        if document is None or document.pk is None or document.is_in_force():
            return True
        roles = self.roles_for(action) - {Role.OPERATOR}
        return any(g.role in roles and g.institution_id == document.institution_id for g in grants(user))


@register(TeamMember)
class TeamMemberPolicy(PolicyDocumentPolicy):
    """A team member is read and written with its decree."""

    institution_path = "document__institution"
    document_path = "document__"

    def document_of(self, obj):
        return obj.document if obj.document_id else None
