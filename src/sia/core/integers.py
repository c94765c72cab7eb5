"""Integers a request carries must fit the database's 64-bit integer columns.

SQLite and PostgreSQL both store integers in at most 64 bits; a larger number in a query makes the
driver fail (a 500). Filters, pagination, path IDs and serializer fields check their input here and
answer 400 (or 404 for an ID that cannot name a row) instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DB_INTEGER_MIN = -(2**63)
DB_INTEGER_MAX = 2**63 - 1


def in_db_range(value: int) -> bool:
    return DB_INTEGER_MIN <= value <= DB_INTEGER_MAX


def out_of_range_message() -> str:
    return _("Bilangan bulat di luar jangkauan: harus antara %(min)s dan %(max)s.") % {
        "min": DB_INTEGER_MIN, "max": DB_INTEGER_MAX,
    }


def validate_db_integer(value) -> None:
    """A validator for form and serializer fields (integers, decimals): refuses numbers past 64 bits."""
    if value is None:
        return
    try:
        fits = DB_INTEGER_MIN <= value <= DB_INTEGER_MAX
    except TypeError:
        return
    if not fits:
        raise ValidationError(out_of_range_message(), code="out_of_range")


def as_integer(raw) -> int | None:
    """``raw`` (a string from a URL or form, or a number) as an int, or None if it is not an integer."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if text[:1] in "+-":
            sign, digits = text[:1], text[1:]
        else:
            sign, digits = "", text
        if digits.isascii() and digits.isdigit():
            return int(sign + digits)
    return None


def check_db_integer(raw) -> None:
    """Raises ValidationError when ``raw`` is an integer (or integer string) past 64 bits; anything
    else is left to the field's own parsing."""
    number = as_integer(raw)
    if number is not None and not in_db_range(number):
        raise ValidationError(out_of_range_message(), code="out_of_range")


def db_id(raw) -> int | None:
    """``raw`` (a string from a query or form) as a row ID the database can be asked about: ASCII
    digits within 64 bits. Anything else (odd digits like ``²``, a number past 64 bits) is None."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if in_db_range(number) else None


def is_unusable_id(raw) -> bool:
    """True for input that looks like an ID but must not reach a query: digits outside ASCII, or a
    number past 64 bits (either makes the driver fail)."""
    text = str(raw).strip() if raw is not None else ""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit():
        return False
    number = as_integer(text)
    return number is None or not in_db_range(number)
