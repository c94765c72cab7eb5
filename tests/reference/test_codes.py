import pytest

from sia.reference.codes import CodeError, normalize_text, parse_code, search_text


@pytest.mark.parametrize(
    "text, level, parent",
    [("RAB.09", 1, None), ("RAB.09.06", 2, "RAB.09"), ("RAB.09.06.06", 3, "RAB.09.06"),
     (" rab.09.06.06.01 ", 4, "RAB.09.06.06"), ("RAI.03.01.07.02", 4, "RAI.03.01.07"),
     ("RAL.01.02.03.04.05.06.07", 7, "RAL.01.02.03.04.05.06")],
)
def test_level_and_parent_follow_from_the_code(text, level, parent):
    code = parse_code(text)
    assert code.level == level
    assert code.parent == parent
    assert str(code) == text.strip().upper()


def test_ancestors_from_the_root():
    assert parse_code("RAB.09.06.06.01").ancestors == ["RAB.09", "RAB.09.06", "RAB.09.06.06"]


@pytest.mark.parametrize(
    "text, fragment",
    [("RAB.1", "dua angka"), ("RAB.01.001", "dua angka"), ("RAB", "dua angka"), ("RAB.", "dua angka"),
     ("RAB-01", "dua angka"), ("", "kosong"), ("RAX.01", "tidak dikenal"),
     ("RAB.01.01.01.01.01.01.01.01", "paling dalam tingkat 7")],
)
def test_malformed_codes_are_refused_with_a_reason(text, fragment):
    with pytest.raises(CodeError) as error:
        parse_code(text)
    assert fragment in str(error.value)


def test_prefix_must_match_the_catalog():
    with pytest.raises(CodeError) as error:
        parse_code("RAL.01", prefix="RAB")
    assert "RAL" in str(error.value) and "RAB" in str(error.value)


def test_normalised_search_text_ignores_accents_case_and_punctuation():
    assert normalize_text("  Pengelolaan  ARSIP—Élektronik ") == "pengelolaan arsip elektronik"
    assert search_text("RAB.09.06.06", "Penyelenggaraan Kearsipan") == "rab.09.06.06 penyelenggaraan kearsipan"
