from django.db import models
from sia.core.integers import db_id

from sia.core import permissions
from django.utils.translation import gettext_lazy as _

from ..choices import ServiceCategory, ValueListKind
from ..valuelists import ValueList
from .base import ArchitectureObject, DomainSpec, LinkSpec, free_text


class Service(ArchitectureObject):
    """A Layanan: a service an OPD delivers to the public or to other government units, mapped to the RAL."""

    spec = DomainSpec(
        slug="layanan", api_name="services", code_prefix="LY", catalog="RAL", order=20,
        form_fields=(
            "processes", "purpose", "function_description", "government_affair", "related_agency", "target", "method",
            "benefit", "economic_potential", "executing_unit", "risk", "mitigation",
        ),
        list_columns=("category",),
        filter_fields=("category", "target", "method"),
        completeness_fields=("processes", "purpose", "government_affair", "target", "method", "executing_unit"),
        menu_label=_("Layanan"),
        reference_fields=(("government_affair", "RAB", 2, 2),),
        refresh_on=("department", "processes"),
        unit_fields=(("executing_unit", "department"),),
        archimate_element="BusinessService",
        links=(
            LinkSpec("processes", meaning=_("dihasilkan oleh"), inverse=_("menghasilkan"), relationship="realization",
                     archimate_reversed=True),
        ),
        value_lists=(
            ValueList(ValueListKind.SERVICE_TARGET, _("Target layanan"),
                      suggested=("Masyarakat", "Pelaku Usaha", "ASN/Pegawai", "Pemerintah")),
            ValueList(ValueListKind.SERVICE_METHOD, _("Metode layanan"), suggested=("Elektronik", "Hybrid", "Tatap muka")),
        ),
    )

    processes = models.ManyToManyField(
        "architecture.BusinessProcess", blank=True, related_name="services", verbose_name=_("proses bisnis"),
        help_text=_("Proses bisnis yang menghasilkan layanan ini."),
    )
    purpose = free_text(_("tujuan"))
    function_description = free_text(_("fungsi layanan"))
    category = models.CharField(
        _("kategori"), max_length=20, choices=ServiceCategory.choices, blank=True, editable=False,
        help_text=_("Mengikuti level 1 referensi RAL."),
    )
    government_affair = models.ForeignKey(
        "reference.ReferenceNode", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("urusan pemerintahan"), help_text=_("Urusan pemerintahan (RAB level 2)."),
    )
    related_agency = models.CharField(_("kementerian/lembaga terkait"), max_length=300, blank=True)
    target = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("target layanan"), limit_choices_to={"kind": ValueListKind.SERVICE_TARGET, "is_active": True},
    )
    method = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("metode layanan"), limit_choices_to={"kind": ValueListKind.SERVICE_METHOD, "is_active": True},
    )
    benefit = free_text(_("potensi manfaat"))
    economic_potential = free_text(_("potensi ekonomi"))
    executing_unit = models.ForeignKey(
        "organizations.WorkUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("unit pelaksana"),
    )
    risk = free_text(_("potensi risiko"))
    mitigation = free_text(_("mitigasi risiko"), help_text=_("Wajib bila potensi risiko diisi."))

    class Meta(ArchitectureObject.Meta):
        verbose_name = _("Layanan")
        verbose_name_plural = _("Layanan")

    def clean_domain(self):
        errors = {}
        if self.risk.strip() and not self.mitigation.strip():
            errors["mitigation"] = _("Potensi risiko diisi: mitigasinya wajib diisi juga.")
        return errors

    @classmethod
    def completeness_warnings(cls, queryset, departments):
        yield from cls.count_by_department(queryset.filter(processes__isnull=True), _("%(n)d layanan tanpa proses bisnis"))
        yield from cls.count_by_department(
            queryset.exclude(risk="").filter(mitigation=""), _("%(n)d risiko tanpa mitigasi")
        )

    @classmethod
    def suggestions(cls, values, user=None):
        """The RAL node and urusan that the linked process's RAB node maps to, through the crosswalk."""
        from sia.reference.crosswalk import propose

        from .business_processes import BusinessProcess

        ids = values.get("processes") or []
        ids = [ids] if isinstance(ids, (str, int)) else ids
        ids = [db_id(i) for i in ids if db_id(i) is not None]
        processes = BusinessProcess.objects.filter(pk__in=ids, reference__isnull=False)
        if user is not None:
            processes = permissions.visible(user, processes)
        process = processes.select_related("reference__parent", "reference__version__catalog").first()
        if process is None:
            return {}
        suggested = {}
        rab = process.reference
        while rab.level > 3 and rab.parent_id:
            rab = rab.parent
        matches = propose(rab, "RAL")
        if matches:
            suggested["reference"] = matches[0].pk
        if rab.parent_id:
            suggested["government_affair"] = rab.parent_id
        return suggested

    def derive_fields(self) -> None:
        super().derive_fields()
        self.category = category_of(self.reference)


def category_of(node) -> str:
    """Layanan publik under RAL.01, administrasi pemerintahan under RAL.02."""
    if node is None:
        return ""
    root = node.code.split(".")[1] if "." in node.code else ""
    return {"01": ServiceCategory.PUBLIC, "02": ServiceCategory.ADMINISTRATIVE}.get(root, "")
