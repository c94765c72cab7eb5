"""Upload semantics: the round trip, links by ID, tolerance for real spreadsheets, one validation path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.exchange.committer import write_plan
from sia.exchange.importer import plan_workbook

from .helpers import edit, export, plan, problems, read, row_of, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Referensi", "Proses induk", "Fungsi OPD", "Target IKU"]


def commit(content, user, inst):
    result = plan(content, user, inst)
    assert not result.errors, problems(result)
    write_plan(result, user=user)
    return result


def test_export_uploaded_unchanged_changes_nothing(ex, world):
    user = world.users["admin"]
    content = export(user, world.inst)
    result = plan(content, user, world.inst)
    assert result.problems == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 4}
    history = sum(m.history.count() for m in (BusinessProcess, Service, DataItem))
    write_plan(result, user=user)
    assert sum(m.history.count() for m in (BusinessProcess, Service, DataItem)) == history


def test_three_edited_cells_are_exactly_three_updates(ex, world):
    user = world.users["admin"]
    content = export(user, world.inst)
    edited = edit(content, [
        ("Proses Bisnis", row_of(content, "Proses Bisnis", ex.process.code), "Target IKU", "97%"),
        ("Layanan", row_of(content, "Layanan", ex.service.code), "Metode layanan", "Hybrid"),
        ("Data dan Informasi", row_of(content, "Data dan Informasi", ex.data.code), "Interoperabilitas", "Tidak"),
    ])
    result = commit(edited, user, world.inst)
    assert result.counts() == {"create": 0, "update": 3, "unchanged": 1}
    assert sorted(c["fields"][0] for c in result.changes()) == ["Interoperabilitas", "Metode layanan", "Target IKU"]
    ex.process.refresh_from_db(), ex.service.refresh_from_db(), ex.data.refresh_from_db()
    assert (ex.process.kpi_target, ex.service.method.name, ex.data.interoperable) == ("97%", "Hybrid", False)
    assert ex.process.lock_version == 2
    assert list(ex.service.processes.all()) == [ex.process]  # links not in the edit stay


def test_links_by_id_also_to_rows_of_the_same_file(ex, world):
    user = world.users["admin"]
    content = workbook({
        "Data dan Informasi": [
            ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis penghasil", "Layanan yang memakai"],
            ["", "DISKOMINFO", "Data Baru", "PB-DISKOMINFO-011; " + ex.process.code, "LY-DISKOMINFO-010"],
        ],
        "Layanan": [
            ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis"],
            ["LY-DISKOMINFO-010", "DISKOMINFO", "Layanan Baru", "PB-DISKOMINFO-010, PB-DISKOMINFO-011"],
        ],
        "Proses Bisnis": [
            PB,
            ["PB-DISKOMINFO-011", "DISKOMINFO", "Subproses", "", "PB-DISKOMINFO-010", "", ""],
            ["PB-DISKOMINFO-010", "DISKOMINFO", "Proses Induk Baru", "", ex.process.code, "1; 2", ""],
        ],
    })
    result = commit(content, user, world.inst)
    assert result.counts() == {"create": 4, "update": 0, "unchanged": 0}
    parent = BusinessProcess.objects.get(code="PB-DISKOMINFO-010")
    child = BusinessProcess.objects.get(code="PB-DISKOMINFO-011")
    assert child.parent == parent and parent.parent == ex.process
    assert set(parent.functions.all()) == set(ex.functions)
    service = Service.objects.get(code="LY-DISKOMINFO-010")
    assert set(service.processes.all()) == {parent, child}
    data = DataItem.objects.get(name="Data Baru")
    assert data.code == "DI-DISKOMINFO-002"
    assert set(data.processes.all()) == {child, ex.process} and list(data.services.all()) == [service]
    assert all(workflow.conversation(obj).get().action == workflow.A.CREATE for obj in (parent, child, service, data))


def test_cycle_among_new_rows_is_the_model_rule(ex, world):
    content = workbook({"Proses Bisnis": [
        PB,
        ["PB-DISKOMINFO-020", "DISKOMINFO", "A", "", "PB-DISKOMINFO-021", "", ""],
        ["PB-DISKOMINFO-021", "DISKOMINFO", "B", "", "PB-DISKOMINFO-020", "", ""],
    ]})
    result = plan(content, world.users["admin"], world.inst)
    assert {(p[1], p[2]) for p in problems(result)} == {(2, "Proses induk"), (3, "Proses induk")}
    assert all("siklus" in p[3] for p in problems(result))


def test_parent_in_another_opd_is_the_model_rule(ex, world):
    content = workbook({"Proses Bisnis": [PB, ["", "DINKES", "Proses X", "", ex.process.code, "", ""]]})
    assert problems(plan(content, world.users["admin"], world.inst)) == [
        ("Proses Bisnis", 2, "Proses induk", "Proses induk harus milik OPD yang sama.")]


def test_model_rules_map_to_the_sheet_column(ex, world):
    content = workbook({"Layanan": [
        ["ID", "OPD", "Nama", "Potensi risiko", "Mitigasi risiko", "Periode"],
        ["", "DISKOMINFO", "Layanan Berisiko", "Kebocoran data", "", "2025-2028"],
        ["", "DISKOMINFO", "", "", "", ""],
    ]})
    result = plan(content, world.users["admin"], world.inst)
    assert problems(result) == [
        ("Layanan", 2, "Periode", "Periode mencakup lima tahun, mis. 2025-2029."),
        ("Layanan", 2, "Mitigasi risiko", "Potensi risiko diisi: mitigasinya wajib diisi juga."),
        ("Layanan", 3, "Nama", "Wajib diisi untuk baris baru."),
    ]


def test_a_missing_required_column_is_named_once_per_new_row(ex, world):
    content = workbook({"Proses Bisnis": [["ID", "Nama *"], [ex.process.code, ex.process.name], ["", "Baru"]]})
    assert problems(plan(content, world.users["admin"], world.inst)) == [
        ("Proses Bisnis", 3, "Perangkat daerah *", "Kolom ini tidak ada di lembar, padahal wajib untuk baris baru.")]


def test_real_spreadsheets_are_read_tolerantly(ex, world):
    content = workbook({
        "Catatan rapat": [["bebas"]],
        "layanan": [
            ["Templat isian layanan OPD (versi lokakarya)"],
            [],
            ["nama *", "OPD", "referensi", "Proses Bisnis", "target layanan", "Unit pelaksana", "No."],
            ["  Layanan Informasi Publik  ", " diskominfo ", "ral.01.43.04", f" {ex.process.code.lower()} ", "masyarakat",
             "Bidang Statistik", 1],
            [None, None, None, None, None, None, None],
            ["Layanan Kedua", "Dinas Komunikasi dan Informatika", "RAL.01.43.04 pengelolaan data statistik", "", "",
             "", 2],
            [None, None, None, None, None, None, 3],
        ],
        "PROSES BISNIS": [
            ["ID", "Perangkat daerah", "Nama", "Target IKU", "Fungsi OPD"],
            [ex.process.code, "DISKOMINFO", "Pengelolaan Data Statistik", 95, "1. Perumusan kebijakan teknis"],
        ],
    })
    result = plan(content, world.users["admin"], world.inst)
    assert problems(result) == []
    assert [(p.sheet, p.column, p.level) for p in result.warnings] == [
        ("Catatan rapat", "", "warning"), ("layanan", "No.", "warning")]
    assert result.counts() == {"create": 2, "update": 1, "unchanged": 0}
    write_plan(result, user=world.users["admin"])
    first = Service.objects.get(name="Layanan Informasi Publik")
    assert (first.department, first.reference.code, first.target.name, first.executing_unit) == (
        world.kominfo, "RAL.01.43.04", "Masyarakat", ex.unit)
    assert list(first.processes.all()) == [ex.process]
    assert Service.objects.get(name="Layanan Kedua").category == "publik"  # the model's save() ran
    ex.process.refresh_from_db()
    assert ex.process.kpi_target == "95"


def test_new_rows_without_id_get_free_ids(ex, world):
    content = workbook({"Proses Bisnis": [
        PB,
        ["", "DISKOMINFO", "Tanpa ID 1", "", "", "", ""],
        ["PB-DISKOMINFO-002", "DISKOMINFO", "Dengan ID", "", "", "", ""],
        ["", "DISKOMINFO", "Tanpa ID 2", "", "", "", ""],
        ["", "DINKES", "Tanpa ID Dinkes", "", "", "", ""],
    ]})
    commit(content, world.users["admin"], world.inst)
    codes = dict(BusinessProcess.objects.values_list("name", "code"))
    assert (codes["Tanpa ID 1"], codes["Tanpa ID 2"], codes["Tanpa ID Dinkes"]) == (
        "PB-DISKOMINFO-003", "PB-DISKOMINFO-004", "PB-DINKES-002")


def test_reviewed_object_that_changes_goes_back_to_draft(ex, world):
    BusinessProcess.objects.filter(pk=ex.process.pk).update(status=ReviewStatus.VALIDATED)
    user = world.users["admin"]
    content = export(user, world.inst, [BusinessProcess])
    edited = edit(content, [("Proses Bisnis", row_of(content, "Proses Bisnis", ex.process.code), "Realisasi IKU", "80%")])
    result = plan(edited, user, world.inst)
    assert [p.message for p in result.warnings] == [
        f"{ex.process.code} sudah divalidasi; perubahan mengembalikannya ke draf untuk direview ulang."]
    write_plan(result, user=user)
    ex.process.refresh_from_db()
    assert ex.process.status == ReviewStatus.DRAFT and ex.process.kpi_actual == "80%"
    assert workflow.conversation(ex.process).last().action == workflow.A.REOPEN


def test_links_the_user_cannot_see_are_kept(ex, world):
    ex.service.processes.add(ex.dinkes_process)  # a draft of another OPD: the DISKOMINFO operator cannot see it
    operator = world.users["operator"]
    content = export(operator, world.inst, [Service])
    rows = read(content)["Layanan"]
    assert rows[1][rows[0].index("Proses bisnis")] == ex.process.code  # the hidden link is not shown
    assert plan(content, operator, world.inst).counts()["unchanged"] == 1
    edited = edit(content, [("Layanan", row_of(content, "Layanan", ex.service.code), "Tujuan", "Data terbuka")])
    commit(edited, operator, world.inst)
    assert set(ex.service.processes.all()) == {ex.process, ex.dinkes_process}


def test_clearing_a_cell_clears_the_field(ex, world):
    user = world.users["admin"]
    content = export(user, world.inst, [Service])
    row = row_of(content, "Layanan", ex.service.code)
    commit(edit(content, [("Layanan", row, "Proses bisnis", None), ("Layanan", row, "Target layanan", None)]),
           user, world.inst)
    ex.service.refresh_from_db()
    assert ex.service.target is None and not ex.service.processes.exists()


def test_department_of_an_existing_object_cannot_move(ex, world):
    content = workbook({"Proses Bisnis": [PB, [ex.process.code, "DINKES", ex.process.name, "", "", "", ""]]})
    assert problems(plan(content, world.users["admin"], world.inst))[0][2] == "Perangkat daerah *"


def test_planning_queries_do_not_grow_with_rows(ex, world):
    user = world.users["admin"]

    def rows(n):
        return workbook({"Proses Bisnis": [PB] + [
            [f"PB-DISKOMINFO-{100 + i}", "DISKOMINFO", f"Proses {i}", "RAB.09.03.04", ex.process.code if i % 2 else "",
             "1", "90%"] for i in range(n)]})

    def queries(content):
        with CaptureQueriesContext(connection) as ctx:
            result = plan_workbook(content, user=user, institution=world.inst)
        assert not result.errors, problems(result)
        return len(ctx.captured_queries)

    queries(rows(1))  # the user's memberships are read once and kept
    few, many = queries(rows(5)), queries(rows(80))
    assert few == many, (few, many)
