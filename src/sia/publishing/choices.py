from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    QUEUED = "antre", _("Dalam antrean")
    RUNNING = "berjalan", _("Sedang dibuat")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class DocumentContent(models.TextChoices):
    VALIDATED = "divalidasi", _("Hanya objek yang divalidasi")
    ALL = "semua", _("Semua objek, dengan status reviewnya")


class DocumentLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("Bahasa Inggris")


FINISHED = frozenset({DocumentStatus.DONE, DocumentStatus.FAILED})
