from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HistoryBase(models.Model):
    """Fields every audit-trail record carries besides simple-history's own."""

    request_id = models.UUIDField(_("ID permintaan"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class BaseModel(models.Model):
    """What every SIA record has: timestamps and an audit trail of before/after values."""

    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(inherit=True, bases=[HistoryBase])

    class Meta:
        abstract = True

    def get_absolute_url(self):  # pragma: no cover - each model names its own page
        raise NotImplementedError


class User(AbstractUser):
    """A person who signs in to SIA; what they may do comes from their memberships."""

    history = HistoricalRecords(
        bases=[HistoryBase],
        excluded_fields=["password", "last_login"],
        user_related_name="+",
    )

    class Meta:
        verbose_name = _("Pengguna")
        verbose_name_plural = _("Pengguna")
        ordering = ["username"]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
