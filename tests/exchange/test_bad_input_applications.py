"""Bad Aplikasi uploads: each gets a message naming sheet, row and column, and nothing is written."""

import pytest

from sia.architecture.models import Application, ApplicationIntegration
from sia.exchange.choices import ImportStatus
from sia.exchange.uploads import ImportRefused, commit_import, start_import

from .helpers import upload, workbook

pytestmark = pytest.mark.django_db

AP = ["ID", "Perangkat daerah *", "Nama *", "Referensi", "Proses bisnis didukung", "Siklus hidup", "Tahun dihentikan"]
INT = ["Aplikasi sumber *", "Aplikasi tujuan *", "Arah", "Jalur", "Data yang dipertukarkan *", "Keterangan"]


def written():
    return (Application.objects.count(), ApplicationIntegration.objects.count(),
            sorted(Application.objects.values_list("code", "name", "lifecycle", "lock_version")))


def refused(world, sheets, user="admin"):
    """The preview lists the problems; the commit writes nothing. Returns the errors (sheet, row, column, message)."""
    before = written()
    record = start_import(upload(workbook(sheets)), user=world.users[user], institution=world.inst)
    assert record.status == ImportStatus.PREVIEW and record.error_count, record.problems
    with pytest.raises(ImportRefused):
        commit_import(record, user=world.users[user])
    assert written() == before
    return [(p["sheet"], p["row"], p["column"], p["message"]) for p in record.problems if p["level"] == "error"]


def good(name="Aplikasi Baru"):
    return ["", "DISKOMINFO", name, "RAA.01.01", "", "Produksi", ""]


def test_a_reference_from_another_catalog(app, world):
    bad = good("Aplikasi Salah Katalog")
    bad[3] = "RAB.09.03.04"
    errors = refused(world, {"Aplikasi": [AP, good(), bad]})
    assert [e[:3] for e in errors] == [("Aplikasi", 3, "Referensi")], errors
    assert errors[0][3] == "Referensi harus dari katalog RAA, bukan RAB."


def test_a_level_the_domain_does_not_allow(app, world):
    bad = good("Aplikasi Terlalu Umum")
    bad[3] = "RAA.01 Aplikasi Umum"
    errors = refused(world, {"Aplikasi": [AP, good(), bad]})
    assert [e[:3] for e in errors] == [("Aplikasi", 3, "Referensi")], errors
    assert errors[0][3] == ("Pilih simpul RAA tingkat 2 (Kelompok aplikasi) atau simpul di bawahnya, bukan tingkat 1 "
                            "(Jenis aplikasi).")


def test_links_to_another_instansi(app, ex, world):
    far_app = Application.objects.create(department=world.far, name="Aplikasi Kota Lain")
    bad = good("Aplikasi Bertaut Keluar")
    bad[4] = f"{ex.process.code}; {ex.far_process.code}"
    errors = refused(world, {
        "Aplikasi": [AP + ["OPD pengguna lain"], good() + ["DINKES"], bad + ["DKL"]],
        "Integrasi Aplikasi": [INT, [app.code, far_app.code, "", "", "Data penduduk", ""]],
    })
    assert errors == [
        ("Aplikasi", 3, "Proses bisnis didukung",
         f"ID {ex.far_process.code} tidak ditemukan di Proses Bisnis instansi ini."),
        ("Aplikasi", 3, "OPD pengguna lain", "OPD “DKL” tidak dikenal di Pemerintah Provinsi Contoh."),
        ("Integrasi Aplikasi", 2, "Aplikasi tujuan *", f"ID {far_app.code} tidak ditemukan di Aplikasi instansi ini."),
    ]


def test_retired_without_a_retirement_year(app, world):
    bad = good("Aplikasi Lama")
    bad[5] = "Dihentikan"
    errors = refused(world, {"Aplikasi": [AP, good(), bad]})
    assert errors == [("Aplikasi", 3, "Tahun dihentikan", "Aplikasi yang dihentikan perlu tahun dihentikannya.")]
    # Without the column in the sheet, the message names the field as the template heads it.
    errors = refused(world, {"Aplikasi": [AP[:6], good()[:6], bad[:6]]})
    assert errors == [("Aplikasi", 3, "Tahun dihentikan", "Aplikasi yang dihentikan perlu tahun dihentikannya.")]


def test_an_application_integrated_with_itself(app, world):
    errors = refused(world, {
        "Aplikasi": [AP, ["AP-DISKOMINFO-090"] + good()[1:]],
        "Integrasi Aplikasi": [
            INT, [app.code, app.code, "", "", "Data statistik", ""],
            ["AP-DISKOMINFO-090", "ap-diskominfo-090", "Dua arah", "", "Data statistik", ""],
        ],
    })
    message = "Aplikasi tidak dapat diintegrasikan dengan dirinya sendiri; pilih aplikasi tujuan yang lain."
    assert errors == [("Integrasi Aplikasi", 2, "Aplikasi tujuan *", message),
                      ("Integrasi Aplikasi", 3, "Aplikasi tujuan *", message)]


def test_a_bad_value_and_a_missing_required_cell_of_an_integration(app, world):
    other = Application.objects.create(department=world.kominfo, name="Aplikasi Kedua")
    errors = refused(world, {"Integrasi Aplikasi": [INT, [app.code, other.code, "Tiga arah", "SPLP", "", ""]]})
    assert [e[:3] for e in errors] == [("Integrasi Aplikasi", 2, "Arah"), ("Integrasi Aplikasi", 2,
                                                                           "Data yang dipertukarkan *")]
    assert "“Tiga arah” bukan pilihan arah" in errors[0][3]


def test_a_two_way_integration_and_its_reverse_in_one_file(app, world):
    other = Application.objects.create(department=world.kominfo, name="Aplikasi Kedua")
    errors = refused(world, {"Integrasi Aplikasi": [
        INT, [app.code, other.code, "Dua arah", "", "Data statistik", ""],
        [other.code, app.code, "Satu arah", "", "Data statistik", ""],
    ]})
    assert errors == [("Integrasi Aplikasi", 3, "Aplikasi tujuan *",
                       f"Baris 2 sudah mencatat {app.code} → {other.code}; integrasi dua arah cukup dicatat sekali, "
                       "sebagai satu baris.")]
