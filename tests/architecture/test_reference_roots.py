"""Infrastruktur kinds map into their own sub-tree of the RAI (``DomainSpec.reference_roots``, issue 12): a
server under RAI.03.01.01 Server, a perangkat keamanan under RAI.03.01.04, perangkat lunak platform under
RAI.03.01.07, each also to an instansi node below; the form, the API and the Excel import refuse another
node with one message naming the field, the picker searches the sub-tree only, ``sia check`` refuses a root
the shipped catalog does not have. Kinds without a public node keep the whole RAI, where an instansi adds
its own nodes in the gaps of the published numbering (RAI.01 Fasilitas Komputasi beside RAI.03)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sia.architecture.checks import spec_problems
from sia.architecture.choices import PlatformSoftwareType
from sia.architecture.models import ComputingFacility, PlatformSoftware, SecurityDevice, Server
from sia.exchange.columns import sheet_for
from sia.exchange.importer import plan_workbook
from sia.reference.models import ReferenceNode
from tests.exchange.helpers import edit, problems, row_of
from tests.kinds import api_payload, form_data
from tests.reference.helpers import own_node

from .conftest import node
from .test_checks import with_spec

pytestmark = pytest.mark.django_db

OUTSIDE = "Referensi server harus RAI.03.01.01 atau simpul di bawahnya, bukan RAI.03.01.07 Perangkat Lunak Platform."


def refused(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


@pytest.fixture
def own_server_node(kinds, world):
    """The instansi's own node below the national RAI.03.01.01 Server."""
    return own_node(node("RAI.03.01.01"), world.inst, "RAI.03.01.01.01", "Server Pusat Data Provinsi")


def test_the_declarations():
    assert Server.spec.reference_roots == ("RAI.03.01.01",)
    assert SecurityDevice.spec.reference_roots == ("RAI.03.01.04",)
    assert PlatformSoftware.spec.reference_roots == ("RAI.03.01.07",)
    assert ComputingFacility.spec.reference_roots == ()  # no public national node: the whole RAI


def test_the_rule_refuses_another_sub_tree_and_accepts_the_own_one(kinds, world, own_server_node):
    server = Server(department=world.kominfo, name="Server aplikasi", reference=node("RAI.03.01.07"))
    assert refused(server)["reference"] == [OUTSIDE]
    for reference in (node("RAI.03.01.01"), own_server_node):
        Server(department=world.kominfo, name="Server aplikasi", reference=reference).full_clean()
    device = SecurityDevice(department=world.kominfo, name="Firewall", reference=node("RAI.03.01.01"))
    assert "RAI.03.01.04 atau simpul di bawahnya" in refused(device)["reference"][0]
    device.reference = node("RAI.03.01.04")
    device.full_clean()


def test_an_instansi_node_below_another_root_is_refused(kinds, world):
    postgres = own_node(node("RAI.03.01.07.01"), world.inst, "RAI.03.01.07.01.01", "PostgreSQL")
    assert "bukan RAI.03.01.07.01.01 PostgreSQL" in refused(
        Server(department=world.kominfo, name="Server", reference=postgres))["reference"][0]
    PlatformSoftware(department=world.kominfo, name="PostgreSQL 16", reference=postgres,
                     software_type=PlatformSoftwareType.DATABASE).full_clean()


def test_the_form_refuses_with_the_field_named_and_writes_nothing(client, world, kinds, own_server_node):
    template = kinds.build(Server, full=True)
    client.force_login(world.users["operator"])
    url = reverse("architecture:server_add")
    data = {**form_data(template), "code": "", "name": "Server lewat formulir"}
    response = client.post(url, {**data, "reference": node("RAI.03.01.07").pk})
    assert response.status_code == 400  # the form again, with its errors
    assert OUTSIDE in response.content.decode().replace("&quot;", '"')
    assert not Server.objects.filter(name="Server lewat formulir").exists()
    for reference in (node("RAI.03.01.01"), own_server_node):
        response = client.post(url, {**data, "name": f"Server {reference.code}", "reference": reference.pk})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Server.objects.get(name=f"Server {reference.code}").reference == reference


def test_the_api_refuses_with_the_field_named_and_writes_nothing(api, world, kinds, own_server_node):
    body = {**api_payload(kinds.build(Server, full=True)), "code": "", "name": "Server lewat API"}
    client = api(world.users["operator"])
    refused_ = client.post("/api/architecture/servers/", {**body, "reference": "RAI.03.01.07"}, format="json")
    assert refused_.status_code == 400
    assert refused_.json()["reference"] == [OUTSIDE]
    assert not Server.objects.filter(name="Server lewat API").exists()
    for reference in (node("RAI.03.01.01"), own_server_node):
        created = client.post("/api/architecture/servers/", {**body, "reference": reference.code}, format="json")
        assert created.status_code == 201, created.content
        assert Server.objects.get(pk=created.json()["id"]).reference == reference


def test_the_excel_import_refuses_with_the_field_named_and_accepts_the_sub_tree(client, world, kinds, own_server_node):
    server = kinds.build(Server, full=True)
    user = world.users["admin"]
    client.force_login(user)
    content = client.get(reverse("exchange:export"), {"domain": Server.spec.slug}).content
    sheet = sheet_for(Server)
    row, header = row_of(content, sheet.title, server.code), sheet.column("reference").header
    plan = plan_workbook(edit(content, [(sheet.title, row, header, "RAI.03.01.07 Perangkat Lunak Platform")]),
                         user=user, institution=world.inst)
    found = problems(plan)
    assert [(s, r, m) for s, r, _c, m in found] == [(sheet.title, row, OUTSIDE)], found
    for reference in (node("RAI.03.01.01"), own_server_node):
        changed = edit(content, [(sheet.title, row, header, f"{reference.code} {reference.name}")])
        plan = plan_workbook(changed, user=user, institution=world.inst)
        assert plan.problems == [], problems(plan)
        assert plan.counts()["update"] == (0 if server.reference == reference else 1)


def picked(client, url) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", client.get(url).content.decode())


def test_the_picker_of_the_form_searches_the_sub_tree_only(client, world, kinds, own_server_node):
    client.force_login(world.users["operator"])
    page = client.get(reverse("architecture:server_add")).content.decode()
    [url] = [u.replace("&amp;", "&") for u in re.findall(r'"(/[^"]*pilih/\?[^"]*)"', page) if "catalog=RAI" in u]
    assert "roots=RAI.03.01.01" in url
    assert picked(client, f"{url}&reference_text=RAI") == ["RAI.03.01.01", "RAI.03.01.01.01"]
    assert picked(client, f"{url}&reference_text=Platform") == []  # RAI.03.01.07 Perangkat Lunak Platform
    # The same endpoint without roots (a fasilitas komputasi) offers the whole RAI from level 3.
    everywhere = picked(client, reverse("reference:picker") + "?catalog=RAI&min_level=3&q=RAI")
    assert {"RAI.03.01.01", "RAI.03.01.04", "RAI.03.01.07.01", "RAI.03.01.01.01"} <= set(everywhere)


def test_the_check_refuses_a_root_the_shipped_catalog_does_not_have():
    assert spec_problems(Server) == []
    [problem] = spec_problems(with_spec(Server, reference_roots=("RAI.03.01.09",)))
    assert problem.id == "sia.E116" and "architecture.Server" in problem.msg and "“RAI.03.01.09”" in problem.msg
    [problem] = spec_problems(with_spec(Server, reference_roots=("RAB.09.06",)))  # another catalog's code
    assert problem.id == "sia.E116"
    [problem] = spec_problems(with_spec(Server, reference_roots=("RAI.03.01.07.01",), reference_levels=(3, 3)))
    assert problem.id == "sia.E116" and "deeper" in problem.msg


def test_a_kind_without_a_public_node_maps_to_the_instansi_s_own_rai_node(kinds, world):
    version = node("RAI.03").version
    top = ReferenceNode(version=version, institution=world.inst, code="RAI.01", name="Fasilitas Komputasi")
    top.full_clean()  # a gap in the published numbering: RAI.03 is public, RAI.01 is not
    top.save()
    group = own_node(top, world.inst, "RAI.01.01", "Pusat Data")
    data_centre = own_node(group, world.inst, "RAI.01.01.01", "Pusat Data Pemerintah Daerah")
    facility = ComputingFacility(department=world.kominfo, name="Pusat Data Provinsi", reference=data_centre)
    facility.full_clean()
    # After the last published number it would only guess: refused.
    after = ReferenceNode(version=version, institution=world.inst, code="RAI.04", name="Lainnya")
    assert "simpul nasional terdalam" in refused(after)["code"][0]
    # A national RAI node has national children under RAI.03: no instansi node beside them after the last one.
    assert "code" in refused(ReferenceNode(version=version, institution=world.inst, code="RAI.03.01.08", name="x"))


def test_the_admin_adds_the_unpublished_rai_category_through_the_node_form(client, world, kinds):
    client.force_login(world.users["admin"])
    response = client.post("/referensi/simpul/tambah/", {
        "institution": world.inst.pk, "code": "RAI.01", "name": "Fasilitas Komputasi",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ReferenceNode.objects.get(code="RAI.01")
    assert (created.institution, created.parent, created.version) == (world.inst, None, node("RAI.03").version)


def test_platform_software_type_goes_with_its_level_4_node(kinds, world):
    database = PlatformSoftware(department=world.kominfo, name="PostgreSQL", reference=node("RAI.03.01.07.01"),
                                software_type=PlatformSoftwareType.OPERATING_SYSTEM)
    assert refused(database)["software_type"] == [
        "Jenis perangkat lunak untuk referensi RAI.03.01.07.01 Sistem Database adalah Sistem database."]
    database.software_type = PlatformSoftwareType.DATABASE
    database.full_clean()
    # The level-3 node names no type: any type goes with it.
    PlatformSoftware(department=world.kominfo, name="Ubuntu", reference=node("RAI.03.01.07"),
                     software_type=PlatformSoftwareType.OPERATING_SYSTEM).full_clean()
