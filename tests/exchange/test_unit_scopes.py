"""The Excel side of the work-unit rule: template lists and upload checks follow sia.architecture.scopes."""

import io

import openpyxl
from django.core.exceptions import ValidationError
import pytest

from sia.architecture import scopes
from sia.architecture.models import DataItem, Service
from sia.exchange.committer import write_plan
from sia.exchange.formats import unit_label
from sia.exchange.workbook import build_workbook

from .. import factories as f
from .helpers import plan, problems, workbook
from .test_workbook import dropdowns

pytestmark = pytest.mark.django_db


@pytest.fixture
def bkd(ex, world):
    department = f.department(world.inst, name="Badan Kepegawaian Daerah", abbreviation="BKD")
    f.work_unit(department, name="Bidang Mutasi dan Promosi")
    f.work_unit(world.dinkes, name="Bidang Lama", is_active=False)
    return department


def test_upload_refuses_a_unit_of_another_opd_and_writes_nothing(ex, world, bkd):
    user = world.users["operator_dinkes"]
    content = workbook({"Layanan": [
        ["ID", "Perangkat daerah *", "Nama *", "Unit pelaksana"],
        ["", "DINKES", "Layanan Imunisasi", "BKD: Bidang Mutasi dan Promosi"],
        ["", "DINKES", "Layanan Rujukan", "DINKES: Bidang Pelayanan Kesehatan"],
    ]})
    result = plan(content, user, world.inst)
    assert problems(result) == [("Layanan", 2, "Unit pelaksana",
                                 "Pilih unit kerja DINKES: “Bidang Mutasi dan Promosi” adalah unit kerja BKD.")]
    with pytest.raises(ValidationError):
        write_plan(result, user=user)
    assert not Service.objects.filter(name__in=["Layanan Imunisasi", "Layanan Rujukan"]).exists()


def test_upload_accepts_the_diskominfo_as_walidata_like_the_form(ex, world, bkd):
    user = world.users["operator_dinkes"]
    content = workbook({"Data dan Informasi": [
        ["ID", "Perangkat daerah *", "Nama *", "Walidata (OPD)", "Walidata (unit kerja)"],
        ["", "DINKES", "Data Cakupan Imunisasi", "DISKOMINFO", "Bidang Statistik"],
    ]})
    result = plan(content, user, world.inst)
    assert problems(result) == []
    write_plan(result, user=user)
    data = DataItem.objects.get(name="Data Cakupan Imunisasi")
    assert (data.custodian_department, data.custodian_unit) == (world.kominfo, ex.unit)


def test_template_lists_are_exactly_what_the_rule_allows(ex, world, bkd):
    user = world.users["operator_dinkes"]
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(user, world.inst, [Service, DataItem])))
    service, data = dropdowns(book, "Layanan"), dropdowns(book, "Data dan Informasi")
    assert service["Unit pelaksana"] == ["DINKES: Bidang Pelayanan Kesehatan"]
    assert service["Perangkat daerah *"] == ["DINKES"]
    assert data["Walidata (OPD)"] == ["BKD", "DINKES", "DISKOMINFO"]
    assert data["Produsen data (OPD)"] == data["Walidata (OPD)"]
    every_unit = ["BKD: Bidang Mutasi dan Promosi", "DINKES: Bidang Pelayanan Kesehatan", "DISKOMINFO: Bidang Statistik"]
    assert data["Walidata (unit kerja)"] == data["Produsen data (unit kerja)"] == every_unit
    for model, sheet in ((Service, service), (DataItem, data)):
        for name, _opd in scopes.unit_fields(model):
            field = model._meta.get_field(name)
            header = next(h for h in sheet if h.lower().startswith(str(field.verbose_name).lower()))
            assert sheet[header] == sorted(unit_label(u) for u in scopes.allowed_units(field, None, world.inst, user))


def test_upload_creation_entry_names_its_links(ex, world):
    user = world.users["operator"]
    content = workbook({"Layanan": [
        ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis"],
        ["", "DISKOMINFO", "Layanan Unggahan", ex.process.code],
    ]})
    result = plan(content, user, world.inst)
    assert problems(result) == []
    write_plan(result, user=user)
    record = Service.objects.get(name="Layanan Unggahan").history.get(history_type="+")
    assert record.history_change_reason.endswith(f"Dibuat dengan tautan — proses bisnis: {ex.process.code}")


def test_unit_column_hints_name_the_opd_the_unit_follows(ex, world):
    from sia.exchange.columns import column_hint, sheet_for

    data, service = sheet_for(DataItem), sheet_for(Service)
    assert "Unit kerja OPD pada kolom “Walidata (OPD)”" in column_hint(data.column("custodian_unit"))
    assert "Unit kerja OPD pemilik baris ini." in column_hint(service.column("executing_unit"))
