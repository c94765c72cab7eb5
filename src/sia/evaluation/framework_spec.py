"""The plain data an evaluation instrument is read into (no ORM), and the small readers the loader shares.

``FrameworkSpec`` carries whatever hierarchy the file declares: domain > aspect > indicator (PermenPANRB
59/2020) or aspect > indicator (PermenPANRB 8/2026, ``domains: []``), whole levels 1-5 or continuous
values 1.00-5.00, predicate bands with their names, per-level evidence items, indicators valued from
another institution's index, and the instrument's own terms ("Indeks Pemdi", "Tim Asesor Internal").
``framework_loader`` builds it from a file; ``frameworks.spec_for`` from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

LEVELS = (1, 2, 3, 4, 5)
LEVEL_MIN, LEVEL_MAX = LEVELS[0], LEVELS[-1]
VALUE_MIN, VALUE_MAX = Decimal(LEVEL_MIN), Decimal(LEVEL_MAX)
HUNDRED = Decimal(100)
MAX_WEIGHT_DECIMALS = 4  # what the database keeps (DecimalField decimal_places=4)
MAX_VALUE_PLACES = 2  # what the database keeps of an indicator value (IndicatorScore.value)
VALUE_SOURCES = ("evidence", "external")
CONVERSIONS = ("linear", "unknown")
TERM_KEYS = ("index", "coordinator", "internal_team", "coordination_team")
DEFAULT_TERMS = {"index": "Indeks", "coordinator": "Koordinator", "internal_team": "Tim Penilai Internal",
                 "coordination_team": "Tim Koordinasi"}
TEXTS_OFFICIAL, TEXTS_GUIDANCE = "official", "guidance"
TEXTS_STATUSES = (TEXTS_OFFICIAL, TEXTS_GUIDANCE)  # the per-level criteria texts: the legal text, or guidance


class FrameworkError(ValueError):
    """A framework file that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class DomainSpec:
    number: int
    name: str
    weight: Decimal


@dataclass(frozen=True)
class AspectSpec:
    number: int
    name: str
    domain: int | None  # None: the instrument has no domains
    weight: Decimal


@dataclass(frozen=True)
class EvidenceItemSpec:
    """One evidence item (butir data dukung) a level of an indicator asks for, e.g. ``I1-L2-02``."""

    code: str
    level: int
    number: int  # 1-based position in the level's list
    text: str


@dataclass(frozen=True)
class ExternalSpec:
    """How an indicator valued from another institution's index gets its value.

    ``conversion`` "linear": value = intercept + slope × source value (kept within 1.00-5.00);
    "unknown": the file gives no conversion, the assessor enters the value.
    """

    source_index: str
    source_min: Decimal | None = None
    source_max: Decimal | None = None
    conversion: str = "unknown"
    intercept: Decimal | None = None
    slope: Decimal | None = None
    basis: str = ""

    @property
    def automatic(self) -> bool:
        return self.conversion == "linear"


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    name: str
    domain: int | None  # None: the instrument has no domains
    aspect: int
    weight: Decimal
    levels: tuple[str, ...]  # criteria of level 1..5, in order (8/2026: the criteria, else the summary)
    question: str = ""
    scale: str = ""
    explanation: str = ""
    assessment_guidance: str = ""
    evidence_guidance: str = ""
    evidence_per_level: dict = field(default_factory=dict, hash=False, compare=False)
    notes: tuple[str, ...] = ()
    code: str = ""  # the instrument's own code ("I1"); empty where it has none
    value_source: str = "evidence"  # "evidence" | "external"
    evidence_items: tuple[EvidenceItemSpec, ...] = ()
    external: ExternalSpec | None = None
    level_summaries: tuple[str, ...] = ()  # a one-line summary per level, where the file has one

    @property
    def label(self) -> str:
        return self.code or str(self.number)

    def items_of_level(self, level: int) -> tuple[EvidenceItemSpec, ...]:
        return tuple(item for item in self.evidence_items if item.level == level)


@dataclass(frozen=True)
class BandSpec:
    """A predicate band: ``lower`` inclusive (None: no lower bound), ``upper`` inclusive or exclusive."""

    name: str
    lower: Decimal | None
    upper: Decimal | None
    upper_inclusive: bool
    text: str = ""
    name_id: str = ""  # the instrument's second name (8/2026: Merintis … Unggul)
    name_en: str = ""  # and its English one (Initiate … Leading)
    description: str = ""

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and value < self.lower:
            return False
        if self.upper is None:
            return True
        return value <= self.upper if self.upper_inclusive else value < self.upper


@dataclass(frozen=True)
class ScaleSpec:
    code: str
    applies_to: str
    names: tuple[str, ...]  # capability name of level 1..5
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    description: str
    domains: tuple[DomainSpec, ...]
    aspects: tuple[AspectSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    bands: tuple[BandSpec, ...]  # ascending
    scales: tuple[ScaleSpec, ...] = ()
    total_weight: Decimal = HUNDRED
    worked_examples: dict = field(default_factory=dict, hash=False, compare=False)
    sources: dict = field(default_factory=dict, hash=False, compare=False)
    digest: str = ""
    continuous: bool = False  # True: values 1.00-5.00 with ``value_places`` decimals; False: whole levels
    value_places: int = 0  # decimals an indicator value may have (0 for whole levels, 2 for 8/2026)
    level_names: dict = field(default_factory=dict, hash=False, compare=False)  # level -> (name_id, name_en)
    level_predicates: dict = field(default_factory=dict, hash=False, compare=False)  # level -> predicate band name
    terms: dict = field(default_factory=dict, hash=False, compare=False)  # index / coordinator / internal_team
    first_year: int | None = None
    last_year: int | None = None
    texts_status: str = TEXTS_OFFICIAL  # "guidance": the criteria texts are not the legal text (8/2026 until read)
    texts_note: str = ""  # why, from the manifest or the file
    # the levels the file declares as a list (framework_hierarchy): LevelSpec top-down, indicators last, and
    # {level key: {number: GroupSpec}}; empty for the older forms (domains / aspects), see groups_of
    levels: tuple = field(default=(), hash=False, compare=False)
    groups: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def has_domains(self) -> bool:
        return bool(self.domains)

    @property
    def value_step(self) -> Decimal:
        """The smallest difference between two values (0.01, or 1 for whole levels)."""
        return Decimal(1).scaleb(-self.value_places)

    @cached_property
    def level_bands(self) -> dict[int, tuple[Decimal, Decimal]]:
        """level -> (lower, upper_exclusive): the values an indicator at that level has.

        Whole levels: level k is the single value k, (k, k + 1). Continuous: the predicate band the file
        links to the level (8/2026: level 2 "Membangun" = Cukup, 1.50 ≤ value < 2.50); the top level's
        upper bound is the maximum value plus one step (5.01), so that 5.00 lies inside it.
        """
        if not self.continuous or not self.level_predicates:
            return {level: (Decimal(level), Decimal(level + 1)) for level in LEVELS}
        by_name = {band.name: band for band in self.bands}
        result = {}
        for level in LEVELS:
            band = by_name[self.level_predicates[level]]
            lower = VALUE_MIN if band.lower is None else band.lower
            upper = VALUE_MAX + self.value_step if band.upper is None or band.upper_inclusive else band.upper
            result[level] = (lower, upper)
        return result

    def level_of(self, value) -> int:
        """The level whose value band holds ``value``."""
        value = Decimal(value)
        for level, (lower, upper) in self.level_bands.items():
            if lower <= value < upper:
                return level
        raise ValueError(f"{value} lies in no level band")

    def term(self, key: str) -> str:
        return self.terms.get(key) or DEFAULT_TERMS[key]

    @cached_property
    def indicator_map(self) -> dict[int, IndicatorSpec]:
        return {i.number: i for i in self.indicators}

    @cached_property
    def aspect_map(self) -> dict[int, AspectSpec]:
        return {a.number: a for a in self.aspects}

    @cached_property
    def domain_map(self) -> dict[int, DomainSpec]:
        return {d.number: d for d in self.domains}

    @cached_property
    def scale_map(self) -> dict[str, ScaleSpec]:
        return {s.code: s for s in self.scales}

    @cached_property
    def evidence_item_map(self) -> dict[str, EvidenceItemSpec]:
        return {item.code: item for i in self.indicators for item in i.evidence_items}

    def indicator(self, number: int) -> IndicatorSpec:
        return self.indicator_map[number]

    @property
    def external_indicators(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for i in self.indicators if i.value_source == "external")


# --- small readers shared by the loader modules ------------------------------------------------------


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return None


def _fmt(value: Decimal) -> str:
    """A weight as the regulation prints it: at least two decimals (13.00, 2.75)."""
    return str(value.quantize(Decimal("0.01"))) if value == value.quantize(Decimal("0.01")) else str(value)


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _numbers(items) -> str:
    return ", ".join(str(n) for n in items)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class _Collector:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, message: str):
        self.errors.append(message)
