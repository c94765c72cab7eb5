"""Home page panels of the evaluation: the index (named by its instrument: Indeks SPBE, Indeks Pemdi) with its
trend over the years of the same instrument and its predicate bands; for operators, the stage and dates of the
evaluation they work on."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sia.core import charts, permissions
from sia.core.dashboard import register_panel
from sia.core.roles import Role

from .framework_loader import LEVEL_MAX, LEVEL_MIN
from .frameworks import spec_for
from .models import Assessment
from .policies import can_see_evaluation
from .scoring import display
from .services import attach_levels, year_over_year
from .terms import menu_label, term

PANEL_SIZE = 3  # instansi shown (superusers and members of several instansi)


def _index_text(result) -> str:
    return number_format(result.index_display, result.display_places)


def _signed(change) -> str:
    text = number_format(display(abs(change)), 2)
    return f"+{text}" if change > 0 else (f"−{text}" if change < 0 else text)


def _bands(spec) -> list[charts.Band]:
    return [
        charts.Band(float(b.lower if b.lower is not None else LEVEL_MIN), float(b.upper if b.upper is not None else LEVEL_MAX),
                    b.name, f"band-{position}", b.text)
        for position, b in enumerate(sorted(spec.bands, key=lambda b: b.lower or 0))
    ]


def trend(columns) -> dict:
    """One instansi's years (``year_over_year`` columns) as a line over the predicate bands of the latest year."""
    latest = columns[-1]
    framework = latest.assessment.framework
    spec = spec_for(framework)
    index_name = term(framework, "index")
    # one line per instrument: another instrument's index is on another scale (shown as a note, never on the line)
    others = [c for c in columns if c.assessment.framework_id != framework.pk]
    columns = [c for c in columns if c.assessment.framework_id == framework.pk]
    points = []
    for column in columns:
        summary = column.summary
        note = f"{summary.result.predicate} · {summary.label}"
        if summary.provisional:
            note += " · " + _("sementara")
        points.append(charts.Item(str(column.assessment.year), float(summary.result.index), _index_text(summary.result),
                                  note=note))
    institution = latest.assessment.institution
    chart = charts.line_chart(
        f"indeks-{institution.pk}", _("%(index)s %(name)s per tahun") % {"index": index_name, "name": institution.name},
        points,
        low=LEVEL_MIN, high=LEVEL_MAX, bands=_bands(spec),
        ticks=[(level, str(level)) for level in range(LEVEL_MIN, LEVEL_MAX + 1)],
        label_header=_("Tahun"), value_header=_("Indeks"), band_header=_("Predikat · tahap"),
        note=_("Latar: rentang predikat menurut %(framework)s. Tiap tahun memakai tahap terakhir yang sudah berisi tingkat.")
        % {"framework": latest.assessment.framework.name},
    )
    earlier = [
        f"{term(c.assessment.framework, 'index')} {c.assessment.year}: {_index_text(c.summary.result)}" for c in others
    ]
    return {"institution": institution, "latest": latest, "index": _index_text(latest.summary.result),
            "index_name": index_name, "other_instrument": "; ".join(earlier),
            "change": _signed(latest.change) if latest.change is not None else None,
            "chart": chart, "bands": _bands(spec)}


@register_panel(40, roles={Role.ADMIN: 20, Role.LEADER: 30, Role.ASSESSOR: 10, Role.VERIFIER: 40})
def evaluation_panel(request):
    """The index of each instansi the user may see (up to three), its trend over the years and bands."""
    user = request.user
    if not can_see_evaluation(user):
        return None
    visible = permissions.visible(user, Assessment.objects.all())
    institution_ids = []
    for institution_id in visible.order_by("institution__name").values_list("institution_id", flat=True):
        if institution_id not in institution_ids:
            institution_ids.append(institution_id)
        if len(institution_ids) == PANEL_SIZE:
            break
    assessments = attach_levels(list(
        visible.filter(institution_id__in=institution_ids)
        .select_related("institution", "framework")
        .prefetch_related("locks")
        .order_by("institution__name", "year")
    ))
    by_institution: dict[int, list] = {}
    for assessment in assessments:
        by_institution.setdefault(assessment.institution_id, []).append(assessment)
    return {
        "template": "evaluation/_dashboard_panel.html",
        "title": menu_label(),  # as the menu: the index in force this year; each trend names its own index
        "trends": [trend(year_over_year(rows)) for rows in by_institution.values()],
    }


@register_panel(2, roles={Role.OPERATOR: 2})
def schedule_panel(request):
    """Tenggat: SIA has no deadline of its own yet; it shows the evaluations the operator works on, their
    current stage and the dates stages were closed."""
    visible = permissions.visible(request.user, Assessment.objects.all())
    assessments = list(
        visible.select_related("institution", "framework").prefetch_related("locks").order_by("-year")[:PANEL_SIZE]
    )
    return {"template": "evaluation/_schedule_panel.html", "assessments": assessments}
