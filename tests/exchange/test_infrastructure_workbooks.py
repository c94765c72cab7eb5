"""The infrastruktur and keamanan workbooks in the shape of the AS-IS templates in circulation: ``→ <kind>
(Dependency)`` headers for the links a row holds, export-only ``← <kind>`` columns for what uses it; both
workbooks round-trip with an edited cell in each sheet; bad rows get a message naming sheet, row and column and
nothing is written."""

import io
import itertools

import openpyxl
import pytest
from django.utils import translation

from sia.architecture.choices import ServerType
from sia.architecture.kindgroups import kind_groups
from sia.architecture.models import (
    Application, CloudService, ComputingFacility, DataItem, SecurityStandard, Server, Service, StorageMedia,
)
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.exchange.choices import ImportStatus
from sia.exchange.columns import sheet_for
from sia.exchange.committer import write_plan
from sia.exchange.kinds import InverseColumn, LinkColumn, LinksColumn
from sia.exchange.uploads import ImportRefused, commit_import, start_import
from tests.kinds import Builder, link_rows_of, values_of

from .helpers import edit, export, plan, problems, read, row_of, upload, workbook

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def group_models(slug):
    return next(models for group, models in kind_groups() if group.slug == slug)


def header(model, name) -> str:
    return sheet_for(model).column(name).header


def snapshot(institution) -> dict:
    """Every architecture object of the instansi: its form values, its links with attributes and its version."""
    return {
        (model, obj.pk): (values_of(obj), link_rows_of(obj), obj.lock_version)
        for model in domain_models() for obj in model.objects.filter(institution=institution)
    }


def rows_of(content, title) -> list[dict]:
    rows = read(content)[title]
    return [dict(zip(rows[0], values)) for values in rows[1:]]


# --- the shape of the sheets ------------------------------------------------------------------------------
def test_links_a_kind_holds_are_headed_by_the_kind_they_depend_on():
    server = {column.name: column.header for column in sheet_for(Server).columns}
    assert server["facility"] == "→ Fasilitas Komputasi (Dependency)"
    assert server["host"] == "→ Server (Dependency)"
    assert server["storage_media"] == "→ Media Penyimpanan (Dependency)"
    assert server["platform_software"] == "→ Perangkat Lunak Platform (Dependency)"
    standard = {column.name: column.header for column in sheet_for(SecurityStandard).columns}
    assert standard["protected_servers"] == "→ Server (Dependency)"
    assert standard["protected_data"] == "→ Data dan Informasi (Dependency)"
    with translation.override("en"):  # the English workbook: the English label, the same arrow and suffix
        label = str(ComputingFacility._meta.verbose_name)
        assert sheet_for(Server).column("facility").header == f"→ {label} (Dependency)"
    # The business domains keep the headers of their own templates (an application holds two links to data).
    assert {column.name: column.header for column in sheet_for(Application).columns}["reads"] == "Data yang dibaca"


def test_every_link_of_a_kind_group_sheet_has_an_arrow_and_the_old_header_still_reads():
    for slug in ("infrastruktur", "keamanan"):
        for model in group_models(slug):
            for column in sheet_for(model).columns:
                # ``upgrades`` (every kind's: the as-is object a to-be upgrade develops) is no dependency.
                if isinstance(column, (LinkColumn, LinksColumn)) and column.name != "upgrades":
                    assert column.header.startswith("→ ") and column.header.rstrip(" *").endswith("(Dependency)"), (
                        model, column.header)
                    assert column.label != str(column.field.verbose_name)
                    assert "dependency" in " ".join(column.aliases())


def test_what_uses_an_object_closes_its_sheet():
    server = [column.header for column in sheet_for(Server).columns if isinstance(column, InverseColumn)]
    assert server == ["← Aplikasi", "← Server", "← Periferal", "← Perangkat Jaringan", "← Perangkat Keamanan",
                      "← Keamanan"]
    assert [c.header for c in sheet_for(ComputingFacility).columns if isinstance(c, InverseColumn)][:2] == [
        "← Server", "← Media Penyimpanan"]
    assert not any(isinstance(c, InverseColumn) for c in sheet_for(SecurityStandard).columns)  # nothing links to it
    # A business sheet gets only the columns of the kind groups linking to it (test_asis_template).
    assert [c.header for c in sheet_for(Application).columns if isinstance(c, InverseColumn)] == ["← Keamanan"]
    columns = sheet_for(Server).columns
    assert all(isinstance(column, InverseColumn) for column in columns[columns.index(sheet_for(Server).column(
        "status")) + 1:])


def test_inverse_columns_are_grey_with_a_comment_and_list_what_uses_the_object(world, kinds):
    user = world.users["admin"]
    application = kinds.build(Application, full=True)
    (server,) = application.servers.all()
    standard = kinds.build(SecurityStandard, full=True)
    hosted = kinds.build(Server, full=True, server_type=ServerType.VIRTUAL, host=server)
    if not standard.protected_servers.filter(pk=server.pk).exists():
        standard.protected_servers.add(server)
    content = export(user, world.inst, group_models("infrastruktur"))
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Server"]
    headers = {cell.value: cell for cell in sheet[1]}
    inverse = headers["← Aplikasi"]
    assert "Diisi SIA" in inverse.comment.text and "diabaikan saat diunggah" in inverse.comment.text
    assert inverse.fill.fgColor.rgb != headers["Nama *"].fill.fgColor.rgb
    row = row_of(content, "Server", server.code)
    values = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[row]]))
    assert values["← Aplikasi"] == application.code
    assert values["← Server"] == hosted.code
    assert standard.code in values["← Keamanan"].split("; ")
    assert sheet.cell(row=row, column=list(headers).index("← Aplikasi") + 1).font.i
    guide = " ".join(str(v) for r in book["Petunjuk"].iter_rows(values_only=True) for v in r if v)
    assert "(Dependency)" in guide and "← …" in guide


def test_a_reader_who_may_not_see_the_user_of_an_object_is_not_told_of_it(world, kinds):
    """The ← cells follow the rule of every link reader: an object the reader may not see is left out."""
    application = kinds.build(Application, full=True)
    (server,) = application.servers.all()
    hidden = Builder(world.dinkes).build(Application, name="Aplikasi Draf Dinkes", servers=[server])
    reader = world.users["operator"]  # an operator of DISKOMINFO: DINKES's drafts are not theirs to see
    assert not permissions.can(reader, permissions.VIEW, hidden)
    content = export(reader, world.inst, group_models("infrastruktur"))
    row = next(r for r in rows_of(content, "Server") if r["ID"] == server.code)
    assert row["← Aplikasi"] == application.code


@pytest.mark.parametrize("slug", ["infrastruktur", "keamanan"])
def test_export_queries_do_not_grow_with_rows(slug, world, kinds, count_queries):
    """Each sheet, ← columns included, reads its rows' links with a constant number of queries."""
    user = world.users["admin"]
    models = group_models(slug)

    def objects(n):
        for _index in range(n):
            for model in models:
                kinds.build(model, full=True, variant=next(_seq) % 3)
            kinds.build(Application, full=True)  # the ← Aplikasi cells

    objects(3)  # every variant the builder makes, so each column already reads its links (a column with none reads nothing)
    export(user, world.inst, models)  # the user's memberships are read once and kept
    few, _content = count_queries(lambda: export(user, world.inst, models))
    objects(6)
    many, content = count_queries(lambda: export(user, world.inst, models))
    assert all(len(rows_of(content, sheet_for(model).title)) >= 4 for model in models)
    assert few == many, (few, many)


# --- the round trip ---------------------------------------------------------------------------------------
def other_target(kinds, model):
    """An object of ``model`` the workbook's rows do not link to yet."""
    return kinds.build(model, name=f"Tujuan baru {model._meta.verbose_name} {next(_seq)}")


def edit_of(kinds, model, obj):
    """One cell of ``obj``'s row: its last ``→`` link (a new target added, the IDs as the cell holds them) or,
    on a sheet without one, its name. Returns (header, new cell, field name, expected value)."""
    spec = sheet_for(model)
    links = [c for c in spec.columns if isinstance(c, (LinkColumn, LinksColumn))
             and c.name not in ("host", "upgrades")]
    if not links:
        return header(model, "name"), "Nama diubah di Excel", "name", "Nama diubah di Excel"
    column = links[-1]
    target = other_target(kinds, column.target)
    if isinstance(column, LinksColumn):
        current = list(getattr(obj, column.name).values_list("code", flat=True))
        expected = set(getattr(obj, column.name).values_list("pk", flat=True)) | {target.pk}
        return column.header, "; ".join(current + [target.code]), column.name, expected
    return column.header, target.code.lower(), column.name, target.pk


@pytest.mark.parametrize("slug", ["infrastruktur", "keamanan"])
def test_the_workbook_round_trips_with_an_edited_cell_in_each_sheet(slug, world, kinds):
    user = world.users["admin"]
    models = group_models(slug)
    objects = {model: kinds.build(model, full=True) for model in models}
    kinds.build(Application, full=True)  # something uses the servers, cloud services, platforms...
    content = export(user, world.inst, models)
    unchanged = plan(content, user, world.inst)
    assert unchanged.problems == [], problems(unchanged)
    assert unchanged.counts()["create"] == unchanged.counts()["update"] == 0

    changes, expected = [], {}
    for model, obj in objects.items():
        title = sheet_for(model).title
        row = row_of(content, title, obj.code)
        written, cell, name, value = edit_of(kinds, model, obj)
        changes.append((title, row, written, cell))
        expected[model] = (name, value)
        inverse = [c.header for c in sheet_for(model).columns if isinstance(c, InverseColumn)]
        if inverse:  # a changed ← cell is ignored: neither an error nor a change, a formula there neither
            changes.append((title, row, inverse[0], "AP-TIDAK-ADA-999; apa saja"))
            changes.append((title, row, inverse[-1], "=B2"))
            # A row with only ← cells filled is blank, not a new object.
            changes.append((title, len(read(content)[title]) + 1, inverse[0], "AP-TIDAK-ADA-998"))
    before = snapshot(world.inst)
    edited = edit(content, changes)

    result = plan(edited, user, world.inst)
    assert result.problems == [], problems(result)
    assert result.counts()["update"] == len(models) and result.counts()["create"] == 0
    assert {row.sheet.title for row in result.rows if row.action == "update"} == {
        sheet_for(model).title for model in models}
    write_plan(result, user=user)

    after = snapshot(world.inst)
    assert set(after) == set(before)  # nothing created, nothing removed
    for model, obj in objects.items():
        name, value = expected[model]
        values, links, version = before.pop((model, obj.pk))
        now_values, now_links, now_version = after.pop((model, obj.pk))
        assert now_values == {**values, name: value}, model
        assert (now_links, now_version) == (links, version + 1)
    assert after == before  # every other object (targets, applications, the other rows) as it was


def test_an_export_of_the_earlier_headers_still_imports(world, kinds):
    """Files written before the arrows (“Fasilitas komputasi”, “Server dilayani”) still import."""
    user = world.users["admin"]
    server = kinds.build(Server, full=True)
    facility = other_target(kinds, ComputingFacility)
    content = workbook({"Server": [
        ["ID", "Perangkat daerah *", "Nama *", "Fasilitas komputasi"],
        [server.code, "DISKOMINFO", server.name, facility.code],
    ]})
    result = plan(content, user, world.inst)
    assert result.problems == [], problems(result)
    write_plan(result, user=user)
    server.refresh_from_db()
    assert server.facility_id == facility.pk


def test_a_business_sheet_reads_the_arrow_header_too(world, kinds):
    """The business domains keep their headers, but a file headed like the AS-IS templates imports there too."""
    data = kinds.build(DataItem, full=True)
    service = other_target(kinds, Service)
    content = workbook({"Data dan Informasi": [
        ["ID", "Perangkat daerah *", "Nama *", "→ Layanan (Dependency)"],
        [data.code, "DISKOMINFO", data.name, "; ".join([*data.services.values_list("code", flat=True), service.code])],
    ]})
    result = plan(content, world.users["admin"], world.inst)
    assert result.problems == [], problems(result)
    write_plan(result, user=world.users["admin"])
    assert service in data.services.all()


# --- bad input ----------------------------------------------------------------------------------------------
def refused(world, sheets, user="admin"):
    """The preview names each problem; the commit writes nothing. Returns the errors (sheet, row, column, message)."""
    before = snapshot(world.inst), snapshot(world.other)
    record = start_import(upload(workbook(sheets)), user=world.users[user], institution=world.inst)
    assert record.status == ImportStatus.PREVIEW and record.error_count, record.problems
    assert not record.can_commit
    with pytest.raises(ImportRefused):
        commit_import(record, user=world.users[user])
    assert (snapshot(world.inst), snapshot(world.other)) == before
    return [(p["sheet"], p["row"], p["column"], p["message"]) for p in record.problems if p["level"] == "error"]


def new_row(model, **cells):
    """Headers and one new row of DISKOMINFO: ``cells`` by field name."""
    names = ["code", "department", "name"]
    names += [name for name in cells if name not in names]
    defaults = {"code": "", "department": "DISKOMINFO", "name": f"{model._meta.verbose_name} baru"}
    return [header(model, name) for name in names], [cells.get(name, defaults.get(name)) for name in names]


def test_a_server_in_another_instansis_facility(world, kinds):
    far = Builder(world.far).build(ComputingFacility, name="Pusat Data Kota Lain")
    good = kinds.build(ComputingFacility)
    headers, row = new_row(Server, facility=far.code)
    _headers, fine = new_row(Server, facility=good.code)
    errors = refused(world, {"Server": [headers, fine, row]})
    assert [e[:3] for e in errors] == [("Server", 3, "→ Fasilitas Komputasi (Dependency)")], errors
    assert far.code in errors[0][3] and "tidak ditemukan" in errors[0][3]


def test_a_negative_capacity(world, kinds):
    headers, row = new_row(StorageMedia, capacity_gb="-500")
    errors = refused(world, {"Media Penyimpanan": [headers, row]})
    assert [e[:3] for e in errors] == [("Media Penyimpanan", 2, "Kapasitas (GB)")], errors
    assert errors[0][3] == "Kapasitas (GB) tidak boleh negatif."


def test_an_end_date_before_the_start(world, kinds):
    headers, row = new_row(SecurityStandard, valid_from="01-07-2025", valid_until="30-06-2025")
    errors = refused(world, {"Standar Keamanan": [headers, row]})
    assert [e[:3] for e in errors] == [("Standar Keamanan", 2, header(SecurityStandard, "valid_until"))], errors
    assert "tidak boleh sebelum" in errors[0][3]
    headers, row = new_row(CloudService, license_start="2025-07-01", license_end="2025-06-30")
    errors = refused(world, {"Komputasi Awan": [headers, row]})
    assert [e[:3] for e in errors] == [("Komputasi Awan", 2, header(CloudService, "license_end"))], errors
    assert "tidak boleh sebelum" in errors[0][3]


def test_a_protected_object_of_another_instansi(world, kinds):
    far = Builder(world.far).build(Server, name="Server Kota Lain")
    own = kinds.build(Server)
    headers, row = new_row(SecurityStandard, protected_servers=f"{own.code}; {far.code}")
    errors = refused(world, {"Standar Keamanan": [headers, row]})
    assert [e[:3] for e in errors] == [("Standar Keamanan", 2, "→ Server (Dependency)")], errors
    assert far.code in errors[0][3] and own.code not in errors[0][3]


def test_a_physical_server_on_a_host_or_a_server_on_itself(world, kinds):
    """Only a virtual server runs on a host; a server never runs on itself (the declared no-cycle rule)."""
    physical = kinds.build(Server, server_type=ServerType.PHYSICAL)
    headers, on_host = new_row(Server, server_type="Fisik", host=physical.code)
    _headers, on_itself = new_row(Server, code="SV-DISKOMINFO-901", server_type="Virtual", host="SV-DISKOMINFO-901")
    errors = refused(world, {"Server": [headers, on_host, on_itself]})
    host = "→ Server (Dependency)"
    assert [e[:3] for e in errors] == [("Server", 2, host), ("Server", 3, host)], errors
    assert "Hanya server virtual" in errors[0][3]
    assert "dirinya sendiri" in errors[1][3] or "siklus: SV-DISKOMINFO-901 → SV-DISKOMINFO-901" in errors[1][3]


def test_a_host_chain_that_closes_a_cycle(world, kinds):
    """A virtual server may run on another (nested virtualisation), but never in a loop (the declared no-cycle rule)."""
    first = kinds.build(Server, server_type=ServerType.VIRTUAL)
    second = kinds.build(Server, server_type=ServerType.VIRTUAL, host=first)
    headers = [header(Server, name) for name in ("code", "department", "name", "host")]
    errors = refused(world, {"Server": [headers, [first.code, "DISKOMINFO", first.name, second.code]]})
    assert [e[:3] for e in errors] == [("Server", 2, "→ Server (Dependency)")], errors
    assert "siklus" in errors[0][3] and first.code in errors[0][3] and second.code in errors[0][3], errors
