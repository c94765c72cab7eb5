from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ValueListKind
from ..valuelists import ValueList
from .base import ArchitectureObject, DomainSpec, LinkSpec, free_text


class DataItem(ArchitectureObject):
    """A Data dan Informasi item: data an OPD produces or keeps, with its Satu Data roles, mapped to the RAD."""

    spec = DomainSpec(
        slug="data", api_name="data-items", code_prefix="DI", catalog="RAD", order=30,
        form_fields=(
            "processes", "services", "purpose", "producer_department", "producer_unit", "custodian_department",
            "custodian_unit", "information_input", "information_output", "nature", "kind", "validity", "interoperable",
        ),
        list_columns=("nature",),
        filter_fields=("nature", "kind", "interoperable"),
        completeness_fields=(
            "processes", "purpose", "producer_department", "custodian_department", "nature", "kind", "validity",
        ),
        menu_label=_("Data dan Informasi"),
        refresh_on=("department", "producer_department", "custodian_department"),
        unit_fields=(("producer_unit", "producer_department"), ("custodian_unit", "custodian_department")),
        archimate_element="BusinessObject",
        # Satu Data: data is produced and used across the OPDs of the instansi.
        links=(
            LinkSpec("processes", meaning=_("dihasilkan oleh"), inverse=_("menghasilkan"), relationship="access-write",
                     cardinality="1..*", cross_opd=True, archimate_reversed=True),
            LinkSpec("services", meaning=_("dipakai oleh"), inverse=_("memakai"), relationship="access-read",
                     cross_opd=True, archimate_reversed=True),
        ),
        value_lists=(
            ValueList(ValueListKind.DATA_NATURE, _("Sifat data"), suggested=("Terbuka", "Terbatas", "Tertutup")),
            ValueList(ValueListKind.DATA_KIND, _("Jenis data"), suggested=("Statistik", "Geospasial", "Keuangan", "Lainnya")),
            ValueList(ValueListKind.DATA_VALIDITY, _("Validitas data"), suggested=(
                "Realtime", "Harian", "Mingguan", "Bulanan", "Tiga Bulanan", "Enam Bulanan", "Tahunan", "Dua Tahunan",
                "Tiga Tahunan", "Lima Tahunan",
            )),
        ),
    )

    processes = models.ManyToManyField(
        "architecture.BusinessProcess", blank=True, related_name="data_items", verbose_name=_("proses bisnis penghasil"),
        help_text=_("Minimal satu sebelum diajukan."),
    )
    services = models.ManyToManyField(
        "architecture.Service", blank=True, related_name="data_items", verbose_name=_("layanan yang memakai"),
    )
    purpose = free_text(_("tujuan"))
    producer_department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("produsen data (OPD)"),
    )
    producer_unit = models.ForeignKey(
        "organizations.WorkUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("produsen data (unit kerja)"),
    )
    custodian_department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("walidata (OPD)"), help_text=_("Peran walidata menurut Perpres 39/2019 Satu Data Indonesia."),
    )
    custodian_unit = models.ForeignKey(
        "organizations.WorkUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("walidata (unit kerja)"),
    )
    information_input = free_text(_("informasi masukan"))
    information_output = free_text(_("informasi keluaran"))
    nature = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sifat data"), limit_choices_to={"kind": ValueListKind.DATA_NATURE, "is_active": True},
    )
    kind = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("jenis data"), limit_choices_to={"kind": ValueListKind.DATA_KIND, "is_active": True},
    )
    validity = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("validitas data"), help_text=_("Frekuensi pemutakhiran."),
        limit_choices_to={"kind": ValueListKind.DATA_VALIDITY, "is_active": True},
    )
    interoperable = models.BooleanField(_("interoperabilitas"), default=False)

    class Meta(ArchitectureObject.Meta):
        verbose_name = _("Data dan Informasi")
        verbose_name_plural = _("Data dan Informasi")

    @classmethod
    def completeness_warnings(cls, queryset, departments):
        return cls.count_by_department(
            queryset.filter(processes__isnull=True), _("%(n)d data tanpa proses bisnis penghasil")
        )
