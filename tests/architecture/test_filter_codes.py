"""List filters take codes (OPD abbreviation, instansi code, reference code, parent code), IDs too."""

import pytest
from django.urls import reverse

from sia.architecture.models import BusinessProcess, Service
from sia.architecture.values import value

from .. import factories as f

pytestmark = pytest.mark.django_db

PROCESSES = "/api/architecture/business-processes/"


@pytest.fixture
def tree(arch, world):
    child = BusinessProcess.objects.create(department=world.kominfo, name="Validasi Data", parent=arch.process)
    dinkes = BusinessProcess.objects.create(department=world.dinkes, name="Imunisasi", reference=arch.node("RAB.04.01.06"))
    return child, dinkes


def names(response):
    assert response.status_code == 200, response.content[:500]
    return sorted(row["name"] for row in response.json()["results"])


def test_api_filters_by_opd_code_or_id(tree, world, api):
    client = api(world.users["admin"])
    assert names(client.get(PROCESSES, {"department": "DINKES"})) == ["Imunisasi"]
    assert names(client.get(PROCESSES, {"department": "dinkes"})) == ["Imunisasi"]
    assert names(client.get(PROCESSES, {"department": world.dinkes.pk})) == ["Imunisasi"]
    assert names(client.get(PROCESSES, {"department_id": world.dinkes.pk})) == ["Imunisasi"]  # still accepted
    assert len(names(client.get(f"{PROCESSES}?department=DINKES&department=DISKOMINFO"))) == 3
    response = client.get(PROCESSES, {"department": "TIDAKADA"})
    assert response.status_code == 400 and "department" in response.json()


def test_api_filters_by_instansi_reference_and_parent_code(tree, arch, world, api):
    child, dinkes = tree
    client = api(world.users["admin"])
    assert len(names(client.get(PROCESSES, {"institution": "82"}))) == 3
    assert len(names(client.get(PROCESSES, {"institution": world.inst.pk}))) == 3
    assert names(client.get(PROCESSES, {"reference": "RAB.04"})) == ["Imunisasi"]
    assert names(client.get(PROCESSES, {"reference": dinkes.reference_id})) == ["Imunisasi"]
    assert names(client.get(PROCESSES, {"parent": arch.process.code})) == ["Validasi Data"]
    assert names(client.get(PROCESSES, {"parent": arch.process.code.lower()})) == ["Validasi Data"]
    assert names(client.get(PROCESSES, {"parent": arch.process.pk})) == ["Validasi Data"]
    assert names(client.get(PROCESSES, {"parent_id": arch.process.pk})) == ["Validasi Data"]
    assert names(client.get(PROCESSES, {"parent": "PB-TIDAK-ADA"})) == []


def test_api_filters_value_lists_by_name(arch, world, api):
    arch.service.target = value(world.inst, "target-layanan", "Masyarakat")
    arch.service.save()
    client = api(world.users["admin"])
    url = "/api/architecture/services/"
    assert names(client.get(url, {"target": "Masyarakat"})) == ["Layanan Data Statistik"]
    assert names(client.get(url, {"target": arch.service.target_id})) == ["Layanan Data Statistik"]
    assert names(client.get(url, {"target": "Pemerintah"})) == []


def test_list_page_filter_is_a_select_by_name_carrying_the_code(client, tree, world):
    client.force_login(world.users["admin"])
    url = reverse("architecture:businessprocess_list")
    body = client.get(url, {"department": "DINKES"}).content.decode()
    assert '<option value="DINKES" selected>Dinas Kesehatan</option>' in body
    assert 'name="department_id"' not in body
    assert 'name="parent"' in body and 'name="parent_id"' not in body
    assert "Imunisasi" in body and "Validasi Data" not in body
    assert Service.objects.count() == 1  # nothing else touched


def test_organizations_and_reference_filters_take_codes(arch, world, api):
    unit = f.work_unit(world.dinkes, name="Bidang Pelayanan")
    client = api(world.users["admin"])
    units = client.get("/api/organizations/work-units/", {"department": "DINKES"}).json()["results"]
    assert [row["id"] for row in units] == [unit.pk]
    departments = client.get("/api/organizations/departments/", {"institution": "82"}).json()["results"]
    assert {row["abbreviation"] for row in departments} == {"DISKOMINFO", "DINKES"}
    departments = client.get("/api/organizations/departments/", {"institution": world.inst.pk}).json()["results"]
    assert len(departments) == 2
    nodes = "/api/reference/nodes/"
    by_code = client.get(nodes, {"parent": "RAB.09.06", "limit": 100}).json()["results"]
    by_id = client.get(nodes, {"parent": arch.node("RAB.09.06").pk, "limit": 100}).json()["results"]
    assert by_code == by_id and len(by_code) > 5
    assert all(row["code"].startswith("RAB.09.06.") for row in by_code)


def test_codes_that_look_like_numbers_and_odd_digits(arch, world, api):
    client = api(world.users["admin"])
    assert client.get(PROCESSES, {"department": "²"}).status_code == 400  # a digit to Python, not an ID
    assert client.get(PROCESSES, {"department": "9" * 30}).status_code == 400  # past 64 bits: refused, not a 500
    assert names(client.get(PROCESSES, {"parent": "²"})) == []


@pytest.mark.parametrize("url,name", [
    (PROCESSES, "department"),
    ("/api/architecture/service-buses/", "ownership"),
    ("/api/organizations/department-functions/", "department"),
])
def test_a_code_holding_a_nul_is_a_400_not_a_server_error(arch, world, api, url, name):
    """PostgreSQL refuses a NUL in text: a code filter refuses it first (found by the fuzz run on PostgreSQL)."""
    response = api(world.users["admin"]).get(f"{url}?{name}=DINKES&{name}=%00x")
    assert response.status_code == 400 and name in response.json(), response.content[:300]
