from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEW = "pratinjau", _("Pratinjau")
    COMMITTED = "disimpan", _("Disimpan")
    REJECTED = "ditolak", _("Ditolak")
    QUEUED = "antre", _("Menunggu diproses")
    RUNNING = "diproses", _("Sedang disimpan")
    FAILED = "gagal", _("Gagal disimpan")


class SnapshotKind(models.TextChoices):
    EXPORT = "ekspor", _("Ekspor arsip")
    RESTORE = "pulihkan", _("Pemulihan arsip")


class JobStatus(models.TextChoices):
    QUEUED = "antre", _("Dalam antrean")
    RUNNING = "berjalan", _("Sedang berjalan")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")
