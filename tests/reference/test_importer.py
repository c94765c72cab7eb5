import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.reference.choices import VersionStatus
from sia.reference.importer import parse_catalog_file, publish_version
from sia.reference.loader import DATA_DIR
from sia.reference.models import CatalogVersion, ReferenceNode

from .helpers import RAB_SAMPLE, csv_upload, rezip, xlsx_upload

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
        ("RAB.09,Pemerintahan Umum,\nRAB.09.06,Kearsipan," + "u" * 2001 + "\n", 3, "description", "paling banyak 2000"),
    ],
    ids=["one-digit", "three-digits", "other-catalog", "orphan", "duplicate", "empty-name", "long-uraian"],
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


# --- issue 3: workbook safety checks, lengths, encodings, carrying instansi nodes over ------------

def clean_xlsx(name="rab.xlsx"):
    return xlsx_upload([("code", "name"), ("RAB.09", "Pemerintahan Umum")], name=name)


def only_problem(catalogs, upload):
    problems = problems_of(catalogs, upload)
    assert len(problems) == 1, problems
    return problems[0]


def test_xlsx_zip_bomb_is_refused_before_it_is_opened(catalogs):
    import zipfile

    upload = clean_xlsx()
    sheet = zipfile.ZipFile(upload).read("xl/worksheets/sheet1.xml")
    huge = sheet.replace(b"Pemerintahan Umum", b"A" * 3_000_000)  # a 3 MB name that deflates to a few KB
    bomb = rezip(upload, replace={"xl/worksheets/sheet1.xml": huge})
    assert bomb.size < 100_000
    problem = only_problem(catalogs, bomb)
    assert problem.line == 0 and "jauh lebih besar" in problem.message


def test_xlsx_with_macros_is_refused(catalogs):
    problem = only_problem(catalogs, rezip(clean_xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512}))
    assert problem.line == 0 and "makro" in problem.message


def test_macro_extension_is_refused_by_name(catalogs):
    problem = only_problem(catalogs, clean_xlsx(name="rab.xlsm"))
    assert problem.line == 0 and "makro" in problem.message


def test_password_protected_xlsx_says_so(catalogs):
    from sia.core.workbooks import OLE_SIGNATURE

    problem = only_problem(catalogs, SimpleUploadedFile("rab.xlsx", OLE_SIGNATURE + b"\x00" * 4096))
    assert problem.line == 0 and "kata sandi" in problem.message
    assert "tidak cocok" not in problem.message


def test_formulas_are_reported_by_line_and_column(catalogs):
    upload = xlsx_upload([
        ("code", "name", "description"),
        ("RAB.09", "Pemerintahan Umum", None),
        ("RAB.09.06", '=UPPER("aparatur negara")', None),
        ('="RAB.09"&".07"', "Urusan", "=1+1"),
    ])
    problems = problems_of(catalogs, upload)
    assert [(p.line, p.column) for p in problems] == [(3, "name"), (4, "code"), (4, "description")], problems
    assert all("berisi rumus; salin lalu tempel sebagai nilai" in p.message for p in problems)
    assert "Nama kosong" not in str(problems)


def test_csv_over_the_size_limit_is_refused(catalogs, settings):
    settings.SIA_IMPORT_MAX_BYTES = 200
    text = HEADER + "".join(f"RAB.{n:02d},Sektor {n},\n" for n in range(1, 20))
    problem = only_problem(catalogs, csv_upload(text))
    assert problem.line == 0 and "terlalu besar" in problem.message
    understated = csv_upload(text)
    understated.size = 100  # the bytes read decide, not the size the upload declares
    problem = only_problem(catalogs, understated)
    assert problem.line == 0 and "terlalu besar" in problem.message


@pytest.mark.parametrize("column, row", [
    ("name", "RAB.09,{long},\n"),
    ("name", "RAB.09,Pemerintahan Umum,\nRAB.09.06,{long},\n"),
])
def test_values_longer_than_the_model_allows_are_refused(catalogs, column, row):
    limit = ReferenceNode._meta.get_field(column).max_length
    rows = row.format(long="x" * 5000)
    problems = problems_of(catalogs, csv_upload(HEADER + rows))
    line = rows.count("\n") + 1
    assert [(p.line, p.column) for p in problems] == [(line, column)], problems
    assert f"{limit}" in problems[0].message and "5000" in problems[0].message


def test_xlsx_name_longer_than_the_model_allows_is_refused(catalogs):
    problems = problems_of(catalogs, xlsx_upload([("kode", "nama"), ("RAB.09", "y" * 301)]))
    assert [(p.line, p.column) for p in problems] == [(2, "nama")]


def test_create_nodes_refuses_values_the_columns_cannot_hold(catalogs):
    from sia.reference.loader import create_nodes

    version = CatalogVersion.objects.create(catalog=catalogs["RAB"], name="Langsung")
    before = ReferenceNode.objects.count()
    with pytest.raises(ValidationError):
        create_nodes(version, [{"code": "RAB.09", "name": "x" * 5000, "description": ""}])
    assert ReferenceNode.objects.count() == before


@pytest.mark.parametrize("encoding, label", [
    ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"),
])
def test_utf16_and_utf32_csv_name_the_expected_encoding(catalogs, encoding, label):
    problem = only_problem(catalogs, csv_upload(RAB_SAMPLE, encoding=encoding))
    assert (problem.line, problem.column) == (1, "")
    assert label in problem.message and "CSV UTF-8" in problem.message
    assert "bukan teks CSV" not in problem.message


def test_non_utf8_csv_says_which_encoding_is_expected(catalogs):
    problem = only_problem(catalogs, csv_upload(HEADER + "RAB.09,Pemerintahan Umum é,\n", encoding="cp1252"))
    assert (problem.line, problem.column) == (2, "name")
    assert "simpan sebagai “csv utf-8”" in problem.message.lower()


def test_publishing_carries_instansi_nodes_over(catalogs, world):
    from .helpers import mapped_process, node, own_node

    old = CatalogVersion.objects.get(catalog__code="RAB", is_current=True)
    kept = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    kept.description = "uraian instansi"
    kept.save()
    deeper = own_node(kept, world.inst, "RAB.09.06.06.01.01", "Arsip Vital")
    other = own_node(node("RAB.09.06.06"), world.other, "RAB.09.06.06.01", "Arsip Kota")
    orphan = own_node(node("RAB.09.06.05"), world.other, "RAB.09.06.05.01", "Tanpa induk baru")
    orphan_child = own_node(orphan, world.other, "RAB.09.06.05.01.01", "Cucu tanpa induk")
    entry = mapped_process(world.kominfo, kept)

    version, created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025",
                                       user=world.users["superuser"])
    assert created and version.is_current
    carried = {(n.institution_id, n.code): n for n in version.nodes.filter(institution__isnull=False)}
    assert set(carried) == {(world.inst.pk, "RAB.09.06.06.01"), (world.inst.pk, "RAB.09.06.06.01.01"),
                            (world.other.pk, "RAB.09.06.06.01")}
    new_kept = carried[(world.inst.pk, "RAB.09.06.06.01")]
    assert (new_kept.name, new_kept.description, new_kept.level) == ("Arsip Dinamis", "uraian instansi", 4)
    assert new_kept.parent == version.nodes.get(code="RAB.09.06.06", institution__isnull=True)
    assert carried[(world.inst.pk, "RAB.09.06.06.01.01")].parent == new_kept
    assert carried[(world.other.pk, "RAB.09.06.06.01")].parent == new_kept.parent
    assert new_kept.history.count() == 1 and new_kept.history.first().history_user == world.users["superuser"]
    assert [n.pk for n in version.carry_over.left_behind] == [orphan.pk, orphan_child.pk]
    assert len(version.carry_over.carried) == 3
    # The old version keeps every instansi node (still readable) and entries keep their node.
    assert set(old.nodes.filter(institution__isnull=False).values_list("pk", flat=True)) == {
        kept.pk, deeper.pk, other.pk, orphan.pk, orphan_child.pk}
    entry.refresh_from_db()
    assert entry.reference_id == kept.pk


def test_a_deeper_national_version_leaves_instansi_nodes_beside_its_new_codes_behind(catalogs, world):
    from .helpers import node, own_node

    # RAA was public to level 2; the instansi detailed RAA.01.01 and RAA.01.02 with its own areas.
    beside = own_node(node("RAA.01.01"), world.inst, "RAA.01.01.05", "Perizinan")
    under_leaf = own_node(node("RAA.01.02"), world.inst, "RAA.01.02.01", "Kepegawaian")
    deeper = "code,name\nRAA.01,Aplikasi Umum\nRAA.01.01,Layanan Publik\nRAA.01.01.01,Pengaduan\nRAA.01.02,Administrasi\n"
    version, _created = publish_version(parse_catalog_file(csv_upload(deeper), catalogs["RAA"]), name="RAA 2026")
    # RAA.01.01 now has a national level 3: an instansi area beside it is not carried; under a leaf it is.
    assert [n.code for n in version.carry_over.left_behind] == [beside.code]
    assert [n.code for n in version.carry_over.carried] == [under_leaf.code]


def test_publishing_an_older_version_again_does_not_duplicate_nodes(catalogs, world):
    from sia.reference.importer import make_current

    from .helpers import node, own_node

    old = CatalogVersion.objects.get(catalog__code="RAB", is_current=True)
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    new, _created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.02", "Baru di versi baru")
    own_node(node("RAB.09.06.07"), world.inst, "RAB.09.06.07.01", "Induknya hanya di versi baru")
    make_current(old)
    assert list(old.nodes.filter(institution__isnull=False).values_list("code", flat=True)) == [
        "RAB.09.06.06.01", "RAB.09.06.06.02"]
    assert [n.code for n in old.carry_over.carried] == ["RAB.09.06.06.02"]
    assert [n.code for n in old.carry_over.left_behind] == ["RAB.09.06.07.01"]
    assert new.nodes.filter(institution__isnull=False).count() == 3
