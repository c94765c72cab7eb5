"""How alike two applications are, and the index that finds the alike pairs of a whole instansi without
comparing all against all (``sia.portfolio.duplicates`` builds candidates and matches on it).

Two applications are compared on four things, each giving a reason people read:
- their names, as sets of comparable terms (``sia.portfolio.text``: accents, case, punctuation,
  abbreviations, affixes and word order do not matter), each term weighted by its rarity in the
  instansi (inverse document frequency) and generic words ("sistem", "aplikasi") weighted down;
- their functions, the same way;
- the business processes they support: the same process, or processes mapped to the same RAB node;
- their RAA node: the same area adds a little, Aplikasi Umum against Aplikasi Khusus takes a little.

``score = (0.55·name + 0.25·function + 0.20·processes) / (weights of what both have) ± RAA``, where
each similarity is the mean of the weighted Dice and overlap coefficients of the two term sets. A pair
at or above ``THRESHOLD`` is a candidate (the threshold and the figures it gives on the labelled pairs
in ``tests/portfolio/data/duplicate_pairs.csv`` are in docs/benchmarks.md).

Reading the instansi costs a fixed number of queries (``Portfolio``), whatever its number of applications;
``Portfolio.scored_pairs`` explains how pairs are proposed and bounded before they are scored. Retired
applications (lifecycle "dihentikan") are not read: they are no duplicate of anything and cover nothing new.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sia.architecture.choices import ApplicationLifecycle, ValueListKind
from sia.architecture.models import Application, ValueListItem

from .text import Vocabulary, owner_phrases, weight_factor

THRESHOLD = 0.5  # a pair at or above it is a duplicate candidate
SIMILAR_THRESHOLD = 0.35  # the "similar existing applications" panel of a new application shows more
NAME_WEIGHT, FUNCTION_WEIGHT, PROCESS_WEIGHT = 0.55, 0.25, 0.20
RAA_SAME_OWN_NODE, RAA_SAME_AREA, RAA_OTHER_KIND = 0.10, 0.03, -0.10
# Terms held by more applications than this do not propose pairs (they still count in the score).
BLOCK_MAX_SHARE, BLOCK_MIN_CAP = 0.05, 40
REASON_TERMS = 4  # shared terms named in a reason


@dataclass
class Profile:
    """What the scorer knows of one application (or national shared application, or a draft)."""

    key: object
    name: str
    department_id: int | None
    name_terms: dict  # stem -> surface word
    function_terms: dict
    processes: dict = field(default_factory=dict)  # process id -> (RAB code or "", label for people)
    raa_code: str = ""
    raa_name: str = ""
    national_id: int | None = None
    process_keys: frozenset = frozenset()
    name_total: float = 0.0
    function_total: float = 0.0



@contextmanager
def paused_gc():
    """Python's cycle collector would walk the thousands of small objects built here again and again while
    they are being built (none of them forms a cycle): paused for the computation, run as usual after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the instansi as the scorer sees it ---------------------------------------------------------
class Portfolio:
    """The applications still in use or to come (not retired) and the national shared applications of one
    instansi, indexed for comparison.

    Three queries, whatever the number of applications. Built from plain rows (``values_list``) so that
    thousands of applications are read without building model instances."""

    def __init__(self, institution_id: int):
        with paused_gc():
            self._read(institution_id)

    def _read(self, institution_id: int):
        self.institution_id = institution_id
        rows = list(
            Application.objects.filter(institution_id=institution_id).exclude(
                lifecycle=ApplicationLifecycle.RETIRED
            ).order_by("pk").values_list(
                "pk", "name", "function", "department_id", "department__name", "department__abbreviation",
                "reference__code", "reference__name", "national_application_id",
            )
        )
        links = defaultdict(dict)
        through = Application.processes.through
        for app_id, process_id, process_name, rab_code, rab_name in through.objects.filter(
            application__institution_id=institution_id
        ).exclude(application__lifecycle=ApplicationLifecycle.RETIRED).values_list(
            "application_id", "businessprocess_id", "businessprocess__name", "businessprocess__reference__code",
            "businessprocess__reference__name",
        ):
            add_process(links[app_id], process_id, process_name, rab_code, rab_name)
        national_rows = list(
            ValueListItem.objects.filter(
                institution_id=institution_id, kind=ValueListKind.NATIONAL_APP, is_active=True
            ).values_list("pk", "name")
        )
        self.vocabulary = Vocabulary()
        for _pk, name in national_rows:
            self.vocabulary.learn(name, trusted=True)
        for row in rows:
            self.vocabulary.learn(row[1])
        owners: dict = {}
        self.profiles = []
        for pk, name, function, dept_id, dept_name, dept_abbr, raa_code, raa_name, national_id in rows:
            if dept_id not in owners:
                owners[dept_id] = owner_phrases(dept_name or "", dept_abbr or "")
            self.profiles.append(Profile(
                key=pk, name=name, department_id=dept_id,
                name_terms=self.vocabulary.terms(name, owners[dept_id]),
                function_terms=self.vocabulary.terms(function),
                processes=links.get(pk, {}), raa_code=raa_code or "", raa_name=raa_name or "", national_id=national_id,
            ))
        self.by_pk = {profile.key: profile for profile in self.profiles}
        self.nationals = [
            Profile(key=pk, name=name, department_id=None, name_terms=self.vocabulary.terms(name),
                    function_terms=self.vocabulary.terms(name))
            for pk, name in national_rows
        ]
        self._weigh()

    def _weigh(self):
        total = len(self.profiles) + len(self.nationals)
        self.name_df, self.function_df = defaultdict(int), defaultdict(int)
        for profile in self.profiles + self.nationals:
            for term in profile.name_terms:
                self.name_df[term] += 1
            for term in profile.function_terms:
                self.function_df[term] += 1
        self.name_weight = {t: weight_factor(t) * math.log(1 + total / df) for t, df in self.name_df.items()}
        self.function_weight = {t: weight_factor(t) * math.log(1 + total / df) for t, df in self.function_df.items()}
        self.default_weight = math.log(1 + max(total, 1))
        for profile in self.profiles + self.nationals:
            self.total(profile)

    def total(self, profile: Profile) -> Profile:
        profile.process_keys = frozenset(process_keys(profile.processes))
        default = self.default_weight
        profile.name_total = sum(self.name_weight.get(t, default * weight_factor(t)) for t in profile.name_terms)
        profile.function_total = sum(
            self.function_weight.get(t, self.default_weight * weight_factor(t)) for t in profile.function_terms
        )
        return profile

    # --- comparing two profiles ---------------------------------------------------------------
    def value(self, a: Profile, b: Profile) -> float:
        """How alike ``a`` and ``b`` are, 0..1 (the formula in the module's docstring)."""
        name = _sim(_shared_weight(a.name_terms, b.name_terms, self.name_weight, self.default_weight),
                    a.name_total, b.name_total)
        total, weights = NAME_WEIGHT * name, NAME_WEIGHT
        if a.function_terms and b.function_terms:
            function = _sim(_shared_weight(a.function_terms, b.function_terms, self.function_weight,
                                           self.default_weight), a.function_total, b.function_total)
            total += FUNCTION_WEIGHT * function
            weights += FUNCTION_WEIGHT
        if a.processes and b.processes:
            total += PROCESS_WEIGHT * len(_shared_processes(a.processes, b.processes)) / min(
                len(a.processes), len(b.processes))
            weights += PROCESS_WEIGHT
        return max(0.0, min(1.0, total / weights + _raa(a, b)))

    def score(self, a: Profile, b: Profile) -> tuple[float, list[str]]:
        """``value(a, b)`` and why, in sentences for people."""
        reasons = []
        name, shared = _similarity(a.name_terms, b.name_terms, a.name_total, b.name_total, self.name_weight,
                                   self.default_weight)
        if shared:
            reasons.append(_("Nama mirip (%(pct)d%%), kata kunci sama: %(terms)s.") % {
                "pct": round(name * 100), "terms": _terms(shared, a.name_terms)})
        if a.function_terms and b.function_terms:
            function, shared = _similarity(a.function_terms, b.function_terms, a.function_total, b.function_total,
                                           self.function_weight, self.default_weight)
            if shared and function >= 0.2:
                reasons.append(_("Fungsi mirip (%(pct)d%%), kata kunci sama: %(terms)s.") % {
                    "pct": round(function * 100), "terms": _terms(shared, a.function_terms)})
        if a.processes and b.processes:
            shared = _shared_processes(a.processes, b.processes)
            if shared:
                reasons.append(_("Mendukung proses bisnis yang sama: %(list)s.") % {
                    "list": "; ".join(shared[:REASON_TERMS])})
        if a.raa_code and a.raa_code == b.raa_code:
            reasons.append(_("Area RAA sama: %(code)s %(name)s.") % {"code": a.raa_code, "name": a.raa_name})
        return self.value(a, b), reasons

    # --- blocking ---------------------------------------------------------------------------
    def scored_pairs(self, threshold: float = THRESHOLD, keep=None) -> list[tuple[Profile, Profile, float]]:
        """The pairs of applications of two OPDs scoring at least ``threshold``: ``(a, b, score)`` with
        ``a`` before ``b`` in pk order; ``keep(a, b)`` may refuse a pair before it is scored.

        Not all against all. An inverted index from each rare name term to the applications whose names
        hold it proposes, for each application, the later ones its name shares such a term with, with
        the weight they share; a second index gives the weight their functions share. An upper bound of
        the score from those sums (terms left out of the indexes counted as shared; processes compared
        exactly, which is cheap) discards most proposed pairs before the full score. Terms held by more
        than ``BLOCK_MAX_SHARE`` of the applications (and generic words) propose nothing: a pair whose
        names share nothing rarer is not proposed, however alike its functions or processes (a few of
        the labelled duplicates are of that kind, "Website ..." / "Portal Berita ...": they are missed)."""
        with paused_gc():
            return self._scored_pairs(threshold, keep)

    def _scored_pairs(self, threshold, keep):
        profiles = self.profiles
        cap = max(BLOCK_MIN_CAP, int(len(profiles) * BLOCK_MAX_SHARE))
        postings, function_postings = defaultdict(list), defaultdict(list)
        for index, profile in enumerate(profiles):
            for term in profile.name_terms:
                if weight_factor(term) == 1.0:
                    postings[term].append(index)
            for term in profile.function_terms:
                if weight_factor(term) == 1.0:
                    function_postings[term].append(index)
        for index_ in (postings, function_postings):
            for term in [term for term, holders in index_.items() if len(holders) > cap]:
                del index_[term]
        name_weight, function_weight = self.name_weight, self.function_weight
        name_left = [sum(name_weight[t] for t in p.name_terms if t not in postings) for p in profiles]
        function_left = [sum(function_weight[t] for t in p.function_terms if t not in function_postings)
                         for p in profiles]
        function_totals = [p.function_total for p in profiles]
        # Plain lists and local names: the loop below runs once per proposed pair.
        departments = [p.department_id for p in profiles]
        name_totals = [p.name_total for p in profiles]
        process_counts = [len(p.processes) for p in profiles]
        process_key_sets = [p.process_keys for p in profiles]
        raa_index, raa_table = _raa_table(profiles)
        nw, fw, pw = NAME_WEIGHT, FUNCTION_WEIGHT, PROCESS_WEIGHT
        found = []
        for i, a in enumerate(profiles):
            name_acc = defaultdict(float)
            for term in a.name_terms:
                holders = postings.get(term)
                if holders and holders[-1] > i:
                    weight = name_weight[term]
                    for j in holders[bisect_right(holders, i):]:
                        name_acc[j] += weight
            if not name_acc:
                continue
            function_acc = defaultdict(float)
            for term in a.function_terms:
                holders = function_postings.get(term)
                if holders and holders[-1] > i:
                    weight = function_weight[term]
                    for j in holders[bisect_right(holders, i):]:
                        function_acc[j] += weight
            department, a_name, a_left, a_raa = departments[i], name_totals[i], name_left[i], raa_table[raa_index[i]]
            a_function, a_function_left = function_totals[i], function_left[i]
            a_name_rest = [(t, name_weight[t]) for t in a.name_terms if t not in postings]
            a_function_rest = [(t, function_weight[t]) for t in a.function_terms if t not in function_postings]
            a_processes, a_keys = process_counts[i], process_key_sets[i]
            for j, shared in name_acc.items():
                if departments[j] == department:
                    continue
                # Upper bound of value(a, b): name and function terms left out of the indexes counted as shared.
                b_name, left = name_totals[j], name_left[j]
                inter = shared + (a_left if a_left < left else left)
                part = (2 * inter / (a_name + b_name) + inter / (a_name if a_name < b_name else b_name)) / 2
                bound = nw * (part if part < 1.0 else 1.0)
                weights = nw
                b_function = function_totals[j]
                if a_function and b_function:
                    left = function_left[j]
                    inter = function_acc.get(j, 0.0) + (a_function_left if a_function_left < left else left)
                    if inter:
                        part = (2 * inter / (a_function + b_function)
                                + inter / (a_function if a_function < b_function else b_function)) / 2
                        bound += fw * (part if part < 1.0 else 1.0)
                    weights += fw
                b_processes = process_counts[j]
                if a_processes and b_processes:
                    b_keys = process_key_sets[j]
                    if not a_keys.isdisjoint(b_keys):
                        both = len(a_keys & b_keys)
                        smaller = a_processes if a_processes < b_processes else b_processes
                        bound += pw if both >= smaller else pw * both / smaller
                    weights += pw
                if bound / weights + a_raa[raa_index[j]] < threshold:
                    continue
                b = profiles[j]
                if keep is not None and not keep(a, b):
                    continue
                # The exact value(a, b), from the sums and the few terms left out of the indexes.
                b_terms = b.name_terms
                inter = shared + sum(w for t, w in a_name_rest if t in b_terms)
                value = nw * _sim(inter, a_name, b_name)
                if a_function and b_function:
                    b_terms = b.function_terms
                    inter = function_acc.get(j, 0.0) + sum(w for t, w in a_function_rest if t in b_terms)
                    value += fw * _sim(inter, a_function, b_function)
                if a_processes and b_processes:
                    value += pw * len(_shared_processes(a.processes, b.processes)) / (
                        a_processes if a_processes < b_processes else b_processes)
                value = value / weights + a_raa[raa_index[j]]
                if value >= threshold:
                    found.append((a, b, value if value < 1.0 else 1.0))
        return found

    def candidates_for(self, profile: Profile, exclude=None) -> list[Profile]:
        """The applications sharing a term or process with ``profile`` (a draft not in the index)."""
        found, seen = [], set()
        keys = {term for term in profile.name_terms if weight_factor(term) == 1.0}
        function_keys = {term for term in profile.function_terms if weight_factor(term) == 1.0}
        processes = profile.process_keys
        for other in self.profiles:
            if other.key == exclude or other.key in seen:
                continue
            if (keys.intersection(other.name_terms) or function_keys.intersection(other.function_terms)
                    or (processes and processes.intersection(other.process_keys))):
                seen.add(other.key)
                found.append(other)
        return found


def add_process(processes: dict, process_id, process_name, rab_code, rab_name) -> None:
    """Records one supported process with its RAB node (a process of another OPD mapped to the same
    node counts as the same work)."""
    processes[process_id] = (rab_code or "", f"{rab_code} {rab_name}" if rab_code else process_name)


def process_keys(processes: dict) -> set:
    """What two applications' processes are matched on: the process itself, or its RAB node."""
    return {f"p{pk}" for pk in processes} | {rab for rab, _label in processes.values() if rab}


def _shared_processes(a: dict, b: dict) -> list[str]:
    """Labels of the processes of ``a`` that ``b`` supports too (the same process or the same RAB node)."""
    rabs = {rab for rab, _label in b.values() if rab}
    return [label for pk, (rab, label) in a.items() if pk in b or (rab and rab in rabs)]


def _sim(inter: float, total_a: float, total_b: float) -> float:
    """Mean of the weighted Dice and overlap coefficients, from the shared weight and both totals."""
    if not total_a or not total_b or not inter:
        return 0.0
    return min(1.0, (2 * inter / (total_a + total_b) + inter / min(total_a, total_b)) / 2)


def _shared_weight(a: dict, b: dict, weights: dict, default: float) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weights.get(term) or default * weight_factor(term) for term in a if term in b)


def _raa(a: Profile, b: Profile) -> float:
    if not a.raa_code or not b.raa_code:
        return 0.0
    if a.raa_code == b.raa_code:
        return RAA_SAME_OWN_NODE if a.raa_code.count(".") >= 3 else RAA_SAME_AREA
    return RAA_OTHER_KIND if a.raa_code[:6] != b.raa_code[:6] else 0.0


def _raa_table(profiles) -> tuple[list[int], list[list[float]]]:
    """Each profile's RAA code as a number, and the table of ``_raa`` adjustments between numbers (the
    last number, -1, stands for no code): a look-up instead of string work inside the pair loop."""
    codes = sorted({p.raa_code for p in profiles if p.raa_code})
    number = {code: n for n, code in enumerate(codes)}
    probes = [Profile(None, "", None, {}, {}, raa_code=code) for code in codes]
    table = [[_raa(a, b) for b in probes] + [0.0] for a in probes] + [[0.0] * (len(codes) + 1)]
    return [number.get(p.raa_code, -1) for p in profiles], table


def _similarity(a: dict, b: dict, total_a: float, total_b: float, weights: dict, default: float):
    """The similarity of two term sets and their shared terms, rarest first."""
    shared = [term for term in a if term in b]
    if not shared:
        return 0.0, []
    shared.sort(key=lambda term: -(weights.get(term) or default * weight_factor(term)))
    return _sim(_shared_weight(a, b, weights, default), total_a, total_b), shared


def _terms(shared: list, surfaces: dict) -> str:
    telling = [term for term in shared if weight_factor(term) == 1.0] or shared
    return ", ".join(surfaces[term] for term in telling[:REASON_TERMS])

