from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchitectureState(models.TextChoices):
    AS_IS = "as-is", _("As-is (sudah ada)")
    TO_BE_NEW = "to-be-baru", _("To-be baru")
    TO_BE_UPGRADE = "to-be-pengembangan", _("To-be pengembangan")


class ReviewStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Diajukan")
    RETURNED = "dikembalikan", _("Dikembalikan")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    VALIDATED = "divalidasi", _("Divalidasi")


EDITABLE_BY_OPERATOR = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})
REVIEWED = frozenset({ReviewStatus.VERIFIED, ReviewStatus.VALIDATED})


class ServiceCategory(models.TextChoices):
    PUBLIC = "publik", _("Layanan publik")
    ADMINISTRATIVE = "administrasi", _("Layanan administrasi pemerintahan")


class ValueListKind(models.TextChoices):
    SERVICE_TARGET = "target-layanan", _("Target layanan")
    SERVICE_METHOD = "metode-layanan", _("Metode layanan")
    DATA_NATURE = "sifat-data", _("Sifat data")
    DATA_KIND = "jenis-data", _("Jenis data")
    DATA_VALIDITY = "validitas-data", _("Validitas data")


# Suggested values from the templates in circulation (DOMAIN.md section 3); admins edit them per instansi.
SUGGESTED_VALUES = {
    ValueListKind.SERVICE_TARGET: ["Masyarakat", "Pelaku Usaha", "ASN/Pegawai", "Pemerintah"],
    ValueListKind.SERVICE_METHOD: ["Elektronik", "Hybrid", "Tatap muka"],
    ValueListKind.DATA_NATURE: ["Terbuka", "Terbatas", "Tertutup"],
    ValueListKind.DATA_KIND: ["Statistik", "Geospasial", "Keuangan", "Lainnya"],
    ValueListKind.DATA_VALIDITY: [
        "Realtime", "Harian", "Mingguan", "Bulanan", "Tiga Bulanan", "Enam Bulanan", "Tahunan", "Dua Tahunan",
        "Tiga Tahunan", "Lima Tahunan",
    ],
}
