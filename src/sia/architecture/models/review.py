from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ReviewStatus
from .base import free_text


class ReviewEvent(models.Model):
    """One turn of the review conversation of an architecture object: a transition or a comment."""

    class Action(models.TextChoices):
        CREATE = "buat", _("dibuat")
        SUBMIT = "ajukan", _("diajukan")
        RETURN = "kembalikan", _("dikembalikan")
        VERIFY = "verifikasi", _("diverifikasi")
        VALIDATE = "validasi", _("divalidasi")
        REOPEN = "buka-kembali", _("kembali ke draf karena diubah")
        COMMENT = "komentar", _("komentar")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    institution = models.ForeignKey("organizations.Institution", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("dari status"), max_length=20, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=20, choices=ReviewStatus.choices, blank=True)
    comment = free_text(_("komentar"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("oleh")
    )
    # The time now, or the one the workflow gives: the object's ``status_since`` when the event sets its status.
    created = models.DateTimeField(_("waktu"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Catatan Review")
        verbose_name_plural = _("Catatan Review")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} · {self.user}"
