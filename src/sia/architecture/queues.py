"""What waits for whom in the review workflow: queues in one order (oldest first), the item after a
given one, returned items with the reviewer's comment, drafts and the counts per status.

Plain functions over every declared domain. What the home pages and "Perlu tindakan" read (queues, counts
per status, per OPD, per kind) costs one query each, however many kinds, objects or OPDs there are: the
kinds' rows come in one ``UNION ALL`` of identically shaped ``values()`` (``kind_union``), each part
labelled with its kind; ``item_after`` (one object's page) reads each kind. The home page panels, the
"next item" after a review action and the tests all read the same order from here.

The queues hold the architecture domains and the kinds an upper app registers (``register_reviewed_kind``, in
its ``ready()``: the roadmap's kegiatan), which go through the same workflow (``sia.architecture.workflow``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case, CharField, Count, Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Value, When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core import compiled, permissions
from sia.core.roles import Role
from sia.organizations.models import Department, MentorAssignment

from . import kept
from .choices import ReviewStatus
from .models import ReviewEvent
from .registry import domain_models

A = ReviewEvent.Action
# When an object moved to its status: its ``status_since``, kept by the workflow with the time of the review event
# that set the status, read from the (instansi, status, since, ID) index.
ENTERED = F("status_since")


@dataclass(frozen=True)
class ReviewedKind:
    """A model outside the architecture domains whose objects go through the architecture's review workflow and
    wait in its queues. It has the columns the queues read (``QUEUE_FIELDS``: ``code``, ``name``, ``status``,
    ``department``, ``institution``, ``updated``), is registered with the permission module, and has the pages
    ``<namespace>:<model_name>_list`` (``?status=``), ``_edit`` and ``_action`` (``DomainActionView``)."""

    model: type
    order: int  # its place among the domains (``DomainSpec.order``)
    namespace: str  # the URL namespace of its pages


_reviewed_kinds: dict[type, ReviewedKind] = {}


def register_reviewed_kind(model, *, order: int, namespace: str) -> None:
    """Puts ``model`` in the review queues ("Perlu tindakan", the home page's panels, the next item after a review
    action); an upper app calls it in its ``ready()``."""
    _reviewed_kinds[model] = ReviewedKind(model, order, namespace)
    kept.watch(model)  # its saves change the queues kept between requests


def queue_models() -> list:
    """The models the review queues hold: the architecture domains and the registered kinds, in order."""
    return sorted([*domain_models(), *_reviewed_kinds], key=kind_order)


def kind_order(model) -> int:
    kind = _reviewed_kinds.get(model)
    return kind.order if kind is not None else model.spec.order


def queue_label(model, plural: bool = False) -> str:
    """How the queues name a kind: a domain's menu label, else the model's name."""
    spec = getattr(model, "spec", None) if model not in _reviewed_kinds else None
    if spec is not None and spec.menu_label:
        return spec.menu_label
    return model._meta.verbose_name_plural if plural else model._meta.verbose_name


def kind_url(model, page: str, *args) -> str:
    """The URL of a kind's page (``list``, ``edit``, ``action``)."""
    kind = _reviewed_kinds.get(model)
    namespace = kind.namespace if kind is not None else "architecture"
    return reverse(f"{namespace}:{model._meta.model_name}_{page}", args=args)


FROM_QUEUE = "antrean"  # ?antrean=1: the page was opened from a review queue


def queue_url(obj) -> str:
    """An object's page opened from its review queue: there "next item" is ticked."""
    return f"{obj.get_absolute_url()}?{FROM_QUEUE}=1#review"


@dataclass
class QueueItem:
    """An object waiting in a status since ``entered`` (when it last moved there)."""

    obj: object
    entered: datetime
    comment: str = ""  # the latest return comment (returned items)
    commented_by: object = None

    @property
    def age_days(self) -> int:
        return max(0, (timezone.now() - self.entered).days)

    @property
    def domain_label(self) -> str:
        return queue_label(type(self.obj))

    @property
    def edit_url(self) -> str:
        return kind_url(type(self.obj), "edit", self.obj.pk)

    @property
    def queue_url(self) -> str:
        return queue_url(self.obj)

    @property
    def action_url(self) -> str:
        return kind_url(type(self.obj), "action", self.obj.pk)


@dataclass
class DepartmentQueue:
    """How many items of one OPD wait, and since when the oldest does."""

    department_id: int
    abbreviation: str
    name: str
    count: int
    oldest: datetime
    mentored: bool = False  # an OPD the reader mentors

    @property
    def oldest_days(self) -> int:
        return max(0, (timezone.now() - self.oldest).days)


def operator_departments(user) -> list[int] | None:
    """The OPDs whose work an operator's queues hold; None when the user reviews the whole instansi."""
    roles = permissions.roles_of(user)
    if user.is_superuser or Role.ADMIN in roles or Role.OPERATOR not in roles:
        return None
    return [g.department_id for g in permissions.grants(user) if g.role == Role.OPERATOR and g.department_id]


def waiting(user, model, status, own_only: bool = False, base=None):
    """The user's visible objects of ``model`` (or of ``base``) in ``status``, annotated with ``entered``,
    when they last moved there; ``own_only`` keeps an operator's own OPDs."""
    base = model.objects.all() if base is None else base
    queryset = permissions.visible(user, base.filter(status=status)).annotate(entered=ENTERED)
    if own_only:
        departments = operator_departments(user)
        if departments is not None:
            queryset = queryset.filter(department_id__in=departments)
    return queryset


def mentor_rank(user):
    """0 for an object of an OPD ``user`` mentors, 1 for the others: a verifikator's queues list their OPDs first.
    An expression on the object's ``department_id`` (a correlated ``EXISTS``), so no query of its own; a constant
    for users without the verifikator role."""
    if not getattr(user, "is_authenticated", False) or Role.VERIFIER not in permissions.roles_of(user):
        return Value(1, output_field=IntegerField())
    mine = MentorAssignment.objects.filter(department_id=OuterRef("department_id"), mentor_id=user.pk)
    return Case(When(Exists(mine), then=Value(0)), default=Value(1), output_field=IntegerField())


def kind_key(model) -> str:
    """The label that names a kind in the rows of a ``kind_union``: "architecture.businessprocess"."""
    return model._meta.label_lower


def kind_value(model) -> Value:
    return Value(kind_key(model), output_field=CharField())


def kind_union(querysets):
    """One ``UNION ALL`` of per-kind ``values()`` querysets of identical shape (one query, none when every
    part is empty); each part is unordered and its rows carry their ``sia_kind`` (``kind_value``)."""
    parts = [queryset.order_by() for queryset in querysets]
    if not parts:
        return []
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _order_key(obj):
    return (getattr(obj, "sia_rank", 1), obj.entered, kind_order(type(obj)), obj.pk)


QUEUE_FIELDS = ("id", "code", "name", "status", "department_id", "institution_id", "updated")


def keep(name: str, user, params: tuple, compute):
    """``compute()`` kept between requests (``sia.architecture.kept``) when the reader's rows and order follow from
    their grants alone: not for a verifikator, whose mentored OPDs come first. Also for what a page makes of the
    queues ("Perlu tindakan"'s lines), ``params`` naming whatever else that is made of."""
    if isinstance(mentor_rank(user), Value):
        kinds = tuple(kind_key(model) for model in queue_models())
        return kept.kept(name, user, queue_models(), (kinds, *params), compute)
    return compute()


def keep_kinds(name: str, user, models, params: tuple, compute) -> dict:
    """``{kind_key: figure}`` of every kind of ``models``, each kept between requests under its kind's part of the
    generation (``kept.kept_kinds``: after a change, ``compute(stale models)`` reads only the kinds it touched),
    when the reader's rows and order follow from their grants alone (as ``keep``); else computed now."""
    if isinstance(mentor_rank(user), Value):
        return kept.kept_kinds(name, user, models, params, compute)
    return compute(list(models))


def _sql_key(name: str, user, params: tuple, models=None):
    """The key of a queue's SQL compiled once (``sia.core.compiled``), or None where it is read as built: the
    SQL follows from the kinds (``models``, default every kind of the queues), ``params`` and the reader's grants,
    and for a verifikator from their user ID too (``mentor_rank``'s ``EXISTS`` names it; which OPDs they mentor is
    read by the query each time, so the SQL of one verifikator serves each of their reads, never another reader's)."""
    models = queue_models() if models is None else models
    reader = ("mentor", user.pk) if not isinstance(mentor_rank(user), Value) else ()
    return kept.sql_key(name, user, models, (tuple(kind_key(model) for model in models), *params, *reader))


def queue(user, status, limit: int, own_only: bool = False) -> list[QueueItem]:
    """The first ``limit`` objects waiting in ``status``, oldest first across domains, a verifikator's mentored OPDs
    before the others (``mentor_rank``): the first ``limit`` of each kind (one query for the kinds read now, none
    for the kinds kept: ``keep_kinds``), merged. The objects carry the fields the queues show (code, name, OPD,
    ``mentored``); others load when read."""
    models = {kind_key(model): model for model in queue_models()}
    per_kind = keep_kinds("queue", user, list(models.values()), (str(status), limit, own_only),
                          lambda stale: _waiting_rows(user, status, limit, own_only, stale, totals=False))
    rows = sorted((row for kind in models for row in per_kind[kind][0]),
                  key=lambda row: (row["sia_rank"], row["entered"], kind_order(models[row["sia_kind"]]), row["id"]))
    departments: dict = {}
    return [QueueItem(obj, obj.entered) for obj in (_queued(models, row, departments) for row in rows[:limit])]


def waiting_by_kind(user, status, limit: int, own_only: bool = False,
                    models: list | None = None) -> list[tuple[object, list, int]]:
    """[(domain model, its first ``limit`` objects waiting in ``status``, how many wait)] for the kinds with
    objects waiting, in domain order, each kind's objects oldest first. At most two queries, however many
    kinds: the objects (per kind, the IDs of its first ``limit`` in an uncorrelated ``IN (... LIMIT)``, so
    each kind's order is a top-N sort and ``entered`` is read again only for the rows shown), then the
    totals of the kinds with ``limit`` objects shown (the others' total is what is shown). ``models``: only those
    kinds (their objects are built; the rows of every kind are read or kept alike)."""
    by_kind = {kind_key(model): model for model in queue_models()}
    per_kind = keep_kinds("waiting_by_kind", user, list(by_kind.values()), (str(status), limit, own_only),
                          lambda stale: _waiting_rows(user, status, limit, own_only, stale))
    wanted = None if models is None else {kind_key(model) for model in models}
    departments: dict = {}
    found = {kind: ([_queued(by_kind, row, departments) for row in rows], total)
             for kind, (rows, total) in per_kind.items() if rows and (wanted is None or kind in wanted)}
    return [
        (model, sorted(found[kind][0], key=lambda obj: (not obj.mentored, obj.entered, obj.pk)), found[kind][1])
        for kind, model in by_kind.items() if kind in found
    ]


def _waiting_rows(user, status, limit: int, own_only: bool, models: list, totals: bool = True) -> dict:
    """``{kind: (its first ``limit`` rows, how many wait)}`` of each kind of ``models`` (without ``totals``: the
    number of rows): one query, and one more for the totals of the kinds with ``limit`` rows."""
    rank = mentor_rank(user)

    def build():
        return kind_union(part for model in models
                          for part in _first_waiting(user, model, status, limit, own_only, rank))

    found: dict[str, list] = {kind_key(model): [] for model in models}
    for row in compiled.rows(_sql_key("waiting", user, (str(status), limit, own_only), models), build):
        found[row["sia_kind"]].append(row)
    counts = {kind: len(rows) for kind, rows in found.items()}
    for kind, rows in found.items():  # a verifikator's two parts (mentored OPDs, the others): the first of both
        rows.sort(key=lambda row: (row["sia_rank"], row["entered"], row["id"]))
        del rows[limit:]
    full = [model for model in models if counts[kind_key(model)] >= limit]
    if totals and full:
        for row in compiled.rows(_sql_key("waiting_totals", user, (str(status), own_only), full),
                                 lambda: _totals_query(user, status, own_only, full)):
            counts[row["sia_kind"]] = row["n"]
    return {kind: (rows, counts[kind]) for kind, rows in found.items()}


def _first_waiting(user, model, status, limit: int, own_only: bool, rank) -> list:
    """The first ``limit`` objects of ``model`` waiting in ``status`` (``waiting_by_kind``), with ``entered``: read
    in the order of the (instansi, status, since, ID) index. For a verifikator two parts, the first ``limit`` of the
    OPDs they mentor and the first of the others (each in the index's order, not a sort of the whole queue by rank);
    ``_waiting_rows`` keeps the first ``limit`` of both."""
    waiting_ = waiting(user, model, status, own_only)
    if isinstance(rank, Value):
        parts = [(waiting_, rank)]
    else:
        mentored = MentorAssignment.objects.filter(mentor_id=user.pk).values("department_id")
        parts = [(waiting_.filter(department_id__in=mentored), Value(0, output_field=IntegerField())),
                 (waiting_.exclude(department_id__in=mentored), Value(1, output_field=IntegerField()))]
    return [
        model.objects.filter(pk__in=Subquery(part.order_by("entered", "pk").values("pk")[:limit]))
        .annotate(entered=ENTERED, sia_kind=kind_value(model), sia_rank=part_rank)
        .values("sia_kind", "sia_rank", "entered", *QUEUE_FIELDS, "department__abbreviation", "department__name")
        for part, part_rank in parts
    ]


def _totals_query(user, status, own_only: bool, models: list):
    """How many objects of each of ``models`` wait in ``status`` (one ``UNION ALL``)."""
    counted = []
    for model in models:
        queryset = permissions.visible(user, model.objects.filter(status=status))
        if own_only and (departments := operator_departments(user)) is not None:
            queryset = queryset.filter(department_id__in=departments)
        counted.append(queryset.annotate(sia_kind=kind_value(model)).values("sia_kind").annotate(n=Count("pk")))
    return kind_union(counted)


def _queued(models: dict, row: dict, departments: dict):
    """The object of a queue row (``QUEUE_FIELDS``, its OPD's abbreviation and name, ``entered``); ``departments``:
    the OPDs made so far for the rows of one read, by ID (the rows of one OPD share its instance)."""
    obj = _instance(models[row["sia_kind"]], {name: row[name] for name in QUEUE_FIELDS})
    if row["department_id"] is not None:
        department = departments.get(row["department_id"])
        if department is None:
            department = departments[row["department_id"]] = _instance(Department, {
                "id": row["department_id"], "abbreviation": row["department__abbreviation"],
                "name": row["department__name"],
            })
        obj.department = department
    obj.entered = row["entered"]
    obj.mentored = row.get("sia_rank") == 0
    return obj


def _instance(model, values: dict):
    """A model instance from some of its columns (``{attname: value}``); the other fields load when read."""
    names = _attnames(model, tuple(values))
    return model.from_db(model.objects.db, names, [values[name] for name in names])


@functools.lru_cache(maxsize=256)
def _attnames(model, keys: tuple) -> list[str]:
    """The columns of ``model`` among ``keys``, in the model's order (what ``from_db`` takes)."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in keys]


def by_department(user, status, own_only: bool = False) -> list[DepartmentQueue]:
    """Per OPD: how many wait in ``status`` and since when the oldest; the OPDs the reader mentors first, then
    oldest first (one query, or none: kept between requests, ``keep``)."""
    models = queue_models()
    per_kind = keep_kinds("by_department", user, models, (str(status), own_only),
                          lambda stale: _by_department(user, status, own_only, stale))
    return _merged([row for model in models for row in per_kind[kind_key(model)]])


def _by_department(user, status, own_only: bool, models: list) -> dict[str, list[dict]]:
    """``{kind: its rows per OPD}`` (how many wait, the oldest) of each kind of ``models``: one query."""
    rank = mentor_rank(user)
    found: dict[str, list] = {kind_key(model): [] for model in models}
    rows = compiled.rows(_sql_key("by_department", user, (str(status), own_only), models), lambda: kind_union(
        waiting(user, model, status, own_only).annotate(sia_rank=rank, sia_kind=kind_value(model))
        .values("sia_kind", "department_id", "department__abbreviation", "department__name", "sia_rank")
        .annotate(n=Count("pk"), oldest=Min("entered"))
        for model in models
    ))
    for row in rows:
        found[row["sia_kind"]].append(row)
    return found


def _merged(rows: list[dict]) -> list[DepartmentQueue]:
    """The rows of ``_by_department`` summed per OPD: the OPDs the reader mentors first, then oldest first."""
    merged: dict[int, DepartmentQueue] = {}
    for row in rows:
        current = merged.get(row["department_id"])
        if current is None:
            merged[row["department_id"]] = DepartmentQueue(
                row["department_id"], row["department__abbreviation"], row["department__name"], row["n"],
                row["oldest"], row["sia_rank"] == 0,
            )
        else:
            current.count += row["n"]
            current.oldest = min(current.oldest, row["oldest"])
    return sorted(merged.values(), key=lambda d: (not d.mentored, d.oldest, d.abbreviation))


def item_after(user, status, obj):
    """The object that follows ``obj`` in the queue of ``status`` (the home page's order: a verifikator's mentored
    OPDs first), or the first one still waiting when nothing follows; None when the queue is empty. ``obj`` itself
    has usually just left the queue: its place is its rank and the time it entered the status."""
    entered, order = _entered_at(obj, status), kind_order(type(obj))
    rank = mentor_rank(user)
    own_rank = 1
    if not isinstance(rank, Value) and getattr(obj, "department_id", None) is not None:
        own_rank = 0 if MentorAssignment.objects.filter(department_id=obj.department_id, mentor_id=user.pk).exists() else 1
    after, first = None, None
    for model in queue_models():
        candidates = waiting(user, model, status, own_only=False).annotate(sia_rank=rank).order_by(
            "sia_rank", "entered", "pk")
        if kind_order(model) < order:
            later = Q(entered__gt=entered)
        elif kind_order(model) == order:
            candidates = candidates.exclude(pk=obj.pk)
            later = Q(entered__gt=entered) | Q(entered=entered, pk__gt=obj.pk)
        else:
            later = Q(entered__gte=entered)
        first = _earliest(first, candidates.first())
        after = _earliest(after, candidates.filter(Q(sia_rank__gt=own_rank) | (Q(sia_rank=own_rank) & later)).first())
    return after or first


def _earliest(current, candidate):
    if candidate is None:
        return current
    return candidate if current is None or _order_key(candidate) < _order_key(current) else current


def _entered_at(obj, status) -> datetime:
    event = (
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, to_status=status
        ).order_by("-created").values_list("created", flat=True).first()
    )
    return event or obj.updated


def returned_with_comments(user, limit: int) -> list[QueueItem]:
    """The user's returned objects, oldest return first, each with the latest return comment (one more query)."""
    items = queue(user, ReviewStatus.RETURNED, limit, own_only=True)
    if not items:
        return items
    by_type: dict[int, list[int]] = {}
    for item in items:
        by_type.setdefault(ContentType.objects.get_for_model(type(item.obj)).pk, []).append(item.obj.pk)
    wanted = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        wanted |= Q(content_type_id=content_type_id, object_id__in=ids)
    latest = {}
    for event in ReviewEvent.objects.filter(wanted, action=A.RETURN).select_related("user").order_by("created", "pk"):
        latest[(event.content_type_id, event.object_id)] = event
    for item in items:
        event = latest.get((ContentType.objects.get_for_model(type(item.obj)).pk, item.obj.pk))
        if event is not None:
            item.comment, item.commented_by = event.comment, event.user
    return items


def countwaiting(user, status, own_only: bool = False) -> int:
    return sum(d.count for d in by_department(user, status, own_only))


def status_counts(user, departments=None, models=None) -> list[tuple[object, dict[str, int]]]:
    """[(domain model, {status: count})] of the objects the user sees (one grouped query); ``models``: those kinds
    (e.g. ``queue_models()``) instead of the domains."""
    models = domain_models() if models is None else models
    departments = None if departments is None else tuple(departments)
    counts = keep_kinds("status_counts", user, models, (departments,),
                        lambda stale: _status_counts(user, departments, stale))
    return [(model, dict(counts[kind_key(model)])) for model in models]


def _status_counts(user, departments, models) -> dict[str, dict[str, int]]:
    """``{kind: {status: count}}`` of each kind of ``models``: one query."""
    def build():
        parts = []
        for model in models:
            queryset = permissions.visible(user, model.objects.all())
            if departments is not None:
                queryset = queryset.filter(department_id__in=departments)
            parts.append(queryset.annotate(sia_kind=kind_value(model)).values("sia_kind", "status").annotate(n=Count("pk")))
        return kind_union(parts)

    kinds = tuple(kind_key(model) for model in models)
    key = kept.sql_key("status_counts", user, models, (departments, kinds))  # no rank: any reader's rows by grants
    counts = {kind_key(model): {status.value: 0 for status in ReviewStatus} for model in models}
    for row in compiled.rows(key, build):
        if row["status"] in counts[row["sia_kind"]]:
            counts[row["sia_kind"]][row["status"]] += row["n"]
    return counts


def needs_action_queues(user) -> list[tuple[str, str, bool]]:
    """The queues the "Perlu tindakan" page shows ``user``, by role: (heading, status, own OPDs only)."""
    roles = set(Role) if user.is_superuser else permissions.roles_of(user)
    wanted = []
    if Role.OPERATOR in roles or Role.ADMIN in roles:
        wanted.append((_("Dikembalikan untuk diperbaiki"), ReviewStatus.RETURNED, True))
        wanted.append((_("Draf yang belum diajukan"), ReviewStatus.DRAFT, True))
    if Role.VERIFIER in roles or Role.ADMIN in roles:
        wanted.append((_("Menunggu verifikasi"), ReviewStatus.SUBMITTED, False))
    if Role.ADMIN in roles:
        wanted.append((_("Menunggu validasi"), ReviewStatus.VERIFIED, False))
    return wanted
