"""The Berita Acara's team from the decree in force: the members of the instansi's SK of the Tim Evaluator / Tim
Asesor Internal in force on the Berita Acara's day (``sia.evaluation.facts.register_team_source``), listed under the
instrument's name of its internal team."""

from __future__ import annotations

from sia.evaluation.exports import date_id
from sia.evaluation.facts import DecreeMember, DecreeTeam, register_team_source

from .choices import DocumentType
from .models import PolicyDocument, TeamMember, in_force_q


def assessor_decree(institution_id, day):
    """The latest SK of the assessor team in force on ``day`` (by date of enactment), or None."""
    return (PolicyDocument.objects.filter(in_force_q(day), institution_id=institution_id,
                                          type=DocumentType.ASSESSOR_TEAM)
            .order_by("-date", "-pk").first())


@register_team_source
def assessor_team(assessment, day) -> DecreeTeam | None:
    document = assessor_decree(assessment.institution_id, day)
    if document is None:
        return None
    members = tuple(
        DecreeMember(name=m.name, nip=m.nip, position=m.position, role=str(m.get_role_display()))
        for m in TeamMember.objects.filter(document=document).order_by("order", "pk")
    )
    decree = f"Keputusan Nomor {document.number} tanggal {date_id(document.date)} tentang {document.title}"
    return DecreeTeam(decree=decree, members=members)
