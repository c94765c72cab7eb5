from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """The kinds of internal policy the index asks for (the file ``data/indicator-defaults.yaml`` names, per kind,
    the indicators each evidences)."""

    REGULATION = "peraturan", _("Peraturan Gubernur/Bupati/Wali Kota")
    COORDINATION_TEAM = "sk_tim_koordinasi", _("Keputusan Kepala Daerah: Tim Koordinasi")
    ASSESSOR_TEAM = "sk_tim_asesor", _("Keputusan Kepala Daerah: Tim Evaluator/Asesor Internal")
    DECREE = "keputusan", _("Keputusan Kepala Daerah lainnya")
    SOP = "sop", _("Standar Operasional Prosedur (SOP)")
    OTHER = "lainnya", _("Lainnya")


TEAM_TYPES = (DocumentType.COORDINATION_TEAM, DocumentType.ASSESSOR_TEAM)


class DocumentStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    IN_FORCE = "berlaku", _("Berlaku")
    REVOKED = "dicabut", _("Dicabut")
    REPLACED = "diganti", _("Diganti")


class TeamRole(models.TextChoices):
    """A member's place in a team a decree forms (the order a decree lists them)."""

    STEERING = "pengarah", _("Pengarah")
    CHAIR = "ketua", _("Ketua")
    VICE_CHAIR = "wakil_ketua", _("Wakil ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    MEMBER = "anggota", _("Anggota")
