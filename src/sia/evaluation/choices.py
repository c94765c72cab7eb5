from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The stages of a yearly evaluation, in order (PermenPANRB 59/2020 Bab III)."""

    SELF = "mandiri", _("Penilaian mandiri")
    DOCUMENT = "dokumen", _("Penilaian dokumen")
    INTERVIEW = "interviu", _("Penilaian interviu")
    VISIT = "visitasi", _("Penilaian visitasi")
    FINAL = "final", _("Hasil akhir")


STAGE_ORDER = [Stage.SELF, Stage.DOCUMENT, Stage.INTERVIEW, Stage.VISIT, Stage.FINAL]


class TeamRole(models.TextChoices):
    """What a person does in the internal assessment team of one evaluation."""

    LEAD = "penanggung_jawab", _("Penanggung jawab")
    ASSESSOR = "asesor", _("Asesor")
    DATA_ENTRY = "operator", _("Operator entri data")
