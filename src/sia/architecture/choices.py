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
