"""Comparing an assessment with one made under another instrument (PermenPANRB 59/2020 and 8/2026).

The two indices are set side by side, each as its own instrument computes it, with its own predicate bands
and level names: an Indeks SPBE 2.49 "Cukup" and an Indeks Pemdi 2.10 "Cukup" are two figures on two scales,
so no change, difference or index of one on the other's scale is ever computed. What bridges them is the
carry-over mapping the manifest lists for the pair (``carryover.mapping_between``): for each indicator of the newer instrument, the indicators of
the older one that fed it, with each side's own level or value. Aspects are compared only between
assessments of the same instrument (``services.year_over_year`` and the same-instrument tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from django.utils.translation import gettext as _

from .carryover import Mapping, MappingError, mapping_between
from .framework_spec import FrameworkSpec
from .frameworks import spec_for
from .scoring import display


@dataclass(frozen=True)
class Side:
    """One assessment in a cross-instrument comparison, on its own scale."""

    column: object  # services.YearColumn
    spec: FrameworkSpec
    index: Decimal
    index_display: Decimal
    predicate: str
    stage_label: str
    bands: tuple[dict, ...]
    values: dict[int, object] = field(hash=False)  # indicator number -> level (59/2020) or value (8/2026)

    @property
    def assessment(self):
        return self.column.assessment

    @property
    def index_name(self) -> str:
        return self.spec.term("index")


@dataclass(frozen=True)
class BridgeRow:
    """A target indicator and the source indicators that fed it, each with its own level or value."""

    number: int
    name: str
    value: object  # the target side's value (None: not filled)
    sources: tuple[dict, ...]  # {number, name, level, rationale}
    note: str = ""


@dataclass(frozen=True)
class CrossComparison:
    left: Side  # the older instrument (the mapping's source)
    right: Side  # the newer one (the mapping's target)
    bridge: tuple[BridgeRow, ...]
    mapping_code: str = ""
    mapping_notice: str = ""  # why there is no bridge (no mapping listed for the pair, or one that cannot be read)

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.left, self.right


def listed_mapping(first_code: str, second_code: str) -> tuple[Mapping | None, str]:
    """The manifest's mapping between two instruments and, where there is none to use, why (for the page)."""
    try:
        mapping = mapping_between(first_code, second_code)
    except MappingError as error:
        return None, _("Pemetaan indikator antarinstrumen tidak dapat dibaca: %(error)s") % {
            "error": "; ".join(error.errors)}
    if mapping is None:
        return None, _("Tidak ada pemetaan indikator antara %(a)s dan %(b)s (frameworks.yaml, bagian mappings); "
                       "kedua indeks ditampilkan tanpa padanan indikator.") % {"a": first_code, "b": second_code}
    return mapping, ""


def _bands(spec: FrameworkSpec) -> tuple[dict, ...]:
    rows = []
    for band in spec.bands:
        rows.append({
            "name": band.name, "name_id": band.name_id, "lower": band.lower, "upper": band.upper,
            "upper_inclusive": band.upper_inclusive,
        })
    return tuple(rows)


def side(column) -> Side:
    spec = spec_for(column.assessment.framework)
    summary = column.summary
    values = column.levels.get(summary.stage.value, {})
    places = max(getattr(spec, "value_places", 0), 0)
    shown = {n: (display(Decimal(v), places) if places else v) for n, v in values.items()}
    return Side(
        column=column, spec=spec, index=summary.result.index, index_display=summary.result.index_display,
        predicate=summary.result.predicate, stage_label=summary.label, bands=_bands(spec), values=shown,
    )


def partner(columns, current) -> object | None:
    """The column of another instrument to set beside ``current``: the latest earlier year, else the nearest."""
    others = [c for c in columns if c.assessment.framework_id != current.assessment.framework_id]
    if not others:
        return None
    earlier = [c for c in others if c.assessment.year < current.assessment.year]
    if earlier:
        return max(earlier, key=lambda c: c.assessment.year)
    return min(others, key=lambda c: abs(c.assessment.year - current.assessment.year))


def cross_comparison(first, second, mapping: Mapping | None = None) -> CrossComparison:
    """``first`` and ``second`` (``YearColumn``s of two instruments) side by side, the older instrument left."""
    a, b = side(first), side(second)
    notice = ""
    if mapping is None:
        mapping, notice = listed_mapping(a.spec.code, b.spec.code)
    codes = {a.spec.code, b.spec.code}
    if mapping is not None and codes == {mapping.source, mapping.target}:
        left, right = (a, b) if a.spec.code == mapping.source else (b, a)
    else:
        left, right = (a, b) if a.assessment.year <= b.assessment.year else (b, a)
        mapping = None
    bridge = []
    if mapping is not None:
        source_names = {i.number: i.name for i in left.spec.indicators}
        for indicator in right.spec.indicators:
            entry = mapping.entries.get(indicator.number)
            sources = tuple(
                {"number": p.source, "name": source_names.get(p.source, ""), "level": left.values.get(p.source),
                 "rationale": p.rationale}
                for p in mapping.sources_of(indicator.number)
            )
            bridge.append(BridgeRow(indicator.number, indicator.name, right.values.get(indicator.number), sources,
                                    entry.note if entry else ""))
    return CrossComparison(left, right, tuple(bridge), mapping.code if mapping else "", notice)
