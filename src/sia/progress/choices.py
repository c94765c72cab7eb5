from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetState(models.TextChoices):
    """A target's state, computed from the data (``sia.progress.rules``), never ticked by hand."""

    MET = "tercapai", _("Tercapai")
    ON_TRACK = "sesuai-jadwal", _("Sesuai jadwal")
    LATE = "terlambat", _("Terlambat")
    MISSED = "terlewat", _("Tenggat terlewat")
    NO_DATA = "tanpa-data", _("Belum ada data")


class ReviewLevel(models.TextChoices):
    """How far an object must have gone through the review for the "submitted by a date" rule."""

    SUBMITTED = "diajukan", _("Diajukan (atau lebih lanjut)")
    VERIFIED = "diverifikasi", _("Diverifikasi (atau divalidasi)")
    VALIDATED = "divalidasi", _("Divalidasi")
