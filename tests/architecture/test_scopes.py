"""Work units and OPDs that fit: one rule (sia.architecture.scopes) for the model, the form and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sia.architecture import scopes
from sia.architecture.forms import form_for
from sia.architecture.models import DataItem, Service
from sia.architecture.registry import domain_models

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    bkd = f.department(world.inst, name="Badan Kepegawaian Daerah", abbreviation="BKD")

    class Units:
        mutasi = f.work_unit(bkd, name="Bidang Mutasi dan Promosi")
        pelayanan = f.work_unit(world.dinkes, name="Bidang Pelayanan Kesehatan")
        p2p = f.work_unit(world.dinkes, name="Bidang Pencegahan dan Pengendalian Penyakit")
        retired = f.work_unit(world.dinkes, name="Bidang Lama", is_active=False)
        statistik = f.work_unit(world.kominfo, name="Bidang Statistik")
        far = f.work_unit(world.far, name="Bidang Kota Lain")

    Units.bkd = bkd
    return Units


def test_every_work_unit_field_of_every_domain_has_a_rule():
    for model in domain_models():
        for name, opd_field in scopes.unit_fields(model):
            assert model._meta.get_field(opd_field).related_model._meta.model_name == "department", (model, name)
    assert dict(scopes.unit_fields(Service)) == {"executing_unit": "department"}
    assert dict(scopes.unit_fields(DataItem)) == {"producer_unit": "producer_department",
                                                  "custodian_unit": "custodian_department"}


# --- the model: one validation path ------------------------------------------------------------
def test_unit_of_another_opd_is_refused_as_executing_unit(world, units):
    service = Service(department=world.dinkes, name="Imunisasi Anak", executing_unit=units.mutasi)
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert error.value.message_dict["executing_unit"] == [
        "Pilih unit kerja DINKES: “Bidang Mutasi dan Promosi” adalah unit kerja BKD."]
    Service(department=world.dinkes, name="Imunisasi Anak", executing_unit=units.pelayanan).full_clean()


def test_walidata_unit_follows_the_walidata_opd(world, units):
    data = DataItem(department=world.dinkes, name="Data Imunisasi", custodian_department=world.kominfo,
                    custodian_unit=units.statistik, producer_unit=units.p2p)
    data.full_clean()
    assert data.producer_department == world.dinkes  # filled in from the unit of the own OPD
    data.custodian_unit = units.pelayanan
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert list(error.value.message_dict) == ["custodian_unit"]
    assert "DISKOMINFO" in error.value.message_dict["custodian_unit"][0]


def test_without_the_paired_opd_the_unit_is_of_the_own_opd(world, units):
    data = DataItem(department=world.dinkes, name="Data Imunisasi", custodian_unit=units.statistik)
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert "Pilih unit kerja DINKES" in error.value.message_dict["custodian_unit"][0]


def test_opd_of_another_instansi_is_refused(world, units):
    data = DataItem(department=world.dinkes, name="Data", producer_department=world.far)
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert list(error.value.message_dict) == ["producer_department"]


def test_a_deactivated_unit_already_held_still_saves(world, units):
    Service(department=world.dinkes, name="Layanan Lama", executing_unit=units.retired).full_clean()


# --- the rule as choices ----------------------------------------------------------------------
def test_allowed_units(world, units):
    operator = world.users["operator_dinkes"]
    executing = Service._meta.get_field("executing_unit")
    custodian = DataItem._meta.get_field("custodian_unit")
    assert list(scopes.allowed_units(executing, world.dinkes, world.inst, operator)) == [units.pelayanan, units.p2p]
    # Not knowing the row's OPD yet: every OPD the operator may add to.
    assert list(scopes.allowed_units(executing, None, world.inst, operator)) == [units.pelayanan, units.p2p]
    # The walidata may be any OPD of the instansi, so its unit any of their active units; never another instansi's.
    everything = list(scopes.allowed_units(custodian, None, world.inst, operator))
    assert everything == [units.mutasi, units.pelayanan, units.p2p, units.statistik]
    assert list(scopes.allowed_units(custodian, world.kominfo, world.inst, operator)) == [units.statistik]
    walidata = DataItem._meta.get_field("custodian_department")
    assert list(scopes.allowed_departments(walidata, world.inst, operator)) == [units.bkd, world.dinkes, world.kominfo]


def choices(field):
    return [label for value, label in field.choices if value]


def test_form_choices_narrow_to_the_chosen_opd_and_name_the_opd_where_mixed(world, units):
    admin = world.users["admin"]
    form = form_for(Service)(user=admin)  # the koordinator has not chosen an OPD yet
    assert choices(form.fields["executing_unit"]) == [
        "BKD — Bidang Mutasi dan Promosi", "DINKES — Bidang Pelayanan Kesehatan",
        "DINKES — Bidang Pencegahan dan Pengendalian Penyakit", "DISKOMINFO — Bidang Statistik"]
    form = form_for(Service)(data={"department": world.dinkes.pk}, user=admin)
    assert choices(form.fields["executing_unit"]) == [
        "Bidang Pelayanan Kesehatan", "Bidang Pencegahan dan Pengendalian Penyakit"]
    form = form_for(DataItem)(data={"department": world.dinkes.pk, "custodian_department": world.kominfo.pk}, user=admin)
    assert choices(form.fields["custodian_unit"]) == ["Bidang Statistik"]
    assert choices(form.fields["producer_unit"]) == ["Bidang Pelayanan Kesehatan", "Bidang Pencegahan dan Pengendalian Penyakit"]
    assert "Dinas Komunikasi dan Informatika" in choices(form.fields["custodian_department"])
    assert "Dinas Kota Lain" not in choices(form.fields["custodian_department"])


def test_operator_form_offers_own_units_and_the_diskominfo_as_walidata(world, units):
    form = form_for(DataItem)(user=world.users["operator_dinkes"])
    assert form.initial["department"] == world.dinkes.pk
    assert choices(form.fields["producer_unit"]) == ["Bidang Pelayanan Kesehatan", "Bidang Pencegahan dan Pengendalian Penyakit"]
    assert "Dinas Komunikasi dan Informatika" in choices(form.fields["custodian_department"])


def test_web_form_refuses_a_unit_of_another_opd(client, world, units):
    client.force_login(world.users["admin"])
    url = reverse("architecture:service_add")
    data = {"department": world.dinkes.pk, "name": "Imunisasi Anak", "period": "2025-2029", "state": "as-is",
            "executing_unit": units.mutasi.pk}
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["executing_unit"]
    assert not Service.objects.filter(name="Imunisasi Anak").exists()
    response = client.post(url, {**data, "executing_unit": units.p2p.pk})
    assert response.status_code == 302
    assert Service.objects.get(name="Imunisasi Anak").executing_unit == units.p2p


def test_api_refuses_a_unit_of_another_opd_naming_the_field(world, units, api):
    client = api(world.users["operator_dinkes"])
    url = "/api/architecture/services/"
    response = client.post(url, {"department": "DINKES", "name": "Imunisasi Anak", "executing_unit": units.mutasi.pk},
                           format="json")
    assert response.status_code == 400
    assert "Bidang Mutasi dan Promosi" in response.json()["executing_unit"][0]
    response = client.post("/api/architecture/data-items/", {
        "department": "DINKES", "name": "Data Imunisasi", "custodian_department": world.kominfo.pk,
        "custodian_unit": units.statistik.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["custodian_unit"]["id"] == units.statistik.pk


def test_code_help_shows_the_domains_next_id_of_the_users_opd(world, units):
    Service.objects.create(department=world.dinkes, name="Layanan Pertama")
    form = form_for(Service)(user=world.users["operator_dinkes"])
    assert "Contoh: LY-DINKES-002" in str(form.fields["code"].help_text)
    form = form_for(DataItem)(user=world.users["admin"])
    assert "Contoh: DI-" in str(form.fields["code"].help_text)


def refresh(client, model, trigger, **params):
    url = reverse(f"architecture:{model._meta.model_name}_add")
    return client.get(url, {"_refresh": "1", **params}, HTTP_HX_TRIGGER_NAME=trigger, HTTP_HX_REQUEST="true")


def test_refresh_after_choosing_an_opd_narrows_the_units_and_the_id_example(client, world, units):
    client.force_login(world.users["admin"])
    body = refresh(client, Service, "department", department=world.dinkes.pk).content.decode()
    assert "Bidang Pencegahan dan Pengendalian Penyakit" in body and "Bidang Mutasi dan Promosi" not in body
    assert "Contoh: LY-DINKES-001" in body
    body = refresh(client, DataItem, "custodian_department", department=world.dinkes.pk,
                   custodian_department=world.kominfo.pk).content.decode()
    assert 'id="field-custodian_unit"' in body
    custodian = body[body.index('id="field-custodian_unit"'):]
    custodian = custodian[:custodian.index("</select>")]
    assert "Bidang Statistik" in custodian and "Bidang Pelayanan Kesehatan" not in custodian


def test_opd_filled_in_from_the_unit_is_saved_by_form_and_api(client, world, units, api):
    response = api(world.users["operator_dinkes"]).post("/api/architecture/data-items/", {
        "department": "DINKES", "name": "Data Surveilans", "producer_unit": units.p2p.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["producer_department"]["id"] == world.dinkes.pk
    assert DataItem.objects.get(name="Data Surveilans").producer_department == world.dinkes
    client.force_login(world.users["operator_dinkes"])
    response = client.post(reverse("architecture:dataitem_add"), {
        "department": world.dinkes.pk, "name": "Data Gizi", "period": "2025-2029", "state": "as-is",
        "custodian_unit": units.pelayanan.pk})
    assert response.status_code == 302
    assert DataItem.objects.get(name="Data Gizi").custodian_department == world.dinkes


def test_code_help_on_edit_names_the_domains_pattern(world, units):
    service = Service.objects.create(department=world.dinkes, name="Layanan Pertama")
    help_text = str(form_for(Service)(instance=service, user=world.users["operator_dinkes"]).fields["code"].help_text)
    assert "LY-DINKES-001" in help_text and "PB-" not in help_text
