"""The Berita Acara's teams from the decrees in force (``sia.evaluation.facts.register_team_source``): the members of
the instansi's SK of the Tim Evaluator / Tim Asesor Internal in force on the Berita Acara's day, listed under the
instrument's name of its internal team, and those of its SK of the Tim Koordinasi, listed under the instrument's name
of the coordination team as the team that acknowledges the Berita Acara."""

from __future__ import annotations

from sia.evaluation.exports import date_id
from sia.evaluation.facts import COORDINATION, DecreeMember, DecreeTeam, register_team_source

from .choices import DocumentType
from .models import PolicyDocument, TeamMember, in_force_q


def team_decree(institution_id, day, type_=DocumentType.ASSESSOR_TEAM):
    """The latest decree of ``type_`` (the assessor team by default) in force on ``day`` (by date of enactment), or
    None."""
    return (PolicyDocument.objects.filter(in_force_q(day), institution_id=institution_id, type=type_)
            .order_by("-date", "-pk").first())


def assessor_decree(institution_id, day):
    """The latest SK of the assessor team in force on ``day`` (by date of enactment), or None."""
    return team_decree(institution_id, day, DocumentType.ASSESSOR_TEAM)


def _team(document) -> DecreeTeam | None:
    if document is None:
        return None
    members = tuple(
        DecreeMember(name=m.name, nip=m.nip, position=m.position, role=str(m.get_role_display()))
        for m in TeamMember.objects.filter(document=document).order_by("order", "pk")
    )
    decree = f"Keputusan Nomor {document.number} tanggal {date_id(document.date)} tentang {document.title}"
    return DecreeTeam(decree=decree, members=members)


@register_team_source
def assessor_team(assessment, day) -> DecreeTeam | None:
    return _team(assessor_decree(assessment.institution_id, day))


@register_team_source(team=COORDINATION)
def coordination_team(assessment, day) -> DecreeTeam | None:
    return _team(team_decree(assessment.institution_id, day, DocumentType.COORDINATION_TEAM))
