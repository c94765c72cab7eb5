"""The Peta Rencana workbook: export → upload unchanged changes nothing; one edited cell changes that only (in the
history); bad input is refused naming the sheet, row and column, and nothing is written."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from sia.roadmap.workbook import SHEETS, build_workbook
from sia.roadmap.workbook_commit import commit_workbook
from sia.roadmap.workbook_import import plan_upload, plan_workbook
from tests.exchange.helpers import workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODELS = (StrategicTarget, Initiative, Program, Activity, ActivityYear, ActivityGap)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def fingerprint():
    """Every row of every roadmap table: what a refused upload must leave as it was."""
    return {model.__name__: sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields
                                                               if f.attname != "updated"]))
            for model in MODELS}


def read(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def edit(content: bytes, sheet: str, changes: dict) -> bytes:
    """``changes``: {(row, header): value}; row 2 is the first data row; header as in the template."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    for (row, header), value in changes.items():
        worksheet.cell(row=row, column=headers.index(header) + 1, value=value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def row_of(content, sheet, first_cell) -> int:
    rows = read(content)[sheet]
    return next(index for index, row in enumerate(rows, start=1) if row[0] == first_cell)


def errors(plan):
    return [(p.sheet, p.row, p.column, p.message) for p in plan.errors]


def upload(content, name="peta.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_export_holds_the_five_sheets_with_the_tree_years_and_gaps(world, roadmap):
    content = build_workbook(world.inst, world.users["verifier"])
    sheets = read(content)
    assert [s.title for s in SHEETS] == [t for t in sheets if t not in ("Petunjuk", "Daftar", "Versi")]
    assert sheets["Sasaran"][1][:3] == ["SS-01", "Pelayanan publik yang cepat", "2025-2029"]
    assert sheets["Program"][1][:4] == ["SS-01", "IN-01", "PR-01", "Aplikasi"]
    kegiatan = {row[0]: row for row in sheets["Kegiatan"][1:]}
    assert set(kegiatan) == {"KG-A", "KG-S", "KG-D", "KG-X"}
    assert kegiatan["KG-A"][1:5] == ["SS-01", "IN-01", "PR-01", "DISKOMINFO"]
    assert kegiatan["KG-A"][11] == f"aplikasi:{roadmap.new_app.code}"
    assert kegiatan["KG-D"][11] in ("", None)
    years = [row for row in sheets["Anggaran"][1:] if row[0] == "KG-A"]
    assert [(row[1], row[2], row[3]) for row in years] == [(2025, 100, "APBD"), (2026, 200, "APBN/DAK")]
    # the other instansi's sasaran is not in it
    assert len(sheets["Sasaran"]) == 2
    guide = " ".join(str(v) for row in sheets["Petunjuk"] for v in row if v)
    assert "lembar Anggaran" in guide


def test_template_is_empty_with_headers(world, roadmap):
    sheets = read(build_workbook(world.inst, world.users["admin"], prefill=False))
    assert all(len(sheets[s.title]) == 1 for s in SHEETS)
    assert sheets["Kegiatan"][0][:5] == ["Kode", "Kode sasaran*", "Kode inisiatif*", "Kode program*", "OPD*"]


def test_round_trip_unchanged_then_one_cell(world, roadmap):
    admin = world.users["admin"]
    content = build_workbook(world.inst, admin)
    before = fingerprint()
    plan = commit_workbook(content, user=admin, institution=world.inst, file_name="peta.xlsx")
    assert plan.is_clean, errors(plan)
    assert plan.counts()["create"] == 0 and plan.counts()["update"] == 0
    assert fingerprint() == before
    history = roadmap.a.history.count()

    row = row_of(content, "Kegiatan", "KG-A")
    changed = edit(content, "Kegiatan", {(row, "Nama*"): "Kegiatan A diperbarui"})
    plan = commit_workbook(changed, user=admin, institution=world.inst, file_name="peta.xlsx")
    assert plan.is_clean, errors(plan)
    assert plan.counts()["update"] == 1
    assert plan.changes() == [{"sheet": "Kegiatan", "row": row, "action": "update", "code": "KG-A",
                               "name": "Kegiatan A diperbarui", "fields": ["Nama"]}]
    roadmap.a.refresh_from_db()
    assert roadmap.a.name == "Kegiatan A diperbarui"
    assert roadmap.a.history.count() == history + 1
    record = roadmap.a.history.first()
    assert record.history_user == admin and "peta.xlsx" in record.history_change_reason
    assert record.request_id is not None
    after = fingerprint()
    assert {k: v for k, v in after.items() if k != "Activity"} == {k: v for k, v in before.items() if k != "Activity"}


def test_upload_creates_by_code_a_whole_branch_with_years_and_gaps(world, roadmap):
    admin = world.users["admin"]
    content = workbook({
        "Sasaran": [["Kode*", "Nama*", "Periode*"], ["SS-02", "Tata kelola", "2025-2029"]],
        "Inisiatif": [["Kode sasaran*", "Kode*", "Nama*"], ["SS-02", "IN-01", "Satu data"]],
        "Program": [["Kode sasaran*", "Kode inisiatif*", "Kode*", "Area*", "Nama*"],
                    ["SS-02", "IN-01", "PR-01", "tata-kelola", "Kebijakan"]],
        "Kegiatan": [["Kode", "Kode sasaran*", "Kode inisiatif*", "Kode program*", "OPD*", "Nama*", "Tahun mulai*",
                      "Tahun selesai*", "Gap ditutup"],
                     ["KG-NEW", "SS-02", "IN-01", "PR-01", "DINKES", "Peraturan", 2026, 2027,
                      f"aplikasi:{roadmap.upgrade.code}"]],
        "Anggaran": [["Kode kegiatan*", "Tahun*", "Pagu*", "Sumber", "RKA", "Realisasi", "Selesai"],
                     ["KG-NEW", 2026, "1.500.000", "APBD", 1000000, None, "Tidak"],
                     ["KG-A", 2027, 5, "APBN/DAK", None, None, "Ya"]],
    })
    plan = commit_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean, errors(plan)
    activity = Activity.objects.get(code="KG-NEW")
    assert activity.program.initiative.target.code == "SS-02" and activity.department == world.dinkes
    assert activity.years.get().budget == Decimal("1500000")
    assert [link.target for link in activity.gaps.all()] == [roadmap.upgrade]
    assert roadmap.a.years.get(year=2027).done is True
    assert plan.counts() == {"create": 6, "update": 0, "unchanged": 0}


def test_gap_cell_replaces_visible_links(world, roadmap):
    admin = world.users["admin"]
    content = build_workbook(world.inst, admin)
    row = row_of(content, "Kegiatan", "KG-A")
    changed = edit(content, "Kegiatan", {(row, "Gap ditutup"): f"aplikasi:{roadmap.upgrade.code}"})
    plan = commit_workbook(changed, user=admin, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert [link.target for link in roadmap.a.gaps.all()] == [roadmap.upgrade]
    assert plan.changes()[0]["fields"] == ["Gap ditutup"]


# --- bad input: a clear message naming the sheet, row and column, nothing written ------------------------------

def refused(world, content, user=None, name="peta.xlsx"):
    before = fingerprint()
    plan, _content = plan_upload(upload(content, name), user=user or world.users["admin"], institution=world.inst)
    if _content is not None:
        plan = commit_workbook(_content, user=user or world.users["admin"], institution=world.inst)
    assert not plan.is_clean
    assert fingerprint() == before
    return errors(plan)


def test_a_year_outside_the_period(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Anggaran", "KG-A")
    problems = refused(world, edit(content, "Anggaran", {(row, "Tahun*"): 2031}))
    assert problems == [("Anggaran", row, "Tahun*", "Tahun 2031 di luar tahun pelaksanaan kegiatan (2025-2027).")]
    row = row_of(content, "Kegiatan", "KG-A")
    problems = refused(world, edit(content, "Kegiatan", {(row, "Tahun selesai*"): 2031}))
    assert problems == [("Kegiatan", row, "Tahun selesai*", "Tahun selesai 2031 di luar periode 2025-2029.")]


def test_a_negative_pagu(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Anggaran", "KG-S")
    problems = refused(world, edit(content, "Anggaran", {(row, "Pagu*"): -5}))
    assert problems == [("Anggaran", row, "Pagu*", "Pagu tidak boleh negatif.")]


def test_an_unknown_program_code(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Kegiatan", "KG-D")
    problems = refused(world, edit(content, "Kegiatan", {(row, "Kode program*"): "PR-99"}))
    assert problems == [("Kegiatan", row, "Kode program*", "Program PR-99 tidak ada dalam inisiatif IN-01 (sasaran "
                         "SS-01); tambahkan di lembar Program.")]


def test_a_gap_of_another_instansi_or_that_does_not_exist(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Kegiatan", "KG-D")
    problems = refused(world, edit(content, "Kegiatan", {(row, "Gap ditutup"): f"aplikasi:{roadmap.far_app.code}"}))
    assert problems == [("Kegiatan", row, "Gap ditutup", f"Aplikasi {roadmap.far_app.code} tidak ada di arsitektur "
                         "instansi ini (atau tidak dapat Anda lihat).")]
    problems = refused(world, edit(content, "Kegiatan", {(row, "Gap ditutup"): "aplikasi:APL-TIDAK-ADA"}))
    assert problems == [("Kegiatan", row, "Gap ditutup", "Aplikasi APL-TIDAK-ADA tidak ada di arsitektur instansi "
                         "ini (atau tidak dapat Anda lihat).")]
    problems = refused(world, edit(content, "Kegiatan", {(row, "Gap ditutup"): "planet:X-1"}))
    assert problems[0][:3] == ("Kegiatan", row, "Gap ditutup") and "<jenis>:<kode>" in problems[0][3]
    # an as-is object that is not retiring is no gap: the model's rule says so
    problems = refused(world, edit(content, "Kegiatan", {(row, "Gap ditutup"): f"aplikasi:{roadmap.old_app.code}"}))
    assert problems[0][:3] == ("Kegiatan", row, "Gap ditutup") and "bukan gap" in problems[0][3]


def test_a_wrong_sheet_name_or_a_missing_column(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    renamed = openpyxl.load_workbook(io.BytesIO(content))
    renamed["Kegiatan"].title = "Kegiatn"
    output = io.BytesIO()
    renamed.save(output)
    problems = refused(world, output.getvalue())
    assert problems == [("Kegiatn", None, "", "Lembar “Kegiatn” tidak dikenal. Nama lembar harus salah satu dari: "
                         "Sasaran, Inisiatif, Program, Kegiatan, Anggaran.")]
    missing = workbook({"Program": [["Kode sasaran*", "Kode inisiatif*", "Kode*", "Nama*"],
                                    ["SS-01", "IN-01", "PR-03", "Tanpa area"]]})
    problems = refused(world, missing)
    assert problems[0] == ("Program", 1, "Area*", "Kolom wajib “Area*” tidak ada di lembar ini; salin baris judul "
                           "dari templat.")


def test_a_file_that_is_not_a_workbook_or_too_large(world, roadmap):
    problems = refused(world, b"%PDF-1.4 not a workbook at all" * 10)
    assert len(problems) == 1 and problems[0][:3] == ("", None, "") and ".xlsx" in problems[0][3]
    content = build_workbook(world.inst, world.users["admin"])
    with override_settings(SIA_IMPORT_MAX_BYTES=1000):
        problems = refused(world, content)
    assert len(problems) == 1 and "besar" in problems[0][3].lower()


def test_a_formula_is_refused_naming_the_cell(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Anggaran", "KG-S")
    problems = refused(world, edit(content, "Anggaran", {(row, "Pagu*"): "=10*5"}))
    assert problems[0][:2] == ("Anggaran", row) and "rumus" in problems[0][3]


def test_one_bad_row_among_good_ones_writes_nothing(world, roadmap):
    content = build_workbook(world.inst, world.users["admin"])
    content = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-A"), "Nama*"): "Nama baru"})
    problems = refused(world, edit(content, "Anggaran", {(row_of(content, "Anggaran", "KG-S"), "Pagu*"): -1}))
    assert [p[0] for p in problems] == ["Anggaran"]
    assert Activity.objects.get(code="KG-A").name == "Kegiatan KG-A"


# --- permissions ----------------------------------------------------------------------------------------------

def test_an_operator_writes_only_kegiatan_of_their_opd(world, roadmap):
    operator = world.users["operator"]  # DISKOMINFO
    content = build_workbook(world.inst, operator)
    # the whole export, unchanged, passes: rows the operator may not write are left alone
    assert plan_workbook(content, user=operator, institution=world.inst).is_clean
    row_a, row_d = row_of(content, "Kegiatan", "KG-A"), row_of(content, "Kegiatan", "KG-D")
    mine = edit(content, "Kegiatan", {(row_a, "Nama*"): "Milik kominfo"})
    plan = commit_workbook(mine, user=operator, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert Activity.objects.get(code="KG-A").name == "Milik kominfo"
    content = build_workbook(world.inst, operator)  # KG-A has a new version: the old export would overwrite it
    theirs = edit(content, "Kegiatan", {(row_d, "Nama*"): "Bukan milik kominfo"})
    problems = refused(world, theirs, operator)
    assert problems == [("Kegiatan", row_d, "OPD*", "Anda tidak berwenang menambah atau mengubah kegiatan OPD DINKES; "
                         "operator OPD hanya mengisi kegiatan OPD-nya sendiri. Baris ini ditolak.")]
    target = edit(content, "Sasaran", {(2, "Nama*"): "Sasaran diubah operator"})
    problems = refused(world, target, operator)
    assert problems == [("Sasaran", 2, "Kode*", "Hanya koordinator yang dapat menambah atau mengubah sasaran "
                         "strategis; baris ini ditolak (biarkan baris yang tidak Anda ubah seperti semula).")]
    year = edit(content, "Anggaran", {(row_of(content, "Anggaran", "KG-D"), "Pagu*"): 99})
    problems = refused(world, year, operator)
    assert problems[0][:2] == ("Anggaran", row_of(content, "Anggaran", "KG-D")) and "DINKES" in problems[0][3]
    moved = edit(content, "Kegiatan", {(row_a, "OPD*"): "DINKES"})
    problems = refused(world, moved, operator)
    assert problems[0][:3] == ("Kegiatan", row_a, "OPD*") and "DINKES" in problems[0][3]


def test_a_reader_sees_no_hidden_gap_and_an_upload_keeps_it(world, roadmap):
    hidden = Application.objects.create(department=world.dinkes, name="Draf Dinkes",
                                        state=ArchitectureState.TO_BE_NEW)
    ActivityGap.objects.create(activity=roadmap.a, content_type_id=roadmap.a.gaps.first().content_type_id,
                               object_id=hidden.pk)
    operator = world.users["operator"]
    content = build_workbook(world.inst, operator)
    row = row_of(content, "Kegiatan", "KG-A")
    cell = read(content)["Kegiatan"][row - 1][11]
    assert hidden.code not in cell
    plan = commit_workbook(edit(content, "Kegiatan", {(row, "Nama*"): "Ubah"}), user=operator, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert set(roadmap.a.gaps.values_list("object_id", flat=True)) == {roadmap.new_app.pk, hidden.pk}


# --- versions and review --------------------------------------------------------------------------------------

def test_an_old_export_does_not_overwrite_a_later_change(world, roadmap):
    admin = world.users["admin"]
    content = build_workbook(world.inst, admin)
    Activity.objects.filter(pk=roadmap.a.pk).update(name="Diubah di SIA", lock_version=2)
    # a change of another kegiatan passes once the KG-A row says what SIA holds (nothing of it is overwritten)
    other = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-S"), "Keluaran"): "Baru",
                                       (row_of(content, "Kegiatan", "KG-A"), "Nama*"): "Diubah di SIA"})
    assert plan_workbook(other, user=admin, institution=world.inst).is_clean
    row = row_of(content, "Kegiatan", "KG-A")
    problems = refused(world, edit(content, "Kegiatan", {(row, "Keluaran"): "Lama"}))
    assert problems == [("Kegiatan", row, "Kode", "KG-A sudah diubah di SIA setelah berkas ini diekspor (versi 1, "
                         "kini 2); perubahan baris ini akan menimpanya. Ekspor ulang, lalu ulangi perubahan Anda.")]
    year = row_of(content, "Anggaran", "KG-A")
    current = edit(content, "Kegiatan", {(row, "Nama*"): "Diubah di SIA"})
    problems = refused(world, edit(current, "Anggaran", {(year, "Pagu*"): 1}))
    assert problems[0][:3] == ("Anggaran", year, "Kode kegiatan*") and "versi 1, kini 2" in problems[0][3]


def test_changing_a_reviewed_kegiatan_sends_it_back_to_draft(world, roadmap):
    from sia.architecture.choices import ReviewStatus
    from sia.architecture.models import ReviewEvent

    admin = world.users["admin"]
    Activity.objects.filter(pk__in=[roadmap.a.pk, roadmap.s.pk]).update(status=ReviewStatus.VALIDATED)
    content = build_workbook(world.inst, admin)
    content = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-A"), "Keluaran"): "Portal"})
    content = edit(content, "Anggaran", {(row_of(content, "Anggaran", "KG-S"), "Pagu*"): 7})
    plan = plan_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean and sorted(p.message.split(" ")[0] for p in plan.warnings) == ["KG-A", "KG-S"]
    events = ReviewEvent.objects.count()
    assert commit_workbook(content, user=admin, institution=world.inst).is_clean
    roadmap.a.refresh_from_db()
    roadmap.s.refresh_from_db()
    assert (roadmap.a.status, roadmap.a.lock_version) == (ReviewStatus.DRAFT, 2)
    assert (roadmap.s.status, roadmap.s.lock_version) == (ReviewStatus.DRAFT, 2)
    assert ReviewEvent.objects.count() == events + 2


def test_a_new_kegiatan_gets_its_creation_event_and_an_automatic_code(world, roadmap):
    from sia.architecture.models import ReviewEvent

    content = workbook({"Kegiatan": [
        ["Kode", "Kode sasaran*", "Kode inisiatif*", "Kode program*", "OPD*", "Nama*", "Tahun mulai*",
         "Tahun selesai*"],
        [None, "SS-01", "IN-01", "PR-02", "DISKOMINFO", "Audit keamanan", 2027, 2027]]})
    plan = commit_workbook(content, user=world.users["operator"], institution=world.inst)
    assert plan.is_clean, errors(plan)
    created = Activity.objects.get(name="Audit keamanan")
    assert created.code == "KG-DISKOMINFO-001" and created.department == world.kominfo
    assert ReviewEvent.objects.filter(object_id=created.pk, action="buat").count() == 1
