"""The governance register: an instansi's internal policies and decrees (Pergub, SK of the Tim Koordinasi SPBE and
of the Tim Evaluator/Asesor Internal, SOP, ...) with their file, validity, status and the index indicators each
evidences; and the members of the teams a decree forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from .choices import TEAM_TYPES, DocumentStatus, DocumentType, TeamRole


def in_force_q(day: datetime.date | None = None, prefix: str = "") -> Q:
    """Documents in force on ``day`` (today): status berlaku and the day within their validity."""
    day = day or timezone.localdate()
    return (Q(**{f"{prefix}status": DocumentStatus.IN_FORCE})
            & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})))


class PolicyDocument(BaseModel):
    """A Pergub/Perbup/Perwali, a decree, an SOP or another internal policy of an instansi."""

    institution = models.ForeignKey("organizations.Institution", on_delete=models.CASCADE,
                                    related_name="policy_documents", verbose_name=_("instansi"))
    type = models.CharField(_("jenis"), max_length=30, choices=DocumentType.choices)
    number = models.CharField(_("nomor"), max_length=100, help_text=_("Mis. 12 Tahun 2024 atau 800/512/Diskominfosan."))
    date = models.DateField(_("tanggal ditetapkan"))
    title = models.CharField(_("judul"), max_length=300,
                             help_text=_("Mis. Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik."))
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True, help_text=_("Kosong: tanpa batas."))
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces",
                                    verbose_name=_("diganti dengan"))
    blob = models.ForeignKey("evaluation.EvidenceFile", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="policy_documents", verbose_name=_("berkas"))
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    indicators = models.ManyToManyField("evaluation.Indicator", blank=True, related_name="policy_documents",
                                        verbose_name=_("indikator yang dibuktikan"))

    class Meta:
        verbose_name = _("Dokumen Kebijakan")
        verbose_name_plural = _("Dokumen Kebijakan")
        ordering = ["institution", "-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "type", "number"], name="governance_document_number_unique",
                                    violation_error_message=_("Dokumen jenis ini dengan nomor tersebut sudah ada.")),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="governance_document_validity",
                violation_error_message=_("Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku mulai.")),
        ]

    def __str__(self):
        return f"{self.get_type_display()} Nomor {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("governance:policydocument", args=[self.pk])

    @property
    def forms_team(self) -> bool:
        return self.type in TEAM_TYPES

    def is_in_force(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (self.status == DocumentStatus.IN_FORCE and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or self.valid_until >= day))

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Tanggal berlaku sampai (%(until)s) tidak boleh sebelum tanggal berlaku mulai "
                                      "(%(since)s).") % {"until": self.valid_until, "since": self.valid_from}
        if self.status == DocumentStatus.REPLACED and self.replaced_by_id is None:
            errors["replaced_by"] = _("Dokumen berstatus diganti perlu dokumen penggantinya (diganti dengan).")
        elif self.replaced_by_id is not None and self.status != DocumentStatus.REPLACED:
            errors["replaced_by"] = _("Isi “diganti dengan” hanya untuk dokumen berstatus diganti.")
        elif self.replaced_by_id is not None:
            problem = self.replacement_problem()
            if problem:
                errors["replaced_by"] = problem
        if self.status != DocumentStatus.DRAFT and self.blob_id is None and not getattr(self, "_pending_upload", False):
            errors["status"] = _("Dokumen berstatus %(status)s perlu berkasnya; unggah berkas dokumen atau simpan "
                                 "sebagai draf.") % {"status": self.get_status_display().lower()}
        if self.pk is not None and not self.forms_team and self.members.exists():
            errors["type"] = _("Dokumen ini mencatat anggota tim; hanya SK Tim Koordinasi SPBE atau SK Tim "
                               "Evaluator/Asesor Internal yang dapat mencatatnya. Hapus anggotanya dulu.")
        if errors:
            raise ValidationError(errors)

    def replacement_problem(self):
        """Why ``replaced_by`` cannot be: itself, another instansi's document, or a chain that comes back here."""
        replacement = self.replaced_by
        if self.pk is not None and replacement.pk == self.pk:
            return _("Dokumen tidak dapat diganti dengan dirinya sendiri.")
        if replacement.institution_id != self.institution_id:
            return _("Dokumen pengganti “%(other)s” milik instansi lain; pilih dokumen instansi ini.") % {
                "other": replacement}
        chain, seen, current = [self.number, replacement.number], {replacement.pk}, replacement.pk
        while True:  # the stored chain from the replacement on
            row = PolicyDocument.objects.filter(pk=current).values_list("replaced_by", flat=True).first()
            if row is None:
                break
            if self.pk is not None and row == self.pk:
                chain.append(self.number)
                return _("Penggantian dokumen membentuk siklus: %(chain)s.") % {"chain": " → ".join(chain)}
            if row in seen:
                break
            seen.add(row)
            current = row
            chain.append(PolicyDocument.objects.filter(pk=row).values_list("number", flat=True).first())
        return None


class TeamMember(BaseModel):
    """A member of the team a decree forms (Tim Koordinasi SPBE, Tim Evaluator/Asesor Internal), as the decree
    lists them: name, NIP, position, role in the team and place in the list."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("dokumen"))
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[RegexValidator(
        r"^\d{18}$", _("NIP terdiri atas 18 angka tanpa spasi."))])
    position = models.CharField(_("jabatan"), max_length=200)
    role = models.CharField(_("peran dalam tim"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)

    class Meta:
        verbose_name = _("Anggota Tim")
        verbose_name_plural = _("Anggota Tim")
        ordering = ["document", "order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.document.get_absolute_url()

    def clean(self):
        super().clean()
        if self.document_id is not None and not self.document.forms_team:
            raise ValidationError({"document": _(
                "%(type)s tidak membentuk tim; anggota tim dicatat pada SK Tim Koordinasi SPBE atau SK Tim "
                "Evaluator/Asesor Internal.") % {"type": self.document.get_type_display()}})
