from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The seven areas of the Peta Rencana SPBE named by the regulation."""

    GOVERNANCE = "tata-kelola", _("Tata Kelola")
    MANAGEMENT = "manajemen", _("Manajemen")
    SERVICES = "layanan", _("Layanan")
    APPLICATIONS = "aplikasi", _("Aplikasi")
    INFRASTRUCTURE = "infrastruktur", _("Infrastruktur")
    SECURITY = "keamanan", _("Keamanan")
    ICT_AUDIT = "audit-tik", _("Audit TIK")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "belum", _("Belum dimulai")
    RUNNING = "sedang", _("Sedang berjalan")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", _("Batal")


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN_DAK = "apbn-dak", _("APBN/DAK")
    OTHER = "lainnya", _("Lainnya")
