"""A notification (one message to one user about one object), the user's delivery preference, and the record of
the daily runs that makes ``sia notify_daily`` idempotent per day."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from . import kinds


class Notification(BaseModel):
    """One message to one user about one object (``target``), shown in the notification centre and e-mailed
    according to the user's preference."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("penerima"))
    kind = models.CharField(_("jenis"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("jenis objek"))
    object_id = models.PositiveBigIntegerField(_("ID objek"))
    target = GenericForeignKey("content_type", "object_id")
    message = free_text(_("pesan"), blank=False)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    institution = models.ForeignKey("organizations.Institution", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="+", verbose_name=_("instansi"))
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    class Meta:
        verbose_name = _("Notifikasi")
        verbose_name_plural = _("Notifikasi")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient"),
            # the header badge: the unread count of one user
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["content_type", "object_id"], name="notification_target"),
        ]

    def __str__(self):
        return f"{self.kind_label}: {self.message[:60]}"

    @property
    def kind_label(self):
        return kinds.label_of(self.kind)

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    def clean(self):
        super().clean()
        if self.kind and not kinds.is_known(self.kind):
            raise ValidationError({"kind": _("Jenis notifikasi tidak dikenal: %(kind)s.") % {"kind": self.kind}})


class Delivery(models.TextChoices):
    IMMEDIATE = "segera", _("Surel segera untuk setiap notifikasi")
    DAILY = "harian", _("Ringkasan harian lewat surel")
    NONE = "tidak", _("Tanpa surel (hanya di pusat notifikasi)")


DEFAULT_DELIVERY = Delivery.DAILY


class NotificationPreference(BaseModel):
    """How a user wants to hear of their notifications besides the notification centre; without a row, the daily
    digest (``DEFAULT_DELIVERY``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("pengguna"))
    delivery = models.CharField(_("pengiriman surel"), max_length=10, choices=Delivery.choices,
                                default=DEFAULT_DELIVERY)

    class Meta:
        verbose_name = _("Preferensi notifikasi")
        verbose_name_plural = _("Preferensi notifikasi")
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user}: {self.get_delivery_display()}"

    def get_absolute_url(self):
        return reverse("notifications:preferences")


class DailyRun(models.Model):
    """One step of ``sia notify_daily`` done for one day: a notice source (by its registered name) or the digest.
    The unique pair makes a second run of the same day do nothing."""

    DIGEST = "digest"

    step = models.CharField(_("langkah"), max_length=60)
    day = models.DateField(_("tanggal"))
    created = models.DateTimeField(_("waktu"), auto_now_add=True)
    count = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        verbose_name = _("Jalannya notifikasi harian")
        verbose_name_plural = _("Jalannya notifikasi harian")
        ordering = ["-day", "step"]
        constraints = [models.UniqueConstraint(fields=["step", "day"], name="dailyrun_unique_step_day",
                                               violation_error_message=_("Langkah ini sudah dijalankan hari itu."))]

    def __str__(self):
        return f"{self.step} {self.day}"
