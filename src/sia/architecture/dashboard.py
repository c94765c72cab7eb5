"""Home page panels of the architecture: each role's tasks first, then pictures of the figures.

- operator: returned objects with the reviewer's comment, drafts; their OPD's completeness as bars;
- verifikator: the review queue by OPD and age (oldest first);
- koordinator (admin instansi): objects waiting for validation, then the OPD × domain heat map;
- pimpinan: the heat map and the review progress per domain, read-only.

Figures are per kind group (``sia.architecture.kindgroups``): infrastruktur's twelve kinds are one bar,
one heat-map column and one row of the review progress; a domain of one kind is a group of its own.
"""

from django.utils.translation import gettext as _

from sia.core import charts, permissions
from sia.core.dashboard import register_object_panel, register_panel
from sia.core.roles import Role
from sia.organizations.models import Department

from . import completeness, queues
from .choices import ReviewStatus
from .kindgroups import group_of
from .models import BusinessProcess

TASKS_SHOWN = 10
QUEUE_SHOWN = 15
STATUS_CSS = {status.value: f"viz-status-{status.value}" for status in ReviewStatus}


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


@register_panel(1, roles={Role.OPERATOR: 1})
def operator_tasks(request):
    """Returned objects with the latest return comment, then drafts not yet submitted (own OPDs only), of every kind
    the queues hold (``queues.queue_models``: the domains and e.g. the roadmap's kegiatan)."""
    user = request.user
    departments = queues.operator_departments(user)
    counts = {status: 0 for status in ReviewStatus}
    for _model, per_status in queues.status_counts(user, departments, queues.queue_models()):
        for status, n in per_status.items():
            counts[status] += n
    return {
        "template": "architecture/_tasks_panel.html",
        "returned": queues.returned_with_comments(user, TASKS_SHOWN),
        "returned_total": counts[ReviewStatus.RETURNED],
        "drafts": queues.queue(user, ReviewStatus.DRAFT, TASKS_SHOWN, own_only=True),
        "drafts_total": counts[ReviewStatus.DRAFT],
    }


@register_panel(3, roles={Role.OPERATOR: 3})
def operator_completeness(request):
    """The completeness of the operator's own OPD(s): one bar per kind group."""
    own = queues.operator_departments(request.user)
    if not own:
        return None
    table = completeness.table_for(request.user, Department.objects.filter(pk__in=own, is_active=True))
    several = len(table.rows) > 1
    items = []
    for department, cells in table.rows:
        for slug, label, cell in zip(table.slugs, table.labels, cells):
            name = f"{department.abbreviation} · {label}" if several else str(label)
            text = (_("%(pct)s · %(n)d objek") % {"pct": _percent(cell.percent), "n": cell.count}
                    if cell.count else _("belum ada objek"))
            items.append(charts.Item(name, cell.percent or 0, text, key=f"{department.abbreviation}-{slug}"))
    chart = charts.bar_chart(
        "kelengkapan-opd", _("Kelengkapan isian wajib per domain"), items, maximum=100,
        label_header=_("Domain"), value_header=_("Isian wajib terisi · jumlah objek"),
    )
    warnings = [w for _department, cells in table.rows for cell in cells for w in cell.warnings]
    return {"template": "architecture/_operator_completeness_panel.html", "chart": chart, "table": table,
            "warnings": warnings}


@register_panel(1, roles={Role.VERIFIER: 1})
def review_queue(request):
    """Objects waiting for verification, by OPD and age, oldest first."""
    return _queue_panel(request, ReviewStatus.SUBMITTED, "verifikasi")


@register_panel(1, roles={Role.ADMIN: 1})
def validation_queue(request):
    """Verified objects waiting for the koordinator's validation, oldest first, validated from here."""
    return _queue_panel(request, ReviewStatus.VERIFIED, "validasi")


def _queue_panel(request, status, kind):
    user = request.user
    per_department = queues.by_department(user, status)
    chart = None
    if per_department:
        items = [
            charts.Item(d.abbreviation, d.oldest_days,
                        _("%(n)d objek · terlama %(days)d hari") % {"n": d.count, "days": d.oldest_days},
                        key=d.abbreviation)
            for d in per_department
        ]
        chart = charts.bar_chart(
            f"antrean-{kind}", _("Antrean per OPD: umur objek terlama (hari)"), items,
            label_header=_("OPD"), value_header=_("Jumlah objek · umur terlama"),
        )
    return {
        "template": "architecture/_queue_panel.html",
        "kind": kind,
        "items": queues.queue(user, status, QUEUE_SHOWN),
        "total": sum(d.count for d in per_department),
        "chart": chart,
        "status": status,
    }


def heat_rows(table):
    """The heat map's rows: OPDs with objects, least complete first; and the OPDs without any object."""
    filled, empty = [], []
    for department, cells in table.rows:
        required = sum(c.required for c in cells)
        if not required:
            empty.append(department)
            continue
        overall = round(100 * sum(c.filled for c in cells) / required)
        filled.append((overall, department.abbreviation, department, cells))
    filled.sort(key=lambda row: (row[0], row[1]))
    rows = []
    for overall, _abbr, department, cells in filled:
        head = charts.Item(department.abbreviation, overall, _percent(overall), href=department.get_absolute_url(),
                           key=department.abbreviation)
        row = [charts.Item(label, cell.percent, f"{cell.count} · {_percent(cell.percent)}" if cell.count else "—")
               for label, cell in zip(table.labels, cells)]
        rows.append((head, row))
    return rows, empty


HEAT_LEGEND = (("heat-0", "0–24%"), ("heat-1", "25–49%"), ("heat-2", "50–74%"), ("heat-3", "75–99%"),
               ("heat-4", "100%"))


@register_panel(30, roles={Role.ADMIN: 10, Role.LEADER: 10, Role.VERIFIER: 30, Role.ASSESSOR: 30})
def completeness_panel(request):
    """OPD × domain heat map of the share of required fields filled, least complete OPD first."""
    if not permissions.can_anywhere(request.user, permissions.VIEW, BusinessProcess):
        return None
    table = completeness.table_for(request.user)
    rows, empty, chart = table.once("heat", lambda: heat_chart(table))
    return {"template": "architecture/_completeness_panel.html", "table": table, "chart": chart, "empty": empty,
            "filled_count": len(rows)}


def heat_chart(table) -> tuple:
    """(rows, OPDs without objects, the heat map or None) of a completeness table."""
    rows, empty = heat_rows(table)
    chart = None
    if rows:
        legend = list(HEAT_LEGEND) + [("heat-none", _("belum ada objek"))]
        chart = charts.heat_map(
            "kelengkapan", _("Kelengkapan isian wajib, OPD × domain"), [str(label) for label in table.labels], rows,
            legend=legend, label_header=_("OPD"),
        )
    return rows, empty, chart


@register_panel(40, roles={Role.LEADER: 20, Role.ADMIN: 30, Role.VERIFIER: 20})
def review_progress(request):
    """How far the review has come: objects per status in each domain, as stacked bars."""
    counts = queues.status_counts(request.user)
    if not any(sum(per_status.values()) for _model, per_status in counts):
        return None
    series = [charts.Series(status.label, STATUS_CSS[status.value]) for status in ReviewStatus]
    rows = [(str(group.label), [per_status[status.value] for status in ReviewStatus])
            for group, per_status in status_counts_by_group(counts)]
    chart = charts.stacked_bar_chart(
        "progres-review", _("Objek per status review"), series, rows, label_header=_("Domain"),
        total_header=_("Jumlah"),
    )
    return {"template": "architecture/_review_progress_panel.html", "chart": chart}


def status_counts_by_group(counts) -> list:
    """``queues.status_counts`` summed per kind group: [(KindGroup, {status: count})], groups in order."""
    groups: dict = {}
    for model, per_status in counts:
        group = group_of(model)
        total = groups.setdefault(group.slug, (group, dict.fromkeys(per_status, 0)))[1]
        for status, n in per_status.items():
            total[status] += n
    return sorted(groups.values(), key=lambda pair: (pair[0].order, pair[0].slug))


@register_object_panel(Department, 30)
def department_completeness(request, department):
    table = completeness.table_for(request.user, Department.objects.filter(pk=department.pk))
    return {"template": "architecture/_completeness_panel.html", "table": table, "single": True}
