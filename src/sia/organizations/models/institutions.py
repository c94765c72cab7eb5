from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel
from sia.core.validators import validate_image_upload

from ..choices import InstitutionKind


class Institution(BaseModel):
    """An instansi: one government (province, regency, city, ministry or agency), SIA's tenant."""

    name = models.CharField(_("nama instansi"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=InstitutionKind.choices)
    code = models.CharField(
        _("kode wilayah / kode instansi"),
        max_length=20,
        unique=True,
        help_text=_("Kode wilayah Kemendagri (mis. 82 untuk Maluku Utara) atau kode instansi pusat."),
        error_messages={"unique": _("Kode ini sudah dipakai instansi lain.")},
    )
    logo = models.FileField(
        _("logo"), upload_to="logos/", blank=True, validators=[validate_image_upload],
        help_text=_("Opsional. PNG atau JPEG, paling besar 1 MB."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("Instansi")
        verbose_name_plural = _("Instansi")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:institution", args=[self.pk])
