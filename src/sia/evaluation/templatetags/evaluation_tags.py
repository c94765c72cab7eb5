from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def exact(value):
    """An unrounded value without trailing zeros, localized (2.4900 → 2,49; 1.3333… stays long)."""
    if not isinstance(value, Decimal):
        return value
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        normalized = normalized.quantize(Decimal(1))
    return formats.number_format(normalized, use_l10n=True)


@register.filter
def rounded(value, places=4):
    """Rounded half up to ``places`` decimals without trailing zeros, localized (0.091666… → 0,0917; 0.0300 → 0,03)."""
    if not isinstance(value, Decimal):
        return value
    return exact(value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP))
