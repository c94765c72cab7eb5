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


class ValueListKind:
    """The kinds of the value lists the domains declare (``DomainSpec.value_lists`` holds label and suggested
    values); fields name them in ``limit_choices_to``."""

    SERVICE_TARGET = "target-layanan"
    SERVICE_METHOD = "metode-layanan"
    DATA_NATURE = "sifat-data"
    DATA_KIND = "jenis-data"
    DATA_VALIDITY = "validitas-data"
    APP_PLATFORM = "basis-aplikasi"
    APP_LICENSE = "lisensi-aplikasi"
    APP_LANGUAGE = "bahasa-pemrograman"
    NATIONAL_APP = "aplikasi-umum-nasional"
    OWNERSHIP = "kepemilikan-infrastruktur"
    FACILITY_TIER = "tier-fasilitas"
    FACILITY_SECURITY = "pengamanan-fasilitas"
    CLOUD_SERVICE_TYPE = "tipe-komputasi-awan"
    INFRA_LICENSE = "lisensi-infrastruktur"
    SERVER_USAGE = "penggunaan-server"
    STORAGE_TECHNIQUE = "teknik-penyimpanan"
    STORAGE_ACCESS = "akses-penyimpanan"
    PERIPHERAL_TYPE = "tipe-periferal"
    NETWORK_DEVICE_TYPE = "jenis-perangkat-jaringan"
    SECURITY_DEVICE_TYPE = "jenis-perangkat-keamanan"
    NETWORK_MEDIA = "media-jaringan"


class ApplicationLifecycle(models.TextChoices):
    """Where an application is in its life (not ``status``: that is the review status)."""

    PLANNED = "direncanakan", _("Direncanakan")
    DEVELOPMENT = "pengembangan", _("Dalam pengembangan")
    PRODUCTION = "produksi", _("Produksi (dipakai)")
    RETIRED = "dihentikan", _("Dihentikan")


class ApplicationDeveloper(models.TextChoices):
    OWN_STAFF = "swakelola", _("Swakelola (pegawai sendiri)")
    THIRD_PARTY = "pihak-ketiga", _("Pihak ketiga")
    CENTRAL_GOVERNMENT = "pemerintah-pusat", _("Pemerintah pusat")


class IntegrationDirection(models.TextChoices):
    ONE_WAY = "satu-arah", _("Satu arah (sumber ke tujuan)")
    TWO_WAY = "dua-arah", _("Dua arah")


class IntegrationChannel(models.TextChoices):
    SPLP = "splp", _("Melalui SPLP")
    DIRECT = "langsung", _("Langsung (tanpa SPLP)")


class FacilityType(models.TextChoices):
    """The three sheets of the AS-IS workbook with the same columns: one kind, told apart by this field."""

    DATA_CENTRE = "pusat-data", _("Pusat data")
    COMPUTING_CENTRE = "pusat-komputasi", _("Pusat komputasi")
    CONTROL_CENTRE = "pusat-kendali", _("Pusat kendali")


class ServerType(models.TextChoices):
    PHYSICAL = "fisik", _("Fisik")
    VIRTUAL = "virtual", _("Virtual")


class PlatformSoftwareType(models.TextChoices):
    OPERATING_SYSTEM = "sistem-operasi", _("Sistem operasi")
    DATABASE = "sistem-database", _("Sistem database")
    UTILITY = "sistem-utilitas", _("Sistem utilitas")


class SecurityDocumentType(models.TextChoices):
    STANDARD = "standar", _("Standar")
    PROCEDURE = "prosedur", _("Prosedur")
    REGULATION = "regulasi", _("Regulasi")


class AuditType(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "eksternal", _("Eksternal")


class FollowUpStatus(models.TextChoices):
    OPEN = "belum", _("Belum ditindaklanjuti")
    IN_PROGRESS = "proses", _("Dalam proses")
    NOT_NEEDED = "tidak-perlu", _("Tidak perlu tindak lanjut")
    DONE = "selesai", _("Selesai")


class FeasibilityResult(models.TextChoices):
    FIT = "laik", _("Laik")
    CONDITIONAL = "laik-bersyarat", _("Laik bersyarat")
    UNFIT = "tidak-laik", _("Tidak laik")
