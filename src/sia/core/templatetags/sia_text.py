"""Template filters for text that must not break the layout."""

import re

from django import template
from django.utils.html import strip_tags

register = template.Library()

LONG_WORD = re.compile(r"\S{30,}")


@register.filter
def has_long_word(value) -> bool:
    """True when the text (tags left out) holds a run of 30 or more characters without a space.

    Such a cell gets ``class="wrap"`` (``overflow-wrap: anywhere``): a 300-character unbroken name then wraps
    inside its column, while the codes, abbreviations and labels of the other cells keep their words whole.
    """
    if value in (None, ""):
        return False
    text = str(value)
    if len(text) < 30:  # no run of 30 in fewer characters, tags or not
        return False
    return bool(LONG_WORD.search(strip_tags(text) if "<" in text else text))
