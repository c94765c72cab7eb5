from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import ArchitectureObject, DomainSpec, LinkSpec, free_text


class BusinessProcess(ArchitectureObject):
    """A Proses Bisnis: work an OPD does to carry out one of its fungsi, mapped to the RAB."""

    spec = DomainSpec(
        slug="proses-bisnis", api_name="business-processes", code_prefix="PB", catalog="RAB", order=10,
        form_fields=("parent", "functions", "strategic_goal", "kpi", "kpi_target", "kpi_actual"),
        list_columns=("parent",),
        filter_fields=("parent",),
        completeness_fields=("functions", "strategic_goal", "kpi", "kpi_target"),
        menu_label=_("Proses Bisnis"),
        child_label=_("Sub-proses"),
        archimate_element="BusinessProcess",
        links=(
            LinkSpec("parent", meaning=_("bagian dari"), inverse=_("terdiri atas"), relationship="composition",
                     cardinality="0..1", archimate_reversed=True, acyclic=True),
        ),
    )

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("proses induk"),
        help_text=_("Kosongkan untuk proses level 0; peta proses turun sampai SOP (PermenPANRB 19/2018)."),
    )
    functions = models.ManyToManyField(
        "organizations.DepartmentFunction", blank=True, related_name="business_processes",
        verbose_name=_("fungsi OPD"), help_text=_("Fungsi dari tupoksi OPD yang dijalankan proses ini."),
    )
    strategic_goal = free_text(_("sasaran strategis"))
    kpi = models.CharField(_("indikator kinerja (IKU)"), max_length=300, blank=True)
    kpi_target = models.CharField(_("target IKU"), max_length=100, blank=True, help_text=_("Mis. 95%."))
    kpi_actual = models.CharField(_("realisasi IKU"), max_length=100, blank=True)

    class Meta(ArchitectureObject.Meta):
        verbose_name = _("Proses Bisnis")
        verbose_name_plural = _("Proses Bisnis")

    @property
    def level(self) -> int:
        depth, node, seen = 0, self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            depth += 1
            node = node.parent
        return depth

    @classmethod
    def completeness_warnings(cls, queryset, departments):
        from sia.organizations.models import DepartmentFunction

        # The link table alone, probed by its function index: a join to the processes (of every instansi) made the
        # count grow with the whole database.
        through = cls.functions.through
        unserved = DepartmentFunction.objects.filter(department__in=departments).exclude(
            models.Exists(through.objects.filter(departmentfunction_id=models.OuterRef("pk")))
        )
        return cls.count_by_department(unserved, _("%(n)d fungsi tanpa proses bisnis"))
