"""The gap catalog: what must change between the as-is and the to-be architecture, derived from the objects of
every declared kind (DOMAIN.md §4). A to-be "new" object is a gap of kind *baru*; a to-be "upgrade", linked to
the as-is object it develops (``ArchitectureObject.upgrades``, required by ``clean``), a gap of kind
*pengembangan*; an as-is object marked for retirement (``retiring``) a gap of kind *penghentian*.

Plain functions: the page, the API and the roadmap read ``gap_catalog``; only objects the reader may see
(``sia.core.permissions.visible``), in one query whatever the number of kinds and objects (a ``UNION ALL`` of
identically shaped per-kind rows, as ``sia.architecture.queues``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.organizations.models import Department

from .choices import ArchitectureState
from .kindgroups import group_of, kind_groups, kind_label
from .queues import _instance, kind_key, kind_union, kind_value
from .registry import domain_models


class GapKind:
    NEW = "baru"
    UPGRADE = "pengembangan"
    RETIRE = "penghentian"
    LABELS = {NEW: _("Baru"), UPGRADE: _("Pengembangan"), RETIRE: _("Penghentian")}
    ORDER = (NEW, UPGRADE, RETIRE)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(key, cls.LABELS[key]) for key in cls.ORDER]


FIELDS = ("id", "code", "name", "state", "status", "department_id", "institution_id", "period", "retiring",
          "retire_year", "upgrades_id")
TARGET_COLUMNS = ("sia_target_code", "sia_target_name", "sia_target_status", "sia_target_department", "sia_target_opd",
                  "sia_target_opd_name")


@dataclass
class Gap:
    """One gap: its kind (``GapKind``), the object, and for an upgrade the as-is object it develops (None when the
    reader may not see it: ``upgrades_hidden``)."""

    kind: str
    obj: object
    upgrades: object = None
    upgrades_hidden: bool = False
    notes: list = field(default_factory=list)  # per registered annotator, its GapNotes (``annotate_gaps``)

    @property
    def label(self) -> str:
        return GapKind.LABELS[self.kind]

    @property
    def model(self):
        return type(self.obj)

    @property
    def kind_label(self) -> str:
        return kind_label(self.model)

    @property
    def group(self):
        return group_of(self.model)

    @property
    def year(self) -> int | None:
        """The year the gap is planned for, where the object says it (a retirement's year)."""
        return self.obj.retire_year


@dataclass
class GapCount:
    """How many gaps of each kind one OPD has in one domain (kind group)."""

    department: object
    group: object
    counts: dict = field(default_factory=lambda: dict.fromkeys(GapKind.ORDER, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts[kind] for kind in GapKind.ORDER]


GAP_Q = {
    GapKind.NEW: Q(state=ArchitectureState.TO_BE_NEW),
    GapKind.UPGRADE: Q(state=ArchitectureState.TO_BE_UPGRADE),
    GapKind.RETIRE: Q(state=ArchitectureState.AS_IS, retiring=True),
}
STATE_KIND = {ArchitectureState.TO_BE_NEW: GapKind.NEW, ArchitectureState.TO_BE_UPGRADE: GapKind.UPGRADE,
              ArchitectureState.AS_IS: GapKind.RETIRE}


class CatalogError(ValueError):
    """A filter that names nothing known: ``field`` is the parameter, the message says what is accepted."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def group_models(group: str | None) -> list:
    """The kinds of the kind group ``group`` (its slug), or every kind; ``CatalogError`` for an unknown slug."""
    if not group:
        return domain_models()
    for found, kinds in kind_groups():
        if found.slug == group:
            return kinds
    raise CatalogError("group", _("Domain tidak dikenal; pilih salah satu: %(slugs)s.") % {
        "slugs": ", ".join(g.slug for g, _kinds in kind_groups())})


def gap_catalog(user, institution, department=None, group=None, kind=None) -> list[Gap]:
    """The gaps of ``institution`` (an Institution or its pk) the user may see, optionally of one OPD
    (``department``: a Department or its pk), one domain (``group``: a kind group's slug) and one kind of gap
    (``kind``: a ``GapKind``), ordered by OPD, domain, kind of gap and ID. One query."""
    institution_id = getattr(institution, "pk", institution)
    department_id = getattr(department, "pk", department)
    if kind and kind not in GapKind.LABELS:
        raise CatalogError("kind", _("Jenis kesenjangan tidak dikenal; pilih salah satu: %(kinds)s.") % {
            "kinds": ", ".join(GapKind.ORDER)})
    models = {kind_key(model): model for model in group_models(group)}
    wanted = GAP_Q[kind] if kind else GAP_Q[GapKind.NEW] | GAP_Q[GapKind.UPGRADE] | GAP_Q[GapKind.RETIRE]
    parts = []
    for model in models.values():
        queryset = permissions.visible(user, model).filter(wanted, institution_id=institution_id)
        if department_id is not None:
            queryset = queryset.filter(department_id=department_id)
        parts.append(queryset.annotate(
            sia_kind=kind_value(model),
            # Upgrades' own codes and names share one column type across kinds (CharField lengths differ).
            sia_target_code=Cast("upgrades__code", CharField()), sia_target_name=Cast("upgrades__name", CharField()),
            sia_target_status=Cast("upgrades__status", CharField()),
            sia_target_department=Cast("upgrades__department_id", IntegerField()),
            sia_target_opd=Cast("upgrades__department__abbreviation", CharField()),
            sia_target_opd_name=Cast("upgrades__department__name", CharField()),
        ).values("sia_kind", *FIELDS, *TARGET_COLUMNS, "department__abbreviation", "department__name"))
    rows = kind_union(parts)
    scopes = {}
    gaps = []
    for row in rows:
        model = models[row["sia_kind"]]
        obj = _instance(model, {name: row[name] for name in FIELDS})
        obj.department = _instance(Department, {"id": row["department_id"], "name": row["department__name"],
                                                "abbreviation": row["department__abbreviation"],
                                                "institution_id": row["institution_id"]})
        gap = Gap(STATE_KIND[obj.state], obj)
        if obj.upgrades_id is not None:
            if model not in scopes:
                scopes[model] = permissions.policy_for(model).view_scope(user, institution_id)
            if scopes[model].admits(row["sia_target_department"], row["sia_target_status"]):
                gap.upgrades = _instance(model, {"id": obj.upgrades_id, "code": row["sia_target_code"],
                                                 "name": row["sia_target_name"], "status": row["sia_target_status"],
                                                 "department_id": row["sia_target_department"],
                                                 "institution_id": institution_id,
                                                 "state": ArchitectureState.AS_IS})
                gap.upgrades.department = _instance(Department, {
                    "id": row["sia_target_department"], "abbreviation": row["sia_target_opd"],
                    "name": row["sia_target_opd_name"], "institution_id": institution_id})
            else:
                gap.upgrades_hidden = True
        gaps.append(gap)
    return sorted(gaps, key=_order)


def _order(gap: Gap):
    return (gap.obj.department.name or "", gap.group.order, gap.group.slug, GapKind.ORDER.index(gap.kind),
            gap.model.spec.order, gap.obj.code, gap.obj.pk)


def counts(gaps: list[Gap]) -> list[GapCount]:
    """The gaps counted per OPD and domain (kind group), in the catalog's order (no query)."""
    found: dict = {}
    for gap in gaps:
        key = (gap.obj.department_id, gap.group.slug)
        if key not in found:
            found[key] = GapCount(gap.obj.department, gap.group)
        found[key].counts[gap.kind] += 1
    return list(found.values())


def totals(gaps: list[Gap]) -> dict:
    """{gap kind: how many} over ``gaps``, every kind present."""
    result = dict.fromkeys(GapKind.ORDER, 0)
    for gap in gaps:
        result[gap.kind] += 1
    return result


def institutions_for(user):
    """The active instansi whose architecture the user reads (all for a superuser), by name."""
    return permissions.readable_institutions(user, domain_models()[0])


def departments_of(user, institution) -> list:
    """The OPDs of ``institution`` the user may see, by name (the OPD filter's choices)."""
    return list(permissions.visible(user, Department).filter(institution=institution).order_by("name"))


# --- annotations by apps above architecture --------------------------------------------------------------------


@dataclass(frozen=True)
class GapNote:
    """What an app above architecture says of one gap on the catalog page: a text, optionally linked; a warning
    is shown as one."""

    text: str
    href: str = ""
    warning: bool = False


@dataclass(frozen=True)
class GapAnnotator:
    """A column of the gap catalog page that an app above architecture fills (the roadmap: the kegiatan closing
    each gap). ``annotate(user, institution, gaps)`` answers {(model, pk): [GapNote, ...]} for the gaps it has
    something to say of, in a constant number of queries (never one per gap)."""

    key: str
    label: str
    annotate: Callable
    order: int = 100


_annotators: list[GapAnnotator] = []


def register_gap_annotator(annotator: GapAnnotator) -> None:
    """Called from an upper app's ``AppConfig.ready()``; a key registered again replaces the earlier one."""
    _annotators[:] = [a for a in _annotators if a.key != annotator.key] + [annotator]
    _annotators.sort(key=lambda a: (a.order, a.key))


def gap_annotators() -> list[GapAnnotator]:
    return list(_annotators)


def annotate_gaps(user, institution, gaps: list[Gap]) -> list[GapAnnotator]:
    """Asks every registered annotator about ``gaps`` and puts its notes in each gap's ``notes`` (one list per
    annotator, in the order returned, empty where it has nothing to say); returns the annotators (the columns)."""
    annotators = gap_annotators()
    for gap in gaps:
        gap.notes = []
    for annotator in annotators:
        found = annotator.annotate(user, institution, gaps) if gaps else {}
        for gap in gaps:
            gap.notes.append(found.get((gap.model, gap.obj.pk), []))
    return annotators
