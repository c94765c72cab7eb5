from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogCode(models.TextChoices):
    """The six reference architectures of Perpres 132/2022, by their code prefix."""

    RAB = "RAB", _("Referensi Arsitektur Proses Bisnis")
    RAL = "RAL", _("Referensi Arsitektur Layanan")
    RAD = "RAD", _("Referensi Arsitektur Data dan Informasi")
    RAA = "RAA", _("Referensi Arsitektur Aplikasi")
    RAI = "RAI", _("Referensi Arsitektur Infrastruktur")
    RAK = "RAK", _("Referensi Arsitektur Keamanan")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")


class Completeness(models.TextChoices):
    COMPLETE = "complete", _("Lengkap")
    PARTIAL = "partial", _("Parsial")
    NO_PUBLIC_CODES = "none", _("Tanpa kode publik")
