from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEW = "pratinjau", _("Pratinjau")
    COMMITTED = "disimpan", _("Disimpan")
    REJECTED = "ditolak", _("Ditolak")
    QUEUED = "antre", _("Menunggu diproses")
    RUNNING = "diproses", _("Sedang disimpan")
    FAILED = "gagal", _("Gagal disimpan")
