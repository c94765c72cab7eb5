from functools import cache, wraps

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from .loading import from_db


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

    @classmethod
    def from_db(cls, db, field_names, values):
        """Django's, with the instance made at once where ``__init__`` would only store each value
        (``sia.core.loading``)."""
        return from_db(cls, db, field_names, values)

    def validate_constraints(self, exclude=None):
        """Like Django's, but a unique constraint's message lands on the field a user can fix
        (the last field it names, e.g. ``code`` in (instansi, code)) instead of the whole form."""
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude)
                except ValidationError as error:
                    field = constraint_field(constraint)
                    if field and exclude and field in exclude:
                        field = None
                    errors.setdefault(field or NON_FIELD_ERRORS, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


def per_model(function):
    """``function(model, *args)`` computed once per model and arguments, from what the model class declares (its
    fields, its spec): rules that read it for every object validated (an import validates 10,000 rows) read it once.
    Not kept while the models load, when a relation may still name its model by a string."""
    kept = cache(function)

    @wraps(function)
    def per_model(model, *args):
        return kept(model, *args) if apps.models_ready else function(model, *args)

    return per_model


def constraint_field(constraint) -> str | None:
    """The field a violated unique constraint is reported on: its last named field or expression."""
    if not isinstance(constraint, models.UniqueConstraint):
        return None
    if constraint.fields:
        return constraint.fields[-1]
    for expression in reversed(constraint.expressions):
        names = [ref for ref in getattr(expression, "get_source_expressions", lambda: [])() if hasattr(ref, "name")]
        if names:
            return names[-1].name
    return None


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


class ApiToken(AbstractAuthToken):
    """A named API token of one user (django-rest-knox): stored as a hash, valid until it expires or
    is revoked. A user may hold several; revoking deletes it and the audit trail keeps who did it."""

    name = models.CharField(_("nama"), max_length=100, help_text=_("Untuk apa token ini, mis. Skrip impor."))
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expiry = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    last_used = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    history = HistoricalRecords(bases=[HistoryBase], user_related_name="+")

    class Meta:
        verbose_name = _("Token API")
        verbose_name_plural = _("Token API")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.user.username}, {self.token_key[:8]}…)"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()


class GenerationChange(models.Model):
    """One change to a body of data (``sia.core.generations``), written in the writer's transaction: the rows of a
    name, counted and summed, make its generation token. Rows are only ever added by writers (no row is updated,
    so no writer waits on another here) and the oldest are pruned by readers. Not audited: it records no one's
    work, only that something changed."""

    name = models.CharField(_("nama"), max_length=50, db_index=True)
    salt = models.BigIntegerField(_("garam"))

    class Meta:
        verbose_name = _("Perubahan data")
        verbose_name_plural = _("Perubahan data")

    def __str__(self):
        return f"{self.name} #{self.pk}"
