"""The register in the instansi snapshot (``sia.exchange.snapshot``): documents with their file (the shared,
content-addressed evidence store, checked on restore like any evidence) and the team members."""

from sia.exchange.snapshot import register_section

from .models import PolicyDocument, TeamMember

register_section(PolicyDocument, lambda inst: PolicyDocument.objects.filter(institution=inst))
register_section(TeamMember, lambda inst: TeamMember.objects.filter(document__institution=inst))
