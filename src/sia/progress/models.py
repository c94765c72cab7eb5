"""Targets with deadlines (their state computed from the data by ``sia.progress.rules``) and the daily snapshots of
each OPD's architecture per domain (``sia.progress.snapshot``) that the burn-up charts draw."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from .choices import ReviewLevel


def today():
    return timezone.localdate()


class Target(BaseModel):
    """A target of the SPBE programme: one rule of ``sia.progress.rules`` for an OPD (or every OPD) of an instansi
    by a deadline. Its state is computed from the data, never set by hand."""

    institution = models.ForeignKey("organizations.Institution", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("instansi"))
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("perangkat daerah"), help_text=_("Kosongkan untuk semua OPD instansi."),
    )
    name = models.CharField(_("nama target"), max_length=200)
    rule = models.CharField(_("aturan"), max_length=30, help_text=_("Cara capaian dihitung dari data."))
    domain = models.CharField(
        _("domain"), max_length=40, blank=True,
        help_text=_("Domain arsitektur yang diukur; aturan fungsi dan layanan memakai domainnya sendiri."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("ambang kelengkapan (%)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Untuk aturan kelengkapan: persentase isian wajib yang harus terisi, 0-100."),
    )
    level = models.CharField(_("tahap review"), max_length=20, choices=ReviewLevel.choices,
                             default=ReviewLevel.SUBMITTED,
                             help_text=_("Untuk aturan pengajuan: sejauh mana setiap objek harus sudah direview."))
    framework = models.ForeignKey(
        "evaluation.FrameworkVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("instrumen indeks"),
        help_text=_("Untuk target indeks: instrumen yang nilainya diukur (mis. Indeks SPBE); kosong: yang terakhir."),
    )
    index_baseline = models.DecimalField(_("indeks awal"), max_digits=4, decimal_places=2, null=True, blank=True,
                                         validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))])
    index_target = models.DecimalField(
        _("indeks target"), max_digits=4, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
        help_text=_("Untuk target indeks: nilai yang dituju pada tahun tenggat, mis. 2,60."),
    )
    start_date = models.DateField(_("mulai"), default=today)
    deadline = models.DateField(_("tenggat"))

    class Meta:
        verbose_name = _("Target")
        verbose_name_plural = _("Target")
        ordering = ["deadline", "name", "pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(threshold__isnull=True) | models.Q(threshold__lte=100), name="progress_target_threshold",
            violation_error_message=_("Ambang kelengkapan harus antara 0 dan 100 persen."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("progress:target", args=[self.pk])

    def clean(self):
        from .rules import target_problems

        errors = target_problems(self)
        if errors:
            raise ValidationError(errors)

    @property
    def rule_spec(self):
        from .rules import rule_for

        return rule_for(self.rule)

    def get_rule_display(self) -> str:
        spec = self.rule_spec
        return str(spec.label) if spec else self.rule

    def get_domain_display(self) -> str:
        from .rules import domain_label

        return domain_label(self.domain)


class ProgressSnapshot(models.Model):
    """One day's figures of one OPD's objects of one domain (a kind group): how many, how many complete (every
    required field filled), the share of required fields filled, and how many in each review status. Written by
    ``sia snapshot_progress`` (a day's rows replaced as a whole), never edited: no audit trail of its own."""

    institution = models.ForeignKey("organizations.Institution", on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("instansi"))
    department = models.ForeignKey("organizations.Department", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("perangkat daerah"))
    domain = models.CharField(_("domain"), max_length=40)
    date = models.DateField(_("tanggal"))
    count = models.PositiveIntegerField(_("jumlah objek"), default=0)
    complete = models.PositiveIntegerField(_("objek lengkap"), default=0)
    filled = models.PositiveIntegerField(_("isian wajib terisi"), default=0)
    required = models.PositiveIntegerField(_("isian wajib"), default=0)
    draft = models.PositiveIntegerField(_("draf"), default=0)
    submitted = models.PositiveIntegerField(_("diajukan"), default=0)
    returned = models.PositiveIntegerField(_("dikembalikan"), default=0)
    verified = models.PositiveIntegerField(_("diverifikasi"), default=0)
    validated = models.PositiveIntegerField(_("divalidasi"), default=0)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("Potret Kemajuan")
        verbose_name_plural = _("Potret Kemajuan")
        ordering = ["date", "department_id", "domain"]
        constraints = [models.UniqueConstraint(fields=["department", "domain", "date"],
                                               name="progress_snapshot_unique",
                                               violation_error_message=_("Potret OPD dan domain ini pada tanggal "
                                                                         "tersebut sudah ada."))]
        # the instansi's burn-up reads its year of rows from this index alone (the figures the chart sums are in it)
        indexes = [models.Index(fields=["institution", "date", "count", "complete", "submitted", "verified",
                                        "validated"], name="progress_snapshot_burnup")]

    def __str__(self):
        return f"{self.date} {self.domain}"

    def get_absolute_url(self):
        return reverse("progress:department", args=[self.department_id])

    @property
    def percent(self) -> int | None:
        return round(100 * self.filled / self.required) if self.required else None
