"""Reading what people type into spreadsheet cells: tolerant parsers for text, numbers, booleans and dates.

Each parser takes the raw cell value as openpyxl returns it (``str``, ``int``, ``float``,
``datetime``, ``bool`` or ``None``) and returns a Python value, or raises :class:`CellError`
with an Indonesian message. Empty cells give ``None`` (``""`` for text).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _
from unidecode import unidecode

EXCEL_EPOCH = dt.date(1899, 12, 30)

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
TRUE_WORDS = {"ya", "y", "yes", "true", "benar", "1", "v", "x", "✓", "✔", "ada"}
FALSE_WORDS = {"tidak", "tdk", "t", "no", "n", "false", "salah", "0", "✗", "✘", "-", "tidak ada"}

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s*[-/ ]\s*([a-z]+)\.?\s*[-/ ]\s*(\d{4})$")
_LIST_SEPARATORS = re.compile(r"[;\n]+")


class CellError(ValueError):
    """A cell whose content cannot be read as the column's type; the message is for the user."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value) -> str:
    """Text without surrounding spaces; numbers typed into a text column lose a trailing ``.0``."""
    if type(value) is str:  # most cells: the same steps as the end of this function, without the type tests
        if "\r" in value or "\u00a0" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return text.strip()


def normalize_key(value) -> str:
    """For matching names and codes: accents, case, punctuation and repeated spaces ignored."""
    return _key(clean_text(value))


@lru_cache(maxsize=16384)
def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", unidecode(unicodedata.normalize("NFKC", text)).lower()))


def parse_bool(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = clean_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” bukan Ya/Tidak.") % {"value": clean_text(value)})


def parse_int(value) -> int | None:
    """``12``, ``12.0``, ``"12"``, ``" 1.234 "`` and ``"1,234"`` (thousand separators) are 12 and 1234."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” bukan bilangan bulat.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("“%(value)s” bukan bilangan bulat.") % {"value": value})
    text = clean_text(value).replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}([.,]\d{3})+", text):
        text = text.replace(".", "").replace(",", "")
    elif re.fullmatch(r"[-+]?\d+[.,]0+", text):
        text = re.split(r"[.,]", text)[0]
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    raise CellError(_("“%(value)s” bukan bilangan bulat.") % {"value": clean_text(value)})


def parse_decimal(value) -> Decimal | None:
    """Accepts ``1234.5``, ``"1.234,5"`` (Indonesian), ``"1,234.5"`` and ``"12,5"``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” bukan angka.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = clean_text(value).replace(" ", "").rstrip("%")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        text = text.replace(".", "").replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” bukan angka.") % {"value": clean_text(value)})


def parse_date(value) -> dt.date | None:
    """``17-08-2025``, ``17/08/2025``, ``17.08.2025``, ``17 Agustus 2025``, ``2025-08-17``, a date
    cell, or an Excel serial number (45886) all give 17 August 2025."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("“%(value)s” bukan tanggal.") % {"value": value})
    text = clean_text(value).lower()
    try:
        match = _NUMERIC_DATE.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        match = _WORD_DATE.match(unidecode(text))
        if match and match.group(2) in MONTHS:
            return dt.date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        raise CellError(_("Tanggal “%(value)s” tidak ada di kalender.") % {"value": clean_text(value)})
    raise CellError(
        _("“%(value)s” bukan tanggal; tulis mis. 17-08-2025, 17 Agustus 2025 atau 2025-08-17.")
        % {"value": clean_text(value)}
    )


def split_list(value) -> list[str]:
    """A links cell: IDs separated by semicolons, commas or line breaks; empty parts dropped."""
    text = clean_text(value)
    if not text:
        return []
    parts = _LIST_SEPARATORS.split(text)
    if len(parts) == 1:
        parts = text.split(",")
    seen, result = set(), []
    for part in (p.strip() for p in parts):
        if part and part.upper() not in seen:
            seen.add(part.upper())
            result.append(part)
    return result


def format_date(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")
