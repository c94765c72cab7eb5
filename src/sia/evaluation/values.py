"""Indicator values: the one check for forms, API, import and the model, and external index conversion.

PermenPANRB 8/2026 values an indicator on a continuous scale 1.00-5.00 with two decimals (an external
assessor gives 1.26); PermenPANRB 59/2020 gives whole levels 1-5. Either way a value lies in a level band
(``FrameworkSpec.level_bands``); ``value_for_level`` is the least value of a level (59/2020: the level
itself; 8/2026: 1.00, 1.50, 2.50, 3.50, 4.00).

``external_value`` turns another institution's index (SDI 0-100, SJIG, IPS) into the indicator's value
with the conversion the instrument declares; where the conversion is unknown the assessor enters the value,
and where the source index is missing the value is 1.00, flagged (as the 2026 assessor sheet did).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .framework_spec import VALUE_MAX, VALUE_MIN, FrameworkSpec, IndicatorSpec, _places
from .scoring import decimal_id


def _where(indicator: IndicatorSpec | None) -> str:
    return _("Indikator %(n)s: ") % {"n": indicator.label} if indicator is not None else ""


def as_decimal(value) -> Decimal | None:
    """A value as an exact ``Decimal`` (None if it is not a finite number); floats through their text."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
        if result.is_finite() and result.as_tuple().exponent > 0:
            result = result.quantize(Decimal(1))  # plain digits: "1e2" is 100, never "1E+2"
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def number_id(value: Decimal, places: int | None = None) -> str:
    """A number inside Indonesian text: plain digits with a decimal comma (68,75; 100; 0,04), its own decimals
    unless ``places`` is given."""
    places = max(0, -value.normalize().as_tuple().exponent) if places is None else places
    return decimal_id(value, places)


def check_value(value, spec: FrameworkSpec, indicator: IndicatorSpec | None = None) -> Decimal:
    """The value as a ``Decimal`` if the instrument allows it, ``ValidationError`` (naming the indicator) if not.

    1.00 ≤ value ≤ 5.00; at most ``spec.value_places`` decimals (two); a whole-level instrument takes whole
    values only.
    """
    number = as_decimal(value)
    where = _where(indicator)
    if number is None:
        raise ValidationError(where + _("nilai “%(v)s” bukan angka.") % {"v": value}, code="invalid")
    if not VALUE_MIN <= number <= VALUE_MAX:
        raise ValidationError(
            where + _("nilai %(v)s di luar rentang 1,00 sampai 5,00.") % {"v": number}, code="range"
        )
    places = _places(number)
    if not spec.continuous and places:
        raise ValidationError(
            where + _("%(fw)s memakai tingkat bulat 1 sampai 5; nilai pecahan %(v)s tidak sah.")
            % {"fw": spec.name, "v": number}, code="whole",
        )
    if places > spec.value_places:
        raise ValidationError(
            where + _("nilai %(v)s memiliki lebih dari %(n)s desimal.") % {"v": number, "n": spec.value_places},
            code="places",
        )
    return number.quantize(spec.value_step)


def value_for_level(spec: FrameworkSpec, level: int) -> Decimal:
    """The least value of a level (its band's lower bound), with the instrument's decimals."""
    return spec.level_bands[level][0].quantize(spec.value_step)


@dataclass(frozen=True)
class ExternalValue:
    value: Decimal | None  # None: the conversion is unknown and the source was given (the assessor decides)
    note: str
    flagged: bool = False  # the source index is missing: 1.00 assumed


def external_value(spec: FrameworkSpec, indicator_number: int, source_value) -> tuple[Decimal | None, str]:
    """``(value, note)`` of an indicator valued from another institution's index.

    Linear conversion: intercept + slope × source, rounded half up to two decimals and kept within
    1.00-5.00 (SDI 25 -> 2.00, 68.75 -> 3.75). Missing source: 1.00 with a note saying it is assumed.
    Unknown conversion: ``None`` with a note that the assessor enters the value (and the level band the
    source's own bands suggest is not guessed here).
    """
    outcome = convert_external(spec, indicator_number, source_value)
    return outcome.value, outcome.note


def convert_external(spec: FrameworkSpec, indicator_number: int, source_value) -> ExternalValue:
    indicator = spec.indicator(indicator_number)
    external = indicator.external
    if indicator.value_source != "external" or external is None:
        raise ValidationError(
            _("Indikator %(n)s dinilai dari bukti dukung, bukan dari indeks instansi lain.") % {"n": indicator.label}
        )
    floor = VALUE_MIN.quantize(spec.value_step)
    if source_value is None or (isinstance(source_value, str) and not source_value.strip()):
        return ExternalValue(
            floor,
            _("%(index)s belum tersedia: nilai indikator %(n)s dianggap %(v)s.")
            % {"index": external.source_index, "n": indicator.label, "v": number_id(floor, spec.value_places)},
            flagged=True,
        )
    source = as_decimal(source_value)
    if source is None:
        raise ValidationError(
            _("Indikator %(n)s: nilai %(index)s “%(v)s” bukan angka.")
            % {"n": indicator.label, "index": external.source_index, "v": source_value}
        )
    low, high = external.source_min, external.source_max
    if (low is not None and source < low) or (high is not None and source > high):
        raise ValidationError(
            _("Indikator %(n)s: nilai %(index)s %(v)s di luar rentang %(low)s-%(high)s.")
            % {"n": indicator.label, "index": external.source_index, "v": number_id(source),
               "low": number_id(low) if low is not None else "-", "high": number_id(high) if high is not None else "-"}
        )
    if not external.automatic:
        return ExternalValue(
            None,
            _("Konversi %(index)s ke nilai indikator %(n)s tidak diketahui dari instrumen; asesor mengisi nilainya.")
            % {"index": external.source_index, "n": indicator.label},
        )
    raw = external.intercept + external.slope * source
    value = min(max(raw, VALUE_MIN), VALUE_MAX).quantize(spec.value_step, rounding=ROUND_HALF_UP)
    return ExternalValue(
        value,
        _("%(index)s %(s)s dikonversi menjadi %(v)s (%(a)s + %(b)s × indeks).")
        % {"index": external.source_index, "s": number_id(source), "v": number_id(value, spec.value_places),
           "a": number_id(external.intercept), "b": number_id(external.slope)},
    )
