"""The tolerant cell parsers: what people type into spreadsheets."""

import datetime as dt
from decimal import Decimal

import pytest

from sia.exchange.cells import (
    CellError, clean_text, normalize_key, parse_bool, parse_date, parse_decimal, parse_int, split_list,
)

AUG_17 = dt.date(2025, 8, 17)


@pytest.mark.parametrize("value", [
    "17-08-2025", "17/08/2025", "17.08.2025", "17 Agustus 2025", "17 agt 2025", "17-Agu-2025", "17 August 2025",
    "2025-08-17", " 2025-08-17 ", "2025-08-17 00:00:00", dt.datetime(2025, 8, 17, 0, 0), AUG_17, 45886, 45886.0,
])
def test_dates_in_every_common_form(value):
    assert parse_date(value) == AUG_17


@pytest.mark.parametrize("value", ["31-02-2025", "17 Agustusan 2025", "besok", "2025/17/08", True])
def test_impossible_or_unreadable_dates_are_refused(value):
    with pytest.raises(CellError):
        parse_date(value)


def test_blank_date_is_none():
    assert parse_date("  ") is None and parse_date(None) is None


@pytest.mark.parametrize("value, expected", [
    ("Ya", True), ("ya ", True), ("YES", True), ("1", True), (1, True), ("✓", True), (True, True),
    ("Tidak", False), ("no", False), ("0", False), (0, False), (False, False), ("salah", False),
])
def test_booleans(value, expected):
    assert parse_bool(value) is expected


def test_unknown_boolean_is_refused():
    with pytest.raises(CellError):
        parse_bool("mungkin")


@pytest.mark.parametrize("value, expected", [
    (12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), ("12.0", 12), ("12,00", 12), ("1.234", 1234), ("1,234", 1234),
    ("-5", -5),
])
def test_integers_also_when_stored_as_text(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["12,5", 12.5, "dua belas", True])
def test_non_integers_are_refused(value):
    with pytest.raises(CellError):
        parse_int(value)


@pytest.mark.parametrize("value, expected", [
    ("12,5", Decimal("12.5")), ("1.234,5", Decimal("1234.5")), ("1,234.5", Decimal("1234.5")), (12.5, Decimal("12.5")),
    ("95%", Decimal("95")), ("1.000.000", Decimal("1000000")),
])
def test_decimals_in_indonesian_and_english_notation(value, expected):
    assert parse_decimal(value) == expected


def test_text_cells_lose_surrounding_spaces_and_excel_float_tails():
    assert clean_text("  Dinas\r\nKominfo \u00a0") == "Dinas\nKominfo"
    assert clean_text(2025.0) == "2025"
    assert clean_text(dt.datetime(2025, 8, 17)) == "2025-08-17"


def test_keys_ignore_case_accents_and_punctuation():
    assert normalize_key("  Perangkat  Daerah * ") == normalize_key("perangkat daerah") == "perangkat daerah"
    assert normalize_key("Kementerian/Lembaga terkait") == "kementerian lembaga terkait"


@pytest.mark.parametrize("value, expected", [
    ("PB-A-001; PB-A-002", ["PB-A-001", "PB-A-002"]),
    ("PB-A-001, PB-A-002", ["PB-A-001", "PB-A-002"]),
    ("PB-A-001\nPB-A-002;", ["PB-A-001", "PB-A-002"]),
    ("pb-a-001; PB-A-001", ["pb-a-001"]),
    ("", []),
    (None, []),
])
def test_link_lists(value, expected):
    assert split_list(value) == expected
