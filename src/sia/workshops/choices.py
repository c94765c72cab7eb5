from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    """What kind of kegiatan the programme holds."""

    BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
    WORKSHOP = "workshop", _("Workshop")
    COORDINATION = "rakor", _("Rapat koordinasi")


class WorkshopMode(models.TextChoices):
    IN_PERSON = "tatap-muka", _("Tatap muka")
    ONLINE = "daring", _("Daring")
    HYBRID = "hibrida", _("Hibrida")


class AttendanceStatus(models.TextChoices):
    PRESENT = "hadir", _("Hadir")
    ABSENT = "tidak-hadir", _("Tidak hadir")
    EXCUSED = "izin", _("Izin")
    ONLINE_PROBLEMS = "daring-kendala", _("Hadir daring dengan kendala")


# Who counts as having attended (present in the room or online, even with problems).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE_PROBLEMS)
