from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from ..choices import CatalogCode, Completeness, VersionStatus


class Catalog(BaseModel):
    """One of the six national reference architectures (RAB, RAL, RAD, RAA, RAI, RAK) of Perpres 132/2022."""

    code = models.CharField(
        _("kode"), max_length=3, choices=CatalogCode.choices, unique=True,
        help_text=_("Awalan kode simpulnya, mis. RAB."),
        error_messages={"unique": _("Katalog dengan kode ini sudah ada.")},
    )
    name = models.CharField(_("nama"), max_length=200)
    domain = models.CharField(
        _("domain arsitektur"), max_length=100, help_text=_("Domain Arsitektur SPBE yang dipetakan, mis. Proses Bisnis.")
    )
    level_names = models.CharField(
        _("nama tingkat"), max_length=300, blank=True,
        help_text=_("Nama tiap tingkat nasional, dipisah titik koma, mis. Sektor; Urusan; Sub-urusan."),
    )
    description = models.TextField(_("uraian"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("Katalog Referensi")
        verbose_name_plural = _("Katalog Referensi")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} · {self.domain}"

    def get_absolute_url(self):
        return reverse("reference:catalog", args=[self.code])

    @property
    def level_name_list(self) -> list[str]:
        return [part.strip() for part in self.level_names.split(";") if part.strip()]

    def level_name(self, level: int) -> str:
        """The name of a level of this catalog ("Sub-urusan" for RAB level 3), or "tingkat N" past the named ones."""
        names = self.level_name_list
        if 0 < level <= len(names):
            return names[level - 1]
        return _("tingkat %(level)d") % {"level": level}


class CatalogVersion(BaseModel):
    """A published (or draft) list of a catalog's codes, e.g. "Perpres 132/2022"; entries keep the version they map to."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.PROTECT, related_name="versions", verbose_name=_("katalog")
    )
    name = models.CharField(_("nama versi"), max_length=200, help_text=_("Mis. Perpres 132/2022 atau Perpres 132/2022 (ralat 2025)."))
    source = models.TextField(_("sumber"), blank=True, help_text=_("Peraturan, dokumen atau alamat asal daftar kode."))
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    completeness = models.CharField(
        _("kelengkapan"), max_length=20, choices=Completeness.choices, default=Completeness.COMPLETE,
        help_text=_("Parsial bila hanya sebagian kode yang diketahui publik."),
    )
    notes = models.TextField(_("catatan kelengkapan"), blank=True)
    is_current = models.BooleanField(
        _("versi berlaku"), default=False,
        help_text=_("Versi terbit yang dipakai untuk pemetaan baru; satu per katalog."),
    )
    content_hash = models.CharField(
        _("sidik isi"), max_length=64, blank=True, editable=False,
        help_text=_("SHA-256 dari kode, nama dan uraian simpul nasional; impor ulang berkas yang sama tidak mengubah apa pun."),
    )
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("diterbitkan oleh"),
    )

    class Meta:
        verbose_name = _("Versi Katalog")
        verbose_name_plural = _("Versi Katalog")
        ordering = ["catalog__order", "-is_current", "-effective_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "name"], name="reference_version_name_unique",
                violation_error_message=_("Katalog ini sudah memiliki versi dengan nama tersebut."),
            ),
            models.UniqueConstraint(
                fields=["catalog"], condition=Q(is_current=True), name="reference_one_current_version",
                violation_error_message=_("Satu katalog hanya boleh memiliki satu versi berlaku."),
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status=VersionStatus.PUBLISHED), name="reference_current_is_published",
                violation_error_message=_("Hanya versi terbit yang dapat menjadi versi berlaku."),
            ),
        ]

    def __str__(self):
        return f"{self.catalog.code} {self.name}"

    def get_absolute_url(self):
        return reverse("reference:catalogversion", args=[self.pk])

    @property
    def is_partial(self) -> bool:
        return self.completeness != Completeness.COMPLETE

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED
