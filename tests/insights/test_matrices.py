"""The four matrices on the hand-built landscape, with known cells; an OPD filter; permissions; the XLSX."""

import io

import openpyxl
import pytest

from sia.architecture.choices import ReviewStatus, ServerType
from sia.architecture.models import Application, Server
from sia.insights.graph import load_graph
from sia.insights.matrices import MATRICES, VIA, build, filename, matrix_workbook

from .conftest import make

pytestmark = pytest.mark.django_db


def marks(matrix) -> dict:
    """{(row name, column name): mark}."""
    names = {node.key: node.name for node in [*matrix.rows, *matrix.columns]}
    return {(names[row], names[column]): mark for (row, column), mark in matrix.cells.items()}


@pytest.fixture
def graph(world, landscape):
    return load_graph(world.users["admin"], world.inst)


def test_applications_by_business_process(graph, landscape):
    matrix = build(graph, "aplikasi-proses-bisnis")
    assert marks(matrix) == {
        ("SIMKES", "Pendaftaran Pasien"): "●", ("e-Planning", "Penyusunan RKPD"): "●",
        ("Portal Provinsi", "Publikasi Informasi"): "●",
    }
    assert {node.name for node in matrix.rows} == {"SIMKES", "e-Planning", "Portal Provinsi", "Aplikasi Lama"}
    assert len(matrix.columns) == 6
    assert (matrix.empty_rows, matrix.empty_columns) == (1, 3)  # Aplikasi Lama; three processes no app supports
    assert [node.code for node in matrix.rows] == sorted(node.code for node in matrix.rows)


def test_data_by_application_reads_and_writes(world, landscape):
    o = landscape
    o.app_kominfo.reads.add(o.data_alone)
    o.app_kominfo.writes.add(o.data_alone)
    matrix = build(load_graph(world.users["admin"], world.inst), "data-aplikasi")
    assert marks(matrix) == {
        ("Data Kunjungan Pasien", "SIMKES"): "W", ("Data Kunjungan Pasien", "e-Planning"): "R",
        ("Data Tanpa Sumber", "Portal Provinsi"): "RW",
    }
    assert (matrix.empty_rows, matrix.empty_columns) == (0, 1)  # Aplikasi Lama touches no data


def test_services_by_application_directly_or_through_processes(graph, landscape):
    matrix = build(graph, "layanan-aplikasi")
    assert marks(matrix) == {
        ("Layanan Perencanaan", "e-Planning"): "●",  # direct (also through its process: direct wins)
        ("Layanan Puskesmas", "SIMKES"): "○",  # realized by Pelayanan Kesehatan, whose sub-process SIMKES supports
        ("Layanan Informasi Publik", "Portal Provinsi"): "○",
    }
    assert matrix.empty_rows == 1  # Layanan Musrenbang: not digital


def test_infrastructure_by_application_directly_or_through_other_infrastructure(world, landscape):
    o = landscape
    virtual = make(Server, o.kominfo, "Server Virtual", server_type=ServerType.VIRTUAL, host=o.sv2)
    make(Application, o.dinkes, "SIMPUS", servers=[virtual])
    matrix = build(load_graph(world.users["admin"], world.inst), "infrastruktur-aplikasi")
    found = marks(matrix)
    assert {cell: mark for cell, mark in found.items() if cell[1] == "SIMPUS"} == {
        ("Server Virtual", "SIMPUS"): "●", ("Server Aplikasi 2", "SIMPUS"): "○",
        ("Pusat Data Provinsi", "SIMPUS"): "○",  # virtual server -> physical host -> data centre
    }
    assert {cell: mark for cell, mark in found.items() if cell[1] == "e-Planning"} == {
        ("Server Aplikasi 1", "e-Planning"): "●", ("CentOS 7", "e-Planning"): "●",
        ("Pusat Data Provinsi", "e-Planning"): "○",
    }
    assert found[("Server Aplikasi 2", "Portal Provinsi")] == "●"
    # Rows: every infrastruktur kind, grouped by kind; the printer nothing depends on is a row without a mark.
    assert [node.kind for node in matrix.rows] == [
        "fasilitas-komputasi", "server", "server", "server", "periferal", "perangkat-lunak-platform"]
    assert matrix.empty_rows == 1 and matrix.empty_columns == 1  # Printer Ruang Server; Aplikasi Lama
    assert matrix.kinds["server"] == "Server"


def test_an_opd_filter_keeps_what_its_objects_are_linked_to(graph, landscape):
    o = landscape
    matrix = build(graph, "infrastruktur-aplikasi", department_id=o.dinkes.pk)
    # Dinkes owns no infrastructure: the rows are the shared infrastructure of Diskominfo its application uses.
    assert [node.name for node in matrix.columns] == ["SIMKES"]
    assert {node.name for node in matrix.rows} == {"Pusat Data Provinsi", "Server Aplikasi 1"}
    assert marks(matrix) == {("Server Aplikasi 1", "SIMKES"): "●", ("Pusat Data Provinsi", "SIMKES"): VIA}
    bappeda = build(graph, "aplikasi-proses-bisnis", department_id=o.bappeda.pk)
    assert {node.name for node in bappeda.rows} == {"e-Planning"}
    assert {node.name for node in bappeda.columns} == {"Penyusunan RKPD", "Musrenbang Manual"}
    assert bappeda.empty_columns == 1


def test_the_work_is_the_links_not_rows_times_columns(graph):
    for spec in MATRICES:  # no cell without a mark is stored: the matrix is as large as its marks
        matrix = build(graph, spec)
        assert all(matrix.cells.values())
        assert len(matrix.cells) < len(matrix.rows) * len(matrix.columns)


def test_an_operator_of_another_opd_sees_no_draft(world, landscape):
    o = landscape
    make(Application, o.dinkes, "Aplikasi Draf Dinkes", status=ReviewStatus.DRAFT, servers=[o.sv1],
         processes=[o.p_kominfo], reads=[o.data])
    graph = load_graph(world.users["operator"], world.inst)  # Diskominfo's operator
    for spec in MATRICES:
        matrix = build(graph, spec)
        assert "Aplikasi Draf Dinkes" not in {node.name for node in [*matrix.rows, *matrix.columns]}
        content = matrix_workbook(matrix, graph, world.inst)
        book = openpyxl.load_workbook(io.BytesIO(content))
        texts = {cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}
        assert "Aplikasi Draf Dinkes" not in texts
        assert "SIMKES" in texts or spec.slug == "data-aplikasi" and "Data Kunjungan Pasien" in texts
    own = build(load_graph(world.users["operator_dinkes"], world.inst), "aplikasi-proses-bisnis")
    assert "Aplikasi Draf Dinkes" in {node.name for node in own.rows}


def test_workbook_cells(world, graph, landscape):
    matrix = build(graph, "infrastruktur-aplikasi")
    book = openpyxl.load_workbook(io.BytesIO(matrix_workbook(matrix, graph, world.inst)))
    assert book.sheetnames == ["Matriks", "Keterangan"]
    sheet = book["Matriks"]
    assert sheet.freeze_panes == "E4"
    rows = list(sheet.iter_rows(values_only=True))
    codes = {code: index for index, code in enumerate(rows[0]) if index >= 4}
    assert rows[1][codes[landscape.app_bappeda.code]] == "e-Planning"
    assert rows[2][:4] == ("Jenis", "Kode", "Nama", "OPD")
    assert rows[2][codes[landscape.app_bappeda.code]] == "BAPPEDA"
    by_name = {row[2]: row for row in rows[3:]}
    assert by_name["Server Aplikasi 1"][:2] == ("Server", landscape.sv1.code)
    assert by_name["Server Aplikasi 1"][3] == "DISKOMINFO"
    assert by_name["Server Aplikasi 1"][codes[landscape.app_bappeda.code]] == "●"
    assert by_name["Pusat Data Provinsi"][codes[landscape.app_bappeda.code]] == "○"
    assert by_name["Printer Ruang Server"][4:] == (None,) * len(matrix.columns)
    assert len(rows) == 3 + len(matrix.rows)
    legend = [row for row in book["Keterangan"].iter_rows(values_only=True)]
    assert ("○", "aplikasi bergantung melalui infrastruktur lain (mis. server virtual → host fisik → pusat data)"
            ) in legend
    assert ("Instansi", "Pemerintah Provinsi Contoh") in legend


def test_a_name_that_looks_like_a_formula_is_text(world, landscape):
    o = landscape
    Application.objects.filter(pk=o.app_orphan.pk).update(name='=HYPERLINK("http://x.test","klik")')
    graph = load_graph(world.users["admin"], world.inst)
    content = matrix_workbook(build(graph, "aplikasi-proses-bisnis"), graph, world.inst)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Matriks"]
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x.test","klik")']
    assert cell.data_type == "s"
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_filename(world):
    spec = MATRICES[0]
    assert filename(spec, world.inst) == "matriks-aplikasi-proses-bisnis-82.xlsx"
    assert filename(spec, world.inst, "DINKES") == "matriks-aplikasi-proses-bisnis-82-dinkes.xlsx"


def test_a_matrix_reads_no_database(graph, django_assert_num_queries):
    with django_assert_num_queries(0):
        for spec in MATRICES:
            build(graph, spec)
