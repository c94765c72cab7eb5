"""A workbook in the shape of the AS-IS template in circulation (``Domain Arsitektur Infrastruktur - AS IS.xlsx``):
its sheet names (“Pusat Data”, “Pusat Kendali”, “Perangkat Keras Server”...) and column names (“Nama Server”,
“Kapasitas Memori”, “Status Kepemilikkan”...) import as SIA's kinds and fields (``sia.exchange.data.asis_aliases``);
the three facility sheets are one kind whose type the sheet gives. The ``← Keamanan`` column closes the Aplikasi
and Data sheets too."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sia.architecture.choices import FacilityType
from sia.architecture.models import Application, ComputingFacility, DataItem, SecurityStandard, Server
from sia.architecture.registry import domain_models
from sia.exchange.columns import sheet_for, sheets
from sia.exchange.committer import write_plan
from sia.exchange.data import asis_aliases
from sia.exchange.kinds import InverseColumn, header_key
from sia.exchange.reader import read_workbook, template_sheets
from tests import factories as f
from tests.kinds import Builder

from .helpers import export, plan, problems, workbook
from .test_infrastructure_workbooks import refused, snapshot

pytestmark = pytest.mark.django_db

FACILITY_HEADERS = ["ID", "Perangkat daerah", "Nama Pusat Kendali/Komputasi/Data", "Uraian/Deskripsi",
                    "Bandwidth Intranet", "Bandwidth Internet", "Lokasi", "Klasifikasi Tier Fasilitas",
                    "Kepemilikan(Information)", "Sistem Pengamanan Fasilitas", "Unit Kerja Penanggung Jawab"]
SERVER_HEADERS = ["ID", "Perangkat daerah", "Nama Server", "Deskripsi Server", "Nama Pemilik", "Kapasitas Memori",
                  "Jumlah Kapasitas Penyimpanan", "Jenis Penggunaan Server", "Status Kepemilikkan",
                  "Jenis Teknologi Prosesor", "Unit Pengelola Server", "Lokasi Perangkat Lunak Server",
                  "Teknik Penyimpanan", "→ Perangkat Lunak Platform", "← Fasilitas Komputasi"]


def facility_row(code, name, unit, tier="Tier 3"):
    return [code, "DISKOMINFO", name, f"Uraian {name}", 100, 1000, "Jl. Merdeka 1", tier, "Milik Sendiri",
            "Non Biometrik", unit]


def template(unit, **extra):
    """The template's sheets: three facility sheets (same columns) and the server sheet, one row each."""
    sheets = {
        "Pusat Data": [FACILITY_HEADERS, facility_row("FK-DISKOMINFO-801", "Pusat Data Provinsi", unit)],
        "Pusat Komputasi": [FACILITY_HEADERS, facility_row("FK-DISKOMINFO-802", "Ruang Server Dinas", unit, "Tier 1")],
        "Pusat Kendali": [FACILITY_HEADERS, facility_row("FK-DISKOMINFO-803", "Command Center", unit, "Tier 2")],
        "Perangkat Keras Server": [SERVER_HEADERS, [
            "SV-DISKOMINFO-801", "DISKOMINFO", "Server Aplikasi 1", "Server aplikasi portal", "", 64, 2000,
            "Database", "Milik Sendiri", "Intel Xeon", unit, "Rak 3, Pusat Data", "Raid 0", "",
            "FK-DISKOMINFO-801"]],
    }
    sheets.update(extra)
    return workbook(sheets)


def test_the_template_sheets_and_columns_import(world, kinds):
    user = world.users["admin"]
    unit = f.work_unit(world.kominfo, name="Bidang Infrastruktur TIK")
    result = plan(template(unit.name), user, world.inst)
    assert result.errors == [], problems(result)
    assert not any(p.message == "Lembar ini tidak dikenal dan diabaikan." for p in result.problems)
    unknown = {(p.sheet, p.column) for p in result.problems if p.message.startswith("Kolom tidak dikenal")}
    # Only the template columns SIA has no field for (listed in the README of the aliases) are left unread.
    assert unknown == {("Perangkat Keras Server", "Teknik Penyimpanan")}, result.problems
    assert result.counts()["create"] == 4
    assert [(s["sheet"], s["create"]) for s in result.sheet_summary()] == [
        ("Pusat Data", 1), ("Pusat Komputasi", 1), ("Pusat Kendali", 1), ("Perangkat Keras Server", 1)]
    write_plan(result, user=user)

    facilities = {obj.code: obj for obj in ComputingFacility.objects.filter(institution=world.inst)}
    assert {code: obj.facility_type for code, obj in facilities.items()} == {
        "FK-DISKOMINFO-801": FacilityType.DATA_CENTRE, "FK-DISKOMINFO-802": FacilityType.COMPUTING_CENTRE,
        "FK-DISKOMINFO-803": FacilityType.CONTROL_CENTRE}
    data_centre = facilities["FK-DISKOMINFO-801"]
    assert (data_centre.name, data_centre.description) == ("Pusat Data Provinsi", "Uraian Pusat Data Provinsi")
    assert (data_centre.intranet_bandwidth_mbps, data_centre.internet_bandwidth_mbps) == (100, 1000)
    assert (data_centre.tier.name, data_centre.ownership.name, data_centre.physical_security.name) == (
        "Tier 3", "Milik Sendiri", "Non Biometrik")
    assert (data_centre.managing_unit, data_centre.location) == (unit, "Jl. Merdeka 1")
    server = Server.objects.get(institution=world.inst, code="SV-DISKOMINFO-801")
    assert (server.name, server.description) == ("Server Aplikasi 1", "Server aplikasi portal")
    assert (server.memory_gb, server.storage_gb) == (Decimal("64"), Decimal("2000"))
    assert (server.usage.name, server.ownership.name, server.processor) == ("Database", "Milik Sendiri", "Intel Xeon")
    assert (server.managing_unit, server.location, server.facility) == (unit, "Rak 3, Pusat Data", data_centre)


def test_a_row_of_a_facility_sheet_may_repeat_its_type_but_not_contradict_it(world, kinds):
    unit = f.work_unit(world.kominfo, name="Bidang Infrastruktur TIK")
    headers = FACILITY_HEADERS + ["Jenis fasilitas"]
    agreeing = facility_row("FK-DISKOMINFO-811", "Pusat Data Cadangan", unit.name) + ["Pusat data"]
    contradicting = facility_row("FK-DISKOMINFO-812", "Ruang Kendali", unit.name) + ["Pusat kendali"]
    errors = refused(world, {"Pusat Data": [headers, agreeing, contradicting]})
    assert [e[:3] for e in errors] == [("Pusat Data", 3, "Jenis fasilitas")], errors
    assert "Pusat kendali" in errors[0][3] and "“Pusat Data”" in errors[0][3], errors
    fine = plan(workbook({"Pusat Data": [headers, agreeing]}), world.users["admin"], world.inst)
    assert fine.errors == [], problems(fine)


def test_an_id_on_two_facility_sheets_names_both(world, kinds):
    unit = f.work_unit(world.kominfo, name="Bidang Infrastruktur TIK")
    errors = refused(world, {
        "Pusat Data": [FACILITY_HEADERS, facility_row("FK-DISKOMINFO-821", "Pusat Data", unit.name)],
        "Pusat Kendali": [FACILITY_HEADERS, facility_row("FK-DISKOMINFO-821", "Pusat Kendali", unit.name)],
    })
    assert [e[:3] for e in errors] == [("Pusat Kendali", 2, "ID")], errors
    assert "FK-DISKOMINFO-821" in errors[0][3] and "“Pusat Data”" in errors[0][3] and "“Pusat Kendali”" in errors[0][3]


def test_a_kind_is_on_one_sheet_unless_the_sheets_are_its_parts(world, kinds):
    """The facility sheets each hold a part of the kind; the kind's own sheet beside one of them, or a second sheet
    under another of the kind's names, is refused as before."""
    unit = f.work_unit(world.kominfo, name="Bidang Infrastruktur TIK")
    row = facility_row("", "Pusat Data", unit.name)
    errors = refused(world, {"Fasilitas Komputasi": [FACILITY_HEADERS, row], "Pusat Data": [FACILITY_HEADERS, row]})
    assert [e[0] for e in errors] == ["Pusat Data"] and "satu domain hanya boleh satu lembar" in errors[0][3], errors
    headers = ["ID", "Perangkat daerah", "Nama Sistem Penghubung Layanan Pemerintah"]
    errors = refused(world, {"SPLP": [headers, ["", "DISKOMINFO", "SPLP Provinsi"]],
                             "Sistem Penghubung Layanan Pemer": [headers, ["", "DISKOMINFO", "SPLP Kedua"]]})
    assert [e[0] for e in errors] == ["Sistem Penghubung Layanan Pemer"], errors


def test_an_updated_facility_takes_the_type_of_its_sheet(world, kinds):
    facility = kinds.build(ComputingFacility, facility_type=FacilityType.COMPUTING_CENTRE)
    content = workbook({"Pusat Kendali": [["ID", "Perangkat daerah", "Nama Pusat Kendali/Komputasi/Data"],
                                          [facility.code, "DISKOMINFO", facility.name]]})
    result = plan(content, world.users["admin"], world.inst)
    assert result.errors == [], problems(result)
    assert result.counts()["update"] == 1 and result.changes()[0]["fields"] == ["Jenis fasilitas"]
    write_plan(result, user=world.users["admin"])
    facility.refresh_from_db()
    assert facility.facility_type == FacilityType.CONTROL_CENTRE


def test_every_template_name_resolves_to_a_kind_and_a_column():
    """The alias table names kinds and fields that exist, and each column alias is read (not shadowed)."""
    labels = {model._meta.label: model for model in domain_models()}
    for label in [*asis_aliases.SHEETS, *asis_aliases.COLUMNS] + [label for label, _f in
                                                                 asis_aliases.SPLIT_SHEETS.values()]:
        assert label in labels, label
    for _name, (label, fixed) in asis_aliases.SPLIT_SHEETS.items():
        for name, value in fixed.items():
            assert value in dict(labels[label]._meta.get_field(name).flatchoices), (label, name, value)
    specs = [sheet_for(model) for model in domain_models()]
    templates = template_sheets(specs)
    for label, names in asis_aliases.SHEETS.items():
        for name in names:
            spec = next((s for s in specs if header_key(name) in s.aliases()), None) or templates[header_key(name)][0]
            assert spec.model is labels[label], name
    for label, columns in asis_aliases.COLUMNS.items():
        spec = sheet_for(labels[label])
        for name, headers in columns.items():
            for written in headers:
                readers = [c.name for c in spec.columns if header_key(written) in c.aliases()]
                assert readers[:1] == [name], (label, written, readers)


# The columns of each sheet of the city's AS-IS template (attributes_seen.csv), and those SIA has no field for
# (the known gaps of sia/exchange/data/README.md).
TEMPLATE = {
    "Komputasi Awan": ["Nama Government Cloud", "Deskripsi Government Cloud", "Nama Pemilik", "Biaya Layanan",
                       "Tipe Goverment Cloud", "Status Kepemilikkan", "Unit Pengembang Government Cloud",
                       "→ Unit Operasional Government Cloud", "→ Edukasi Kesadaran Keamanan SPBE",
                       "Jangka Waktu Pelayanan", "← Aplikasi", "← Data dan Informasi", "→ Sistem Penghubung Layanan",
                       "← Fasilitas Komputasi", "→ Jaringan Intra Pemerintah"],
    "Perangkat Lunak Platform": ["Nama Perangkat Lunak", "Deskripsi Perangkat Lunak", "Jenis Sistem Database",
                                 "Jenis Sistem Utilitas", "Nama Pemilik Lisensi", "Validitas Lisensi Perangkat Lunak",
                                 "Jenis Sistem Operasi", "Jenis Lisensi", "Tipe Perangkat Lunak", "→ Komputasi Awan",
                                 "→ Fasilitas Komputasi"],
    "Perangkat Keras Server": ["Nama Server", "Deskripsi Server", "Nama Pemilik", "Kapasitas Memori",
                               "Jumlah Kapasitas Penyimpanan", "Jenis Penggunaan Server", "Status Kepemilikkan",
                               "Jenis Teknologi Prosesor", "Unit Pengelola Server", "Lokasi Perangkat Lunak Server",
                               "→ Perangkat Lunak Platform", "Teknik Penyimpanan", "→ Workflow - Proses Bisnis",
                               "← Fasilitas Komputasi"],
    "Perangkat Keras Periferal": ["Nama Perangkat Periferal", "Deskripsi Periferal", "Tipe Periferal",
                                  "Lokasi Penempatan Periferal", "Unit Pengelola Perangkat Periferal",
                                  "→ Fasilitas Komputasi", "→ Perangkat Keras Media Penyimpan",
                                  "→ Perangkat Keras Server", "→ Perangkat Lunak Platform"],
    "Perangkat Keras Media Penyimpan": ["Nama Data Storage", "Deskripsi Data Storage", "Nama Pemilik",
                                        "Kapasitas Penyimpanan", "Status Kepemilikan", "Metode Akses Data Sharing",
                                        "← Data dan Informasi", "Unit Pengelola Data Storage", "Lokasi Data Storage",
                                        "← Perangkat Lunak Platform", "← Perangkat Keras Server",
                                        "→ Fasilitas Komputasi"],
    "Perangkat Keras Keamanan": ["Nama Perangkat Keamanan", "Deskripsi Security Device", "Nama Pemilik",
                                 "Tipe Security Device", "Status Kepemilikan", "Unit Pengelola Security Device",
                                 "→ Fasilitas Komputasi", "→ Perangkat Keras Jaringan"],
    "Perangkat Keras Jaringan": ["Nama Network/Communication Device", "Deskripsi Network/Communication Device",
                                 "Nama Pemilik", "Tipe Network/Communication Device", "Status Kepemilikan",
                                 "Unit Pengelola Network/Communication Device", "→ Fasilitas Komputasi",
                                 "→ Perangkat Lunak Platform", "→ Perangkat Keras Server",
                                 "→ Perangkat Keras Media Penyimpan", "→ Instansi"],
    "SPLP": ["Nama Sistem Penghubung Layanan Pemerintah", "Deskripsi Sistem Penghubung", "Nama Pemilik",
             "Jenis Sistem Penghubung", "Status Kepemilikan", "→ Jaringan Intra Pemerintah", "← Aplikasi"],
    "Jaringan Intra": ["Nama Jaringan Intra Pemerintah", "Deskripsi Jaringan", "Jenis Jaringan", "Nama Pemilik",
                       "Bandwidth", "Media Lainnya", "Kepemilikan", "Tipe Media Jaringan"],
    **{title: ["Nama Pusat Kendali/Komputasi/Data", "Bandwidth Intranet", "Bandwidth Internet", "Lokasi",
               "Klasifikasi Tier Fasilitas", "Kepemilikan(Information)", "Sistem Pengamanan Fasilitas",
               "Unit Kerja Penanggung Jawab"] for title in ("Pusat Data", "Pusat Komputasi", "Pusat Kendali")},
}
GAPS = {
    ("Komputasi Awan", "Unit Pengembang Government Cloud"), ("Komputasi Awan", "→ Edukasi Kesadaran Keamanan SPBE"),
    ("Komputasi Awan", "Jangka Waktu Pelayanan"), ("Komputasi Awan", "← Fasilitas Komputasi"),
    ("Perangkat Lunak Platform", "Jenis Sistem Database"), ("Perangkat Lunak Platform", "Jenis Sistem Utilitas"),
    ("Perangkat Lunak Platform", "Jenis Sistem Operasi"),
    ("Perangkat Keras Server", "Teknik Penyimpanan"), ("Perangkat Keras Server", "→ Workflow - Proses Bisnis"),
    ("Perangkat Keras Media Penyimpan", "← Perangkat Lunak Platform"), ("Perangkat Keras Jaringan", "→ Instansi"),
    ("Jaringan Intra", "Media Lainnya"),
}


def test_every_sheet_of_the_template_is_read_and_only_the_known_gaps_are_unknown_columns():
    content = workbook({title: [["ID", "Perangkat daerah", *headers]] for title, headers in TEMPLATE.items()})
    result = read_workbook(content, sheets())
    assert [sheet.title for sheet in result.sheets] == list(TEMPLATE)
    assert not [p for p in result.problems if p.is_error and p.message != "Berkas tidak memuat baris data."], (
        result.problems)
    unknown = {(p.sheet, p.column) for p in result.problems if p.message.startswith("Kolom tidak dikenal")}
    assert unknown == GAPS, (unknown - GAPS, GAPS - unknown)
    readme = (Path(asis_aliases.__file__).parent / "README.md").read_text()
    assert all(column in readme for _sheet, column in GAPS)


def test_arrow_headers_of_the_template_name_the_kinds_by_their_template_names():
    from sia.architecture.models import NetworkDevice, SecurityDevice, StorageMedia

    def reader(model, written):
        return next(c.name for c in sheet_for(model).columns if header_key(written) in c.aliases())

    assert reader(SecurityDevice, "→ Perangkat Keras Jaringan") == "network_devices"
    assert reader(SecurityDevice, "→ Fasilitas Komputasi") == "facilities"
    assert reader(NetworkDevice, "→ Perangkat Keras Server") == "servers"
    assert reader(StorageMedia, "← Perangkat Keras Server") == "used_by_server"  # export-only, ignored on upload


# --- the other ends of keamanan links on the business sheets -----------------------------------------------------
def test_what_protects_an_application_or_data_closes_their_sheets():
    for model in (Application, DataItem):
        inverse = [c.header for c in sheet_for(model).columns if isinstance(c, InverseColumn)]
        assert "← Keamanan" in inverse, (model, inverse)
        # Only the kind groups: what business domains hold stays on their own sheets.
        assert all(c.sources[0].model.spec.group is not None
                   for c in sheet_for(model).columns if isinstance(c, InverseColumn)), model


def test_the_aplikasi_sheet_lists_the_security_measures_protecting_each_application(world, kinds):
    user = world.users["admin"]
    application = kinds.build(Application, full=True)
    standard = kinds.build(SecurityStandard, full=True)
    standard.protected_applications.add(application)
    hidden = Builder(world.dinkes).build(SecurityStandard, name="Standar Draf Dinkes")
    hidden.protected_applications.add(application)
    content = export(world.users["operator"], world.inst, [Application])
    sheet = openpyxl.load_workbook(io.BytesIO(content))[sheet_for(Application).title]
    headers = [cell.value for cell in sheet[1]]
    rows = {values[0]: dict(zip(headers, values)) for values in sheet.iter_rows(min_row=2, values_only=True)}
    # The operator of DISKOMINFO does not see DINKES's draft: it is left out.
    assert rows[application.code]["← Keamanan"] == standard.code
    content = export(user, world.inst, [Application])
    sheet = openpyxl.load_workbook(io.BytesIO(content))[sheet_for(Application).title]
    rows = {values[0]: dict(zip(headers, values)) for values in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows[application.code]["← Keamanan"].split("; ")) == {standard.code, hidden.code}
    # The column is export-only: the exported workbook, its ← cell changed, imports unchanged.
    before = snapshot(world.inst)
    column = headers.index("← Keamanan") + 1
    book = openpyxl.load_workbook(io.BytesIO(content))
    book[sheet_for(Application).title].cell(row=2, column=column).value = "SK-TIDAK-ADA-1"
    output = io.BytesIO()
    book.save(output)
    result = plan(output.getvalue(), user, world.inst)
    assert result.errors == [], problems(result)
    assert result.counts()["update"] == 0 and result.counts()["create"] == 0
    write_plan(result, user=user)
    assert snapshot(world.inst) == before


def test_the_business_sheets_read_what_protects_them_with_constant_queries(world, kinds, count_queries):
    user = world.users["admin"]
    models = [Application, DataItem]

    def objects(n):
        for _index in range(n):
            application, data = kinds.build(Application, full=True), kinds.build(DataItem, full=True)
            standard = kinds.build(SecurityStandard)
            standard.protected_applications.add(application)
            standard.protected_data.add(data)

    objects(1)
    export(user, world.inst, models)  # the user's memberships are read once and kept
    few, _content = count_queries(lambda: export(user, world.inst, models))
    objects(3)
    many, content = count_queries(lambda: export(user, world.inst, models))
    book = openpyxl.load_workbook(io.BytesIO(content))
    for model in models:
        sheet = book[sheet_for(model).title]
        headers = [cell.value for cell in sheet[1]]
        filled = [row[headers.index("← Keamanan")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert sum(1 for value in filled if value) >= 4, model
    assert few == many, (few, many)
