"""Candidate duplicate applications of one instansi, and the applications similar to a new one.

The score and the index that finds alike pairs are ``sia.portfolio.similarity``. Here: the candidates of
an instansi (pairs of applications of two OPDs at or above the threshold, pairs marked “not a duplicate”
left out for good, local applications that duplicate a national shared one: value list
"aplikasi-umum-nasional", whose names carry acronym and expansion), grouped into clusters, with their
reasons; the applications similar to a new one (``similar_applications``); and the “not a duplicate”
mark itself (``dismiss``: a pair, or a local application against a national one), its list
(``dismissals``) and its undoing (``undo_dismissal``). A fixed number of queries each, whatever the
number of applications.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from sia.architecture.models import Application, BusinessProcess, ValueListItem
from sia.core import permissions
from sia.reference.models import ReferenceNode

from .models import DuplicateDismissal
from .similarity import (  # noqa: F401 (THRESHOLD, SIMILAR_THRESHOLD re-exported for callers)
    SIMILAR_THRESHOLD,
    THRESHOLD,
    Portfolio,
    Profile,
    paused_gc,
    add_process,
)
from .text import weight_factor


@dataclass
class Match:
    """An existing application, or a national shared one, that resembles a given application."""

    application: Application | None
    national: ValueListItem | None
    score: float
    reasons: list[str]


@dataclass
class Candidate:
    """A pair of applications of two OPDs that may be one application twice (``first_id < second_id``),
    or (``second_id`` None) a local application that duplicates the ``national`` shared one.

    ``group`` numbers the cluster of applications linked by candidate pairs (1 holds the best pair);
    ``first`` and ``second`` are the applications once ``attach`` has read them."""

    first_id: int
    second_id: int | None
    score: float
    reasons: list[str]
    national_id: int | None = None
    national_name: str = ""
    departments: tuple = ()
    group: int = 0
    first: Application | None = None
    second: Application | None = None
    national: ValueListItem | None = None
    source: tuple | None = field(default=None, repr=False, compare=False)  # (portfolio, a, b) for ``attach``

    @property
    def key(self) -> str:
        return f"{self.first_id}-{self.second_id}" if self.second_id else f"{self.first_id}-n{self.national_id}"


# --- what other modules call ----------------------------------------------------------------------
def similar_applications(
    institution_id, *, name, function="", reference_id=None, process_ids=(), exclude_pk=None, limit=10, user=None,
    threshold=SIMILAR_THRESHOLD, portfolio: Portfolio | None = None,
) -> list[Match]:
    """The existing applications of the instansi and the national shared applications that resemble
    an application described by ``name``, ``function``, its RAA node and the processes it supports
    (a new one being written, or ``exclude_pk`` itself), best first.

    ``user`` given: only applications that user may see. Applications of the same OPD count too (a
    new application may duplicate one of its own OPD). A fixed number of queries.
    """
    with paused_gc():
        return _similar_applications(institution_id, name, function, reference_id, process_ids, exclude_pk, limit, user,
                                     threshold, portfolio)


def _similar_applications(institution_id, name, function, reference_id, process_ids, exclude_pk, limit, user,
                          threshold, portfolio):
    portfolio = portfolio or Portfolio(institution_id)
    processes: dict = {}
    process_ids = [pk for pk in process_ids or () if pk not in (None, "")]
    if process_ids:
        for pk, process_name, rab_code, rab_name in BusinessProcess.objects.filter(
            institution_id=institution_id, pk__in=process_ids
        ).values_list("pk", "name", "reference__code", "reference__name"):
            add_process(processes, pk, process_name, rab_code, rab_name)
    raa_code = raa_name = ""
    if reference_id:
        node = ReferenceNode.objects.filter(pk=reference_id).values_list("code", "name").first()
        if node:
            raa_code, raa_name = node
    draft = portfolio.total(Profile(
        key=exclude_pk, name=str(name or ""), department_id=None, name_terms=portfolio.vocabulary.terms(name),
        function_terms=portfolio.vocabulary.terms(function), processes=processes, raa_code=raa_code, raa_name=raa_name,
    ))
    if not draft.name_terms and not draft.function_terms and not draft.processes:
        return []
    shown = None
    if user is not None:
        shown = set(permissions.visible(user, Application.objects.filter(institution_id=institution_id)).values_list(
            "pk", flat=True))
    scored = []
    for other in portfolio.candidates_for(draft, exclude=exclude_pk):
        if shown is None or other.key in shown:
            value = portfolio.value(draft, other)
            if value >= threshold:
                scored.append((value, other.key, other))
    for national in portfolio.nationals:
        value = portfolio.value(draft, national)
        if value >= threshold:
            scored.append((value, f"n{national.key}", national))
    scored.sort(key=lambda row: (-row[0], str(row[1])))
    scored = scored[:limit]
    app_ids = [key for _v, key, _p in scored if not str(key).startswith("n")]
    applications = Application.objects.filter(pk__in=app_ids).select_related("department").in_bulk() if app_ids else {}
    national_ids = [int(str(key)[1:]) for _v, key, _p in scored if str(key).startswith("n")]
    nationals = ValueListItem.objects.in_bulk(national_ids) if national_ids else {}
    matches = []
    for value, key, other in scored:
        reasons = portfolio.score(draft, other)[1]
        if str(key).startswith("n"):
            matches.append(Match(None, nationals[int(str(key)[1:])], round(value, 3), reasons))
        elif key in applications:
            matches.append(Match(applications[key], None, round(value, 3), reasons))
    return matches


def duplicate_candidates(
    institution_id, user=None, *, department_id=None, threshold=THRESHOLD, nationals=True, attach_objects=True,
    portfolio: Portfolio | None = None,
) -> list[Candidate]:
    """The candidate duplicates of one instansi, best first: pairs of applications of two OPDs scoring
    at least ``threshold`` (pairs marked “not a duplicate” left out for good; two implementations of the
    same national shared application are no duplicate), then, with ``nationals``, local applications
    that duplicate a national shared application.

    ``user`` given: only pairs whose applications that user may see both. ``department_id``: only pairs
    with an application of that OPD. ``attach_objects=False`` leaves ``first``/``second``/``national``
    unread and ``reasons`` unwritten, for a caller that pages first (``attach``: thousands of candidates
    are found in well under a second, their reasons in sentences would take longer). A fixed number of
    queries.
    """
    with paused_gc():
        return _duplicate_candidates(institution_id, user, department_id, threshold, nationals, attach_objects,
                                     portfolio)


def _duplicate_candidates(institution_id, user, department_id, threshold, nationals, attach_objects, portfolio):
    portfolio = portfolio or Portfolio(institution_id)
    dismissed, dismissed_nationals = set(), set()
    for first_id, second_id, national_id in DuplicateDismissal.objects.filter(
        institution_id=institution_id
    ).values_list("first_id", "second_id", "national_id"):
        if second_id:
            dismissed.add((first_id, second_id))
        else:
            dismissed_nationals.add((first_id, national_id))
    shown = None
    if user is not None:
        shown = set(permissions.visible(user, Application.objects.filter(institution_id=institution_id)).values_list(
            "pk", flat=True))

    def wanted(*profiles_) -> bool:
        if shown is not None and any(p.key not in shown for p in profiles_):
            return False
        return department_id is None or any(p.department_id == department_id for p in profiles_)

    def keep(a: Profile, b: Profile) -> bool:
        if a.national_id and a.national_id == b.national_id:
            return False  # two OPDs using the same national shared application
        return (a.key, b.key) not in dismissed and wanted(a, b)

    found = [
        Candidate(a.key, b.key, round(value, 3), [], departments=(a.department_id, b.department_id),
                  source=(portfolio, a, b))
        for a, b, value in portfolio.scored_pairs(threshold, keep)
    ]
    if nationals and portfolio.nationals:
        found.extend(_national_candidates(portfolio, threshold, wanted, dismissed_nationals))
    _group(found)
    found.sort(key=lambda c: (c.group, -c.score, c.first_id, c.second_id or 0, c.national_id or 0))
    if attach_objects:
        attach(found)
    return found


def _explain(portfolio: Portfolio, a: Profile, b: Profile) -> list[str]:
    reasons = portfolio.score(a, b)[1]
    names = {national.key: national.name for national in portfolio.nationals}
    for profile in (a, b):
        if profile.national_id:
            reasons.append(_("“%(app)s” adalah penerapan aplikasi umum nasional %(national)s.") % {
                "app": profile.name, "national": names.get(profile.national_id, "")})
    return reasons


def _national_candidates(portfolio: Portfolio, threshold: float, wanted, dismissed=frozenset()) -> list[Candidate]:
    postings = defaultdict(list)
    for national in portfolio.nationals:
        for term in national.name_terms:
            if weight_factor(term) == 1.0:
                postings[term].append(national)
    found = []
    for profile in portfolio.profiles:
        if profile.national_id or not wanted(profile):
            continue
        seen = set()
        for term in profile.name_terms:
            for national in postings.get(term, ()):
                if national.key in seen or (profile.key, national.key) in dismissed:
                    continue
                seen.add(national.key)
                value = portfolio.value(profile, national)
                if value >= threshold:
                    reasons = portfolio.score(profile, national)[1]
                    reasons.insert(0, _("Aplikasi lokal yang fungsinya sudah dipenuhi aplikasi umum nasional "
                                        "%(national)s.") % {"national": national.name})
                    found.append(Candidate(profile.key, None, round(value, 3), reasons, national_id=national.key,
                                           national_name=national.name, departments=(profile.department_id,)))
    return found


def _group(candidates: list[Candidate]) -> None:
    """Numbers the clusters of applications that candidate pairs link (union-find), the cluster with the
    best pair first; a local application and the national one it duplicates form a cluster too."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for candidate in candidates:
        other = candidate.second_id if candidate.second_id else ("n", candidate.national_id)
        parent[find(candidate.first_id)] = find(other)
    best: dict = {}
    for candidate in candidates:
        root = find(candidate.first_id)
        best[root] = max(best.get(root, 0.0), candidate.score)
    order = {root: n for n, root in enumerate(sorted(best, key=lambda r: (-best[r], str(r))), start=1)}
    for candidate in candidates:
        candidate.group = order[find(candidate.first_id)]


def attach(candidates) -> None:
    """Reads the applications (with their OPD) and national shared applications of ``candidates`` (two
    queries) and writes their reasons."""
    candidates = list(candidates)
    app_ids = {c.first_id for c in candidates} | {c.second_id for c in candidates if c.second_id}
    applications = Application.objects.filter(pk__in=app_ids).select_related("department").in_bulk() if app_ids else {}
    national_ids = {c.national_id for c in candidates if c.national_id}
    nationals = ValueListItem.objects.filter(pk__in=national_ids).in_bulk() if national_ids else {}
    for candidate in candidates:
        if candidate.source is not None and not candidate.reasons:
            candidate.reasons = _explain(*candidate.source)
        candidate.first = applications.get(candidate.first_id)
        candidate.second = applications.get(candidate.second_id) if candidate.second_id else None
        candidate.national = nationals.get(candidate.national_id) if candidate.national_id else None


def dismiss(first: Application, second: Application | None, reason: str, user=None, *,
            national: ValueListItem | None = None) -> DuplicateDismissal:
    """Marks a pair “not a duplicate” for good, or (``second`` None, ``national`` given) a local application
    “not a copy” of a national shared application (``DuplicateDismissal.clean``: two applications of one
    instansi in pk order, or an application and a national item of its instansi; a reason). Raises
    ``ValidationError``; the caller checks permissions."""
    dismissal = DuplicateDismissal(first=first, second=second, national=national, reason=reason, decided_by=user)
    dismissal.full_clean()
    dismissal._history_user = user
    dismissal.save()
    return dismissal


def undo_dismissal(dismissal: DuplicateDismissal, user=None) -> None:
    """Undoes a “not a duplicate” mark: the pair (or the national flag) is a candidate again. The deletion is
    kept in the mark's history with who undid it; the caller checks permissions."""
    dismissal._history_user = user
    dismissal.delete()


def dismissals(user, institution_id, *, department_id=None):
    """The “not a duplicate” marks of an instansi ``user`` may read, newest first, with their applications,
    national item and reviewer read along (one query)."""
    queryset = permissions.visible(user, DuplicateDismissal).filter(institution_id=institution_id)
    if department_id:
        queryset = queryset.filter(Q(first__department_id=department_id) | Q(second__department_id=department_id))
    return queryset.select_related("first__department", "second__department", "national", "decided_by").order_by(
        "-created", "-pk")
