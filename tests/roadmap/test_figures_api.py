"""``/api/roadmap/figures/?opd=<ID>``: every figure of one OPD of the instansi (the kegiatan it leads, the gaps of
its objects), a bad ``opd`` refused naming the parameter; the unclosed gaps read through the gap catalog in a number
of queries that does not grow with kinds or gaps."""

from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application, DataItem, Server
from sia.roadmap import figures

pytestmark = pytest.mark.django_db
URL = "/api/roadmap/figures/"


def test_the_figures_of_one_opd(roadmap, world, api):
    client = api(world.users["admin"])
    body = client.get(f"{URL}?instansi={world.inst.pk}&opd={world.dinkes.pk}").json()
    assert [(y["year"], Decimal(y["budget"]), Decimal(y["rka"]), y["planned"]) for y in body["years"]] == [
        (2026, Decimal("30"), Decimal("10"), 1)]
    assert [(g["kind"], g["id"]) for g in body["unlinked_gaps"]] == [("aplikasi", roadmap.upgrade.pk)]
    assert [a["code"] for a in body["activities_without_gap"]] == ["KG-D"]
    body = client.get(f"{URL}?opd={world.kominfo.pk}").json()
    assert [y["year"] for y in body["years"]] == [2025, 2026]
    assert Decimal(body["years"][1]["budget"]) == Decimal("250")  # KG-A 200 + KG-S 50; KG-D is DINKES'
    assert body["unlinked_gaps"] == [] and body["activities_without_gap"] == []
    whole = client.get(URL).json()
    assert Decimal(whole["years"][1]["budget"]) == Decimal("280")


@pytest.mark.parametrize("value", ["abc", "0", "-3", str(2**70), "999999"])
def test_a_bad_opd_is_refused_naming_it(roadmap, world, api, value):
    response = api(world.users["admin"]).get(f"{URL}?opd={value}")
    assert response.status_code == 400 and list(response.json()) == ["opd"], response.content


def test_an_opd_of_another_instansi_is_refused(roadmap, world, api):
    response = api(world.users["admin"]).get(f"{URL}?instansi={world.inst.pk}&opd={world.far.pk}")
    assert response.status_code == 400 and "opd" in response.json()


def test_the_schema_documents_opd():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/roadmap/figures/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["opd"]["in"] == "query" and parameters["opd"]["schema"]["type"] == "integer"
    assert "400" in operation["responses"]


def test_the_figures_take_the_api_parameter_names_and_the_old_ones(roadmap, world, api):
    client = api(world.users["admin"])
    new = client.get(f"{URL}?institution={world.inst.pk}&department={world.dinkes.pk}").json()
    old = client.get(f"{URL}?instansi={world.inst.pk}&opd={world.dinkes.pk}").json()
    assert new == old and [y["year"] for y in new["years"]] == [2026]


@pytest.mark.parametrize("query, name", [
    ("department=abc", "department"), ("department=999999", "department"), ("institution=abc", "institution"),
    ("period=abc", "period"), ("period=2030-2034", "period"), ("periode=2030-2034", "periode"),
])
def test_a_bad_value_is_refused_naming_its_parameter(roadmap, world, api, query, name):
    response = api(world.users["admin"]).get(f"{URL}?{query}")
    assert response.status_code == 400 and list(response.json()) == [name], response.content


def test_a_parameter_and_its_old_name_together_are_refused(roadmap, world, api):
    response = api(world.users["admin"]).get(f"{URL}?department={world.dinkes.pk}&opd={world.kominfo.pk}")
    assert response.status_code == 400 and set(response.json()) == {"department", "opd"}


def test_one_period_narrows_the_years_like_the_pages(roadmap, world, api):
    from sia.roadmap.models import StrategicTarget

    StrategicTarget.objects.create(institution=world.inst, period="2030-2034", code="SS-L", name="Sasaran lanjut")
    client = api(world.users["admin"])
    whole = client.get(URL).json()
    assert [y["year"] for y in whole["years"]] == [2025, 2026]
    assert [y["year"] for y in client.get(f"{URL}?period=2025-2029").json()["years"]] == [2025, 2026]
    assert client.get(f"{URL}?periode=2030-2034").json()["years"] == []
    assert client.get(f"{URL}?period=2030-2034").json()["activities_without_gap"] == []


def test_the_schema_documents_the_parameters_and_the_root_lists_figures_and_workbook(roadmap, world, api):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"]["/api/roadmap/figures/"]["get"]["parameters"]}
    assert {"institution", "department", "period", "instansi", "opd", "periode"} <= set(parameters)
    assert parameters["opd"].get("deprecated") and parameters["instansi"].get("deprecated")
    assert not parameters["department"].get("deprecated")
    root = api(world.users["admin"]).get("/api/roadmap/").json()
    assert root["figures"].endswith("/api/roadmap/figures/") and root["workbook"].endswith("/api/roadmap/workbook/")
    assert "activities" in root


def test_unclosed_gaps_of_a_reader_cost_the_same_whatever_the_kinds_and_gaps(roadmap, world, count_queries):
    from django.contrib.contenttypes.models import ContentType

    from sia.architecture.registry import domain_models

    admin = world.users["admin"]
    ContentType.objects.get_for_models(*domain_models())  # warm the content types' cache
    figures.unlinked_gaps(world.inst, admin)  # and the reader's grants
    before, found = count_queries(lambda: figures.unlinked_gaps(world.inst, admin))
    assert found == [roadmap.upgrade]
    new = [Server.objects.create(department=world.kominfo, name="Server lama 2", retiring=True),
           DataItem.objects.create(department=world.kominfo, name="Data baru", state=ArchitectureState.TO_BE_NEW),
           Application.objects.create(department=world.dinkes, name="Aplikasi baru 2",
                                      state=ArchitectureState.TO_BE_NEW)]
    after, found = count_queries(lambda: figures.unlinked_gaps(world.inst, admin))
    assert after == before <= 2, (before, after)
    assert set(found) == {roadmap.upgrade, *new}
    assert figures.unlinked_gaps(world.inst, admin, department=world.dinkes) == [roadmap.upgrade, new[2]]
    assert set(figures.unlinked_gaps(world.inst, department=world.kominfo)) == {new[0], new[1]}
