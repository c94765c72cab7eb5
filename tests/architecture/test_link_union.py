"""The links of a detail page read in one query each way (``links.linked_rows``: a UNION of one part per link
field) show exactly what the per-field queries showed, to each reader: an operator never learns of another OPD's
draft through an incoming or an outgoing link, the owner and the koordinator still see it."""

import pytest

from sia.architecture.choices import ReviewStatus
from sia.architecture.links import incoming_links, linked_rows, outgoing_links
from sia.architecture.models import Application, BusinessProcess, DataItem, SecurityStandard, Service
from sia.architecture.registry import domain_models
from sia.core import permissions
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

VALIDATED = ReviewStatus.VALIDATED


@pytest.fixture
def linked(world, kinds):
    """A validated DISKOMINFO process held by drafts and validated objects of both OPDs (many-to-many and
    ForeignKey links), and a validated DISKOMINFO application linking to a DINKES draft and a validated process."""
    dinkes = Builder(world.dinkes)
    process = kinds.build(BusinessProcess, name="Proses bersama", status=VALIDATED)
    holders = {
        "dinkes_draft_service": dinkes.build(Service, name="Layanan draf Dinkes", processes=[process]),
        "dinkes_service": dinkes.build(Service, name="Layanan terbit Dinkes", processes=[process], status=VALIDATED),
        "kominfo_draft_data": kinds.build(DataItem, name="Data draf Kominfo", processes=[process]),
        "kominfo_draft_child": kinds.build(BusinessProcess, name="Sub-proses draf Kominfo", parent=process),
        "dinkes_app": dinkes.build(Application, name="Aplikasi terbit Dinkes", processes=[process], status=VALIDATED),
    }
    dinkes_draft_process = dinkes.build(BusinessProcess, name="Proses draf Dinkes")
    app = kinds.build(Application, name="Aplikasi Kominfo", processes=[process, dinkes_draft_process],
                      status=VALIDATED)
    kinds.build(SecurityStandard, name="Standar draf Kominfo", protected_applications=[app])
    return process, app, holders, dinkes_draft_process


def per_field_incoming(obj, reader):
    """What the page showed before the UNION: one query per link field that points at the object's kind."""
    found = []
    for model in domain_models():
        for field in model.link_fields() + model.link_fields(many_to_many=False):
            if field.related_model is type(obj):
                rows = reader.queryset(model.objects.filter(**{field.name: obj}).select_related("department"))
                found.append([(type(row), row.pk, str(row), row.status, row.department.name) for row in rows])
    return found


def shown(sections) -> list:
    return [[(type(row), row.pk, str(row), row.status, row.department.name) for row in items]
            for _, items in sections if not hasattr(items, "add_url")]


@pytest.mark.parametrize("who", ["operator", "operator_dinkes", "admin", "verifier", "other_admin"])
def test_incoming_links_show_what_the_per_field_queries_showed(linked, world, who):
    process, app, _, _ = linked
    for obj in (process, app):
        reader = permissions.LinkReader(world.users[who])
        assert shown(incoming_links(obj, reader)) == per_field_incoming(obj, permissions.LinkReader(world.users[who]))


def test_an_operator_does_not_see_another_opds_drafts_through_an_incoming_link(linked, world, client):
    process, _, holders, _ = linked
    client.force_login(world.users["operator_dinkes"])
    page = client.get(process.get_absolute_url()).content.decode()
    for name in ("Layanan draf Dinkes", "Layanan terbit Dinkes", "Aplikasi terbit Dinkes"):
        assert name in page
    for name in ("Data draf Kominfo", "Sub-proses draf Kominfo", holders["kominfo_draft_data"].code):
        assert name not in page
    client.force_login(world.users["operator"])
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Layanan draf Dinkes" not in page and holders["dinkes_draft_service"].code not in page
    for name in ("Layanan terbit Dinkes", "Data draf Kominfo", "Sub-proses draf Kominfo"):
        assert name in page
    client.force_login(world.users["admin"])
    page = client.get(process.get_absolute_url()).content.decode()
    assert all(str(holder) in page for holder in holders.values())


@pytest.mark.parametrize("who", ["operator", "operator_dinkes", "admin"])
def test_outgoing_links_show_what_the_per_field_queries_showed(linked, world, who):
    _, app, _, dinkes_draft = linked
    reader = permissions.LinkReader(world.users[who])
    got = [[(row.pk, str(row), row.status) for row in items] for _, items in outgoing_links(app, reader)]
    expected_reader = permissions.LinkReader(world.users[who])
    expected = [[(row.pk, str(row), row.status) for row in expected_reader.visible(getattr(app, field.name).all())]
                for field in Application._meta.many_to_many]
    assert got[:len(expected)] == expected
    processes = [pk for rows in got for pk, _, _ in rows]
    assert (dinkes_draft.pk in processes) == (who != "operator")


def test_one_query_for_every_link_field_however_many_objects(linked, world, count_queries):
    process, app, _, _ = linked
    admin = world.users["admin"]
    permissions.LinkReader(admin).queryset(Service.objects.all())  # the admin's memberships, read once
    parts = [Service.objects.filter(processes=process), DataItem.objects.filter(processes=process),
             BusinessProcess.objects.filter(parent=process), Application.objects.filter(processes=process)]
    queries, rows = count_queries(lambda: linked_rows(parts))
    assert queries == 1
    assert [[type(row) for row in part] for part in rows] == [[Service, Service], [DataItem], [BusinessProcess],
                                                             [Application, Application]]
    assert [row.code for row in rows[0]] == sorted(row.code for row in rows[0])
    queries, _ = count_queries(lambda: [row.department.name for part in rows for row in part])
    assert queries == 0
    assert linked_rows([]) == []


@pytest.mark.parametrize("kind, key", [("process", "architecture.businessprocess_detail"),
                                       ("app", "architecture.application_detail")])
def test_detail_page_queries_do_not_grow_with_links(linked, world, kinds, client, count_queries, query_budget,
                                                    kind, key):
    process, app, _, _ = linked
    obj = process if kind == "process" else app
    client.force_login(world.users["operator_dinkes"])
    client.get(obj.get_absolute_url())
    few, _ = count_queries(lambda: client.get(obj.get_absolute_url()))
    dinkes = Builder(world.dinkes)
    for i in range(3):  # more objects on both ends of more link fields, drafts and validated, of both OPDs
        dinkes.build(Service, name=f"Layanan tambahan {i}", processes=[process], status=VALIDATED)
        kinds.build(DataItem, name=f"Data tambahan {i}", processes=[process])
        kinds.build(SecurityStandard, name=f"Standar tambahan {i}", protected_applications=[app], status=VALIDATED)
        app.processes.add(dinkes.build(BusinessProcess, name=f"Proses tambahan {i}"))
    many, response = count_queries(lambda: client.get(obj.get_absolute_url()))
    assert response.status_code == 200
    assert few == many == query_budget[key], (few, many)
