"""The names SIA gives the levels of the shipped instruments ("Domain", "Aspek") follow the interface's language on
pages (English: "Aspect", as before the levels were stored as groups); a name a file declares is shown as written;
the XLSX and the Berita Acara stay Indonesian whatever the request's language.

The English catalog gets "Aspek" from the lead's next makemessages, so the translation is stood in for here."""

import io
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import get_language

from sia.evaluation import exports, group_rows
from sia.evaluation.api.serializers import FrameworkVersionSerializer
from sia.evaluation.framework_loader import parse_framework, read_yaml

from .conftest import FRAMEWORK_FILE
from .test_declared_levels import four_levels

ENGLISH = {"Aspek": "Aspect", "Domain": "Domain", "Indikator": "Indicator", "%(first)s dan %(last)s": "%(first)s and %(last)s"}


@pytest.fixture
def english(monkeypatch):
    real = group_rows._
    monkeypatch.setattr(group_rows, "_", lambda text: ENGLISH.get(text, text)
                        if (get_language() or "").startswith("en") else real(text))


def test_the_shipped_level_names_follow_the_language_and_a_files_names_stay(english, spec):
    with translation.override("en"):
        assert group_rows.levels_title(spec) == "Domain and Aspect"
        assert group_rows.levels_title(spec, indicators=True) == "Domain, Aspect and Indicator"
        rows = group_rows.group_rows(spec)
        assert rows[0]["label"].startswith("Domain 1. ") and rows[1]["label"].startswith("Aspect 1. ")
        assert rows[1]["short"] == "A1" and rows[1]["level"] == "Aspect"
        assert [g["level"] for g in group_rows.indicator_path(spec, spec.indicator(1))] == ["Domain", "Aspect"]
        raw = read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))
        declared = parse_framework(four_levels({key: raw[key] for key in ("predikat", "capability_scales", "level_value")}))
        assert group_rows.level_names(declared) == ["Pilar", "Domain", "Aspect"]  # "Pilar": the file's own name
        assert FrameworkVersionSerializer().get_levels(SimpleNamespace(levels=[
            {"key": "domain", "name": "Domain"}, {"key": "aspect", "name": "Aspek"}])) == [
            {"key": "domain", "name": "Domain"}, {"key": "aspect", "name": "Aspect"}]  # the API as the pages
    with translation.override("id"):
        assert group_rows.levels_title(spec) == "Domain dan Aspek"


@pytest.mark.django_db
def test_the_documents_stay_indonesian_in_an_english_session(english, assessment):
    with translation.override("en"):
        book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
        document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment)))
    assert [c.value for c in book["Indikator"][1]][:5] == ["No", "Domain", "Aspek", "Indikator", "Bobot (%)"]
    assert "Domain / Aspek" in [row[0] for row in book["Ringkasan"].iter_rows(values_only=True) if row]
    cells = [row.cells[0].text for row in document.tables[0].rows]
    assert any(text.startswith("Indeks Domain 1. ") for text in cells)
