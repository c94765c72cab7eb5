from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from ..choices import DepartmentKind, Echelon


class Department(BaseModel):
    """A perangkat daerah (OPD): an agency of the instansi with its own tugas and fungsi."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="departments",
        verbose_name=_("instansi"),
    )
    name = models.CharField(_("nama perangkat daerah"), max_length=200)
    abbreviation = models.CharField(
        _("singkatan"), max_length=40,
        help_text=_("Singkatan resmi, mis. DISKOMINFOSAN. Dipakai dalam kode ID dan nama akun operator."),
    )
    code = models.CharField(
        _("kode OPD"), max_length=30,
        help_text=_("Kode unit organisasi, unik dalam instansi (mis. 2.16.2.20.2.21.01.0000)."),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=DepartmentKind.choices)
    duties = free_text(_("tugas"), max_length=4000, help_text=_("Tugas pokok sesuai peraturan kepala daerah."))
    head_position = models.CharField(
        _("jabatan kepala"), max_length=200, blank=True, help_text=_("Mis. Kepala Dinas Kesehatan.")
    )
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("OPD yang dibubarkan atau digabung dinonaktifkan, bukan dihapus.")
    )

    class Meta:
        verbose_name = _("Perangkat Daerah")
        verbose_name_plural = _("Perangkat Daerah")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="department_code_unique_in_institution",
                violation_error_message=_("Kode OPD ini sudah dipakai OPD lain di instansi yang sama."),
            ),
            models.UniqueConstraint(
                "institution", Lower("abbreviation"), name="department_abbreviation_unique_in_institution",
                violation_error_message=_("Singkatan ini sudah dipakai OPD lain di instansi yang sama."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:department", args=[self.pk])

    def clean(self):
        super().clean()
        if self.abbreviation:
            self.abbreviation = self.abbreviation.strip()
        if self.code:
            self.code = self.code.strip()


class DepartmentFunction(BaseModel):
    """One fungsi of an OPD's tupoksi, in the order the regulation lists them."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="functions", verbose_name=_("perangkat daerah")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    description = free_text(_("uraian fungsi"), max_length=1000, blank=False)

    class Meta:
        verbose_name = _("Fungsi")
        verbose_name_plural = _("Fungsi")
        ordering = ["department", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.description}"

    def get_absolute_url(self):
        return self.department.get_absolute_url()


class WorkUnit(BaseModel):
    """A unit kerja: a division inside an OPD (bidang, bagian, seksi, UPT), arranged as a tree."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="work_units", verbose_name=_("perangkat daerah")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("unit induk"),
    )
    name = models.CharField(_("nama unit kerja"), max_length=200)
    echelon = models.CharField(_("eselon"), max_length=20, choices=Echelon.choices, default=Echelon.III)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("Unit Kerja")
        verbose_name_plural = _("Unit Kerja")
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="work_unit_name_unique_in_department",
                violation_error_message=_("Unit kerja dengan nama ini sudah ada di OPD tersebut."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:workunit", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.department_id and self.parent.department_id != self.department_id:
            raise ValidationError({"parent": _("Unit induk harus berada di perangkat daerah yang sama.")})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Unit induk tidak boleh unit ini sendiri atau bawahannya.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
