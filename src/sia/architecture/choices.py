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
