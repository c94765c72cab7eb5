import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.reference.choices import VersionStatus
from sia.reference.importer import parse_catalog_file, publish_version
from sia.reference.loader import DATA_DIR
from sia.reference.models import CatalogVersion, ReferenceNode

from .helpers import RAB_SAMPLE, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = "code,name,description\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def written():
    return CatalogVersion.objects.count(), ReferenceNode.objects.count(), ReferenceNode.history.count()


def problems_of(catalogs, upload, catalog="RAB"):
    before = written()
    preview = parse_catalog_file(upload, catalogs[catalog])
    assert not preview.is_clean
    with pytest.raises(ValidationError):
        publish_version(preview, name="Versi bermasalah")
    assert written() == before, "nothing may be written for a file with problems"
    return preview.problems


def test_clean_csv_previews_levels_and_parents(catalogs):
    preview = parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"])
    assert preview.is_clean, preview.problems
    assert preview.level_counts() == {1: 1, 2: 1, 3: 2}
    row = preview.rows[-1]
    assert (row.line, row.code, row.level, row.parent_code) == (5, "RAB.09.06.07", 3, "RAB.09.06")


def test_publish_makes_a_new_current_version_and_keeps_the_old_one(catalogs, world):
    old = CatalogVersion.objects.get(catalog__code="RAB", is_current=True)
    mapped = ReferenceNode.objects.get(version=old, code="RAB.09.06.06")
    preview = parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"])
    version, created = publish_version(preview, name="Uji 2025", source="uji", user=world.users["superuser"])
    assert created and version.is_current and version.status == VersionStatus.PUBLISHED
    assert version.published_by == world.users["superuser"]
    old.refresh_from_db()
    assert not old.is_current and old.nodes.count() == 358
    assert version.nodes.count() == 4
    new = version.nodes.get(code="RAB.09.06.07")
    assert new.parent.code == "RAB.09.06" and new.parent.version == version
    assert new.search_text == "rab.09.06.07 pengelolaan arsip elektronik"
    mapped.refresh_from_db()
    assert mapped.version == old  # an entry mapped to the old node keeps its version


def test_reimporting_the_same_file_changes_nothing(catalogs):
    first, created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    assert created
    before = written()
    again, created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025 lagi")
    assert (again, created) == (first, False)
    assert written() == before


def test_reimporting_the_shipped_file_is_recognised(catalogs):
    with open(DATA_DIR / "rab_perpres132_levels1-3.csv", "rb") as handle:
        upload = SimpleUploadedFile("rab_perpres132_levels1-3.csv", handle.read())
    preview = parse_catalog_file(upload, catalogs["RAB"])
    assert preview.is_clean, preview.problems[:3]
    before = written()
    version, created = publish_version(preview, name="Salinan")
    assert not created and version.name == "Perpres 132/2022"
    assert written() == before


def test_xlsx_with_indonesian_headers(catalogs):
    upload = xlsx_upload([("kode", "nama", "uraian"), ("RAB.09", "Pemerintahan Umum", None), ("RAB.09.06", "Aparatur Negara", "")])
    preview = parse_catalog_file(upload, catalogs["RAB"])
    assert preview.is_clean, preview.problems
    assert [r.code for r in preview.rows] == ["RAB.09", "RAB.09.06"]


def test_bom_and_semicolons_are_tolerated(catalogs):
    text = "code;name;description\nRAB.09;Pemerintahan Umum;\n"
    preview = parse_catalog_file(csv_upload(text, bom=True), catalogs["RAB"])
    assert preview.is_clean, preview.problems


@pytest.mark.parametrize(
    "rows, line, column, fragment",
    [
        ("RAB.09,Pemerintahan Umum,\nRAB.1,Sektor,\n", 3, "code", "RAB.1"),
        ("RAB.09,Pemerintahan Umum,\nRAB.09.001,Urusan,\n", 3, "code", "RAB.09.001"),
        ("RAB.09,Pemerintahan Umum,\nRAL.01,Layanan Publik,\n", 3, "code", "berawalan RAL, padahal katalognya RAB"),
        ("RAB.09,Pemerintahan Umum,\nRAB.08.01,Agama,\n", 3, "code", "Induk RAB.08"),
        ("RAB.09,Pemerintahan Umum,\nRAB.09,Pemerintahan,\n", 3, "code", "ganda; sudah ada di baris 2"),
        ("RAB.09,Pemerintahan Umum,\nRAB.09.06,   ,\n", 3, "name", "Nama kosong"),
    ],
    ids=["one-digit", "three-digits", "other-catalog", "orphan", "duplicate", "empty-name"],
)
def test_bad_rows_name_line_and_column(catalogs, rows, line, column, fragment):
    problems = problems_of(catalogs, csv_upload(HEADER + rows))
    assert [(p.line, p.column) for p in problems] == [(line, column)], problems
    assert fragment in problems[0].message
    assert str(problems[0]).startswith(f"baris {line}, kolom {column}: ")


def test_every_problem_is_reported_at_once(catalogs):
    rows = "RAB.1,Sektor,\nRAL.01,Layanan,\nRAB.09,,\nRAB.09.06.01,Yatim,\n"
    problems = problems_of(catalogs, csv_upload(HEADER + rows))
    assert [(p.line, p.column) for p in problems] == [(2, "code"), (3, "code"), (4, "name"), (5, "code")]
    assert parse_catalog_file(csv_upload(HEADER + rows), catalogs["RAB"]).level_counts() == {1: 1, 3: 1}


def test_xlsx_problems_use_the_sheet_row_numbers(catalogs):
    upload = xlsx_upload([("code", "name"), ("RAB.09", "Pemerintahan Umum"), (None, None), ("RAB.09.6", "Aparatur")])
    problems = problems_of(catalogs, upload)
    assert [(p.line, p.column) for p in problems] == [(4, "code")]


def test_declared_parent_and_level_must_agree(catalogs):
    text = "code,parent_code,level,name\nRAB.09,,1,Pemerintahan Umum\nRAB.09.06,RAB.08,3,Aparatur Negara\n"
    problems = problems_of(catalogs, csv_upload(text))
    assert [(p.line, p.column) for p in problems] == [(3, "level"), (3, "parent_code")]


def test_non_utf8_csv_names_line_and_column(catalogs):
    text = HEADER + "RAB.09,Pemerintahan Umum,\nRAB.09.06,Aparatur Negara,Urusan pemerintahan umum é\n"
    problems = problems_of(catalogs, csv_upload(text, encoding="latin-1"))
    assert [(p.line, p.column) for p in problems] == [(3, "description")]
    assert "UTF-8" in problems[0].message


def test_missing_columns(catalogs):
    problems = problems_of(catalogs, csv_upload("kode,judul\nRAB.09,Pemerintahan Umum\n"))
    assert [(p.line, p.column) for p in problems] == [(1, "name")]
    assert "Kolom wajib" in problems[0].message


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("rab.csv", PNG),
        SimpleUploadedFile("rab.png", PNG),
        SimpleUploadedFile("rab.pdf", b"%PDF-1.4\n" + b"0" * 64),
        SimpleUploadedFile("rab.docx", b"PK\x03\x04" + b"\x00" * 64),
        SimpleUploadedFile("rab.csv", b"code,name\x00\x01\x02" * 10),
        SimpleUploadedFile("rab.csv", b""),
        SimpleUploadedFile("rab<x>.csv", b"code,name\nRAB.09,Pemerintahan Umum\n"),
    ],
    ids=["png-as-csv", "png", "pdf", "zip", "binary-csv", "empty", "bad-name"],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(catalogs, upload):
    problems = problems_of(catalogs, upload)
    assert len(problems) == 1 and problems[0].line == 0
    assert "CSV" in problems[0].message


def test_version_name_must_be_new(catalogs):
    preview = parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"])
    before = written()
    with pytest.raises(ValidationError) as error:
        publish_version(preview, name="Perpres 132/2022")
    assert "sudah memiliki versi dengan nama" in str(error.value)
    assert written() == before


def test_draft_is_not_in_force_until_published(catalogs):
    from sia.reference.importer import make_current

    version, created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Draf", publish=False)
    assert created and version.status == VersionStatus.DRAFT and not version.is_current
    make_current(version)
    assert CatalogVersion.objects.get(catalog__code="RAB", is_current=True) == version
