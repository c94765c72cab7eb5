"""Links carry meaning: each link is declared once (``DomainSpec.links``) and every channel follows that
declaration. A link to an object of another OPD is refused or accepted alike by the web form, the API
and the Excel import, as its ``cross_opd`` says; both ends show the declared meaning; the system check
refuses an undeclared link and a relationship ArchiMate does not allow."""

import dataclasses

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.utils.text import capfirst

from sia.architecture.checks import link_problems as declaration_problems
from sia.architecture.choices import ArchitectureState, ServerType
from sia.architecture.forms import form_for
from sia.architecture.linkspec import LinkSpec, declared_links, field_links, link_spec, relationship_allowed
from sia.architecture.models import ArchitectureObject, BusinessProcess, DataItem, DomainSpec, Service
from sia.exchange.importer import plan_workbook
from tests.exchange.helpers import problems, workbook

pytestmark = pytest.mark.django_db

# Links held as fields (a link kept in its own model, ``through``, has its own tests: test_integrations.py).
LINKS = [pytest.param(model, link, id=f"{model.__name__}.{link.field}") for model, link in field_links()]


def test_the_three_domains_declare_their_links():
    assert {(m.__name__, link.field, link.cross_opd, link.relationship) for m, link in declared_links()} >= {
        ("BusinessProcess", "parent", False, "composition"),
        ("Service", "processes", False, "realization"),
        ("DataItem", "processes", True, "access-write"),
        ("DataItem", "services", True, "access-read"),
        ("Application", "processes", True, "serving"),
        ("Application", "services", True, "serving"),
        ("Application", "reads", True, "access-read"),
        ("Application", "writes", True, "access-write"),
        ("Application", "outgoing_integrations", True, "flow"),
    }
    for model, link in declared_links():
        assert relationship_allowed(link.relationship, *link.archimate_ends(model))
    assert link_spec(Service, "processes").archimate_ends(Service) == ("BusinessProcess", "BusinessService")


# What else an object must hold for a link to be valid at all: only a virtual server runs on a host.
# Every kind's ``upgrades`` (the as-is object a to-be upgrade develops) is held by a to-be upgrade only.
COMPANIONS = {("Server", "host"): {"server_type": ServerType.VIRTUAL}} | {
    (model.__name__, "upgrades"): {"state": ArchitectureState.TO_BE_UPGRADE} for model, _link in field_links()}


def companions(model, link) -> dict:
    return COMPANIONS.get((model.__name__, link.field), {})


def other_opd_target(model, link, world):
    return link.target_model(model).objects.create(department=world.dinkes, name="Milik DINKES")


def link_value(model, link, target):
    return [target.pk] if model._meta.get_field(link.field).many_to_many else target.pk


def refused(model, link) -> str:
    """The message the one rule gives for a link to another OPD."""
    field = model._meta.get_field(link.field)
    return "bukan milik OPD ini" if field.many_to_many else f"{capfirst(field.verbose_name)} harus milik OPD yang sama"


def through_form(model, link, target, world):
    data = {"department": world.kominfo.pk, "name": "Lewat formulir", "period": "2025-2029", "state": "as-is",
            link.field: link_value(model, link, target), **companions(model, link)}
    form = form_for(model)(data=data, user=world.users["admin"])
    form.is_valid()
    return " ".join(form.errors.get(link.field, []))


def through_api(model, link, target, world, api):
    response = api(world.users["admin"]).post(
        f"/api/architecture/{model.spec.api_name}/",
        {"department": world.kominfo.pk, "name": "Lewat API", link.field: link_value(model, link, target),
         **companions(model, link)},
        format="json")
    assert response.status_code in (201, 400), response.content
    return " ".join(response.json().get(link.field, [])) if response.status_code == 400 else ""


def through_excel(model, link, target, world):
    header = capfirst(model._meta.get_field(link.field).verbose_name)
    header = str(header)
    extra = {model._meta.get_field(name): value for name, value in companions(model, link).items()}
    extra_headers = [str(capfirst(field.verbose_name)) for field in extra]
    extra_cells = [str(dict(field.flatchoices).get(value, value)) for field, value in extra.items()]
    content = workbook({str(model._meta.verbose_name_plural): [
        ["ID", "Perangkat daerah *", "Nama *", header, *extra_headers],
        ["", "DISKOMINFO", "Lewat Excel", target.code, *extra_cells],
    ]})
    plan = plan_workbook(content, user=world.users["admin"], institution=world.inst)
    return " ".join(p[3] for p in problems(plan) if p[2] == header)


@pytest.mark.parametrize("model, link", LINKS)
def test_cross_opd_link_is_refused_or_accepted_alike_by_form_api_and_excel(model, link, arch, world, api):
    target = other_opd_target(model, link, world)
    answers = {
        "model": " ".join(str(p) for p in model(department=world.kominfo, institution=world.inst).link_problems(
            link.field, [target])),
        "form": through_form(model, link, target, world),
        "api": through_api(model, link, target, world, api),
        "excel": through_excel(model, link, target, world),
    }
    if link.cross_opd:
        assert answers == dict.fromkeys(answers, "")
        assert model.objects.filter(name="Lewat API").exists()
    else:
        assert all(refused(model, link) in answer for answer in answers.values()), answers
        assert not model.objects.filter(name="Lewat API").exists()


def test_same_opd_links_pass_every_channel(arch, world, api):
    assert through_form(Service, link_spec(Service, "processes"), arch.process, world) == ""
    assert through_api(Service, link_spec(Service, "processes"), arch.process, world, api) == ""
    assert through_excel(Service, link_spec(Service, "processes"), arch.process, world) == ""


def test_form_offers_other_opds_objects_only_where_the_link_may_cross(arch, world):
    dinkes_process = BusinessProcess.objects.create(department=world.dinkes, name="Proses DINKES")
    initial = {"department": world.kominfo.pk}
    data_form = form_for(DataItem)(initial=initial, user=world.users["admin"])
    service_form = form_for(Service)(initial=initial, user=world.users["admin"])
    assert dinkes_process in data_form.fields["processes"].queryset
    assert dinkes_process not in service_form.fields["processes"].queryset
    assert arch.process in service_form.fields["processes"].queryset


def test_both_ends_show_the_declared_meaning(arch, world, client):
    client.force_login(world.users["admin"])
    child = BusinessProcess.objects.create(department=world.kominfo, name="Subproses Statistik", parent=arch.process)
    arch.data.services.add(arch.service)
    process_page = client.get(arch.process.get_absolute_url()).content.decode()
    assert "<h2>Menghasilkan Layanan</h2>" in process_page and "<h2>Menghasilkan Data dan Informasi</h2>" in process_page
    assert "<h2>Sub-proses</h2>" in process_page and child.name in process_page
    service_page = client.get(arch.service.get_absolute_url()).content.decode()
    assert "<h2>Dihasilkan oleh Proses Bisnis</h2>" in service_page
    assert "<h2>Memakai Data dan Informasi</h2>" in service_page and arch.data.name in service_page
    data_page = client.get(arch.data.get_absolute_url()).content.decode()
    assert "<h2>Dihasilkan oleh Proses Bisnis</h2>" in data_page and "<h2>Dipakai oleh Layanan</h2>" in data_page
    assert arch.process.name in data_page and arch.service.name in data_page


def with_links(model, *links):
    return type("Declared", (), {"spec": dataclasses.replace(model.spec, links=links), "_meta": model._meta})


def test_check_refuses_undeclared_links():
    [problem] = declaration_problems(with_links(DataItem, link_spec(DataItem, "processes")))
    assert problem.id == "sia.E110"
    assert problem.msg.startswith("architecture.DataItem.services links to architecture.Service but is not declared")


def test_check_refuses_bad_declarations():
    bad = with_links(DataItem, link_spec(DataItem, "processes"),
                     LinkSpec("nature", "x", "y", "association"),  # a value list, not an architecture object
                     LinkSpec("processes", "x", "y", "association"),
                     LinkSpec("services", "x", "y", "access-read", cardinality="0..1", archimate_reversed=True))
    found = sorted((p.id, p.msg) for p in declaration_problems(bad))
    assert [i for i, _m in found] == ["sia.E111", "sia.E111", "sia.E111"]
    assert any("“processes” is declared more than once" in m for _i, m in found)
    assert any("“nature” is not a ForeignKey or many-to-many to another architecture object" in m for _i, m in found)
    assert any("cardinality “0..1”" in m for _i, m in found)


def test_check_refuses_a_relationship_archimate_does_not_allow():
    # A business service cannot be assigned to a business process (only the other way round, or not at all).
    bad = with_links(Service, LinkSpec("processes", "x", "y", "assignment"))
    [problem] = declaration_problems(bad)
    assert problem.id == "sia.E112" and "assignment from BusinessService to BusinessProcess" in problem.msg
    assert declaration_problems(with_links(Service, LinkSpec("processes", "x", "y", "triggering"))) == []
    [unknown] = declaration_problems(with_links(Service, LinkSpec("processes", "x", "y", "uses")))
    assert unknown.id == "sia.E111" and "“uses”" in unknown.msg


@isolate_apps("sia.architecture")
def test_check_runs_on_a_new_domain_with_a_foreign_key_link():
    class Gadget(ArchitectureObject):
        __module__ = "sia.architecture.models"
        spec = DomainSpec(slug="gawai", api_name="gadgets", code_prefix="GW", catalog="RAA", order=99,
                          archimate_element="Gadget")
        process = models.ForeignKey(BusinessProcess, on_delete=models.PROTECT, null=True, related_name="+")

        class Meta:
            app_label = "architecture"
            managed = False

    assert sorted(p.id for p in declaration_problems(Gadget)) == ["sia.E110", "sia.E113"]


@pytest.mark.parametrize("holder,link", declared_links(), ids=lambda x: getattr(x, "field", getattr(x, "__name__", "")))
def test_headings_do_not_repeat_the_domain_name(holder, link):
    """Pages head a link with its meaning and the other end's domain (“Didukung oleh Aplikasi”), so a meaning
    that names that domain itself would read “Didukung oleh aplikasi Aplikasi”."""
    target = link.target_model(holder)
    for meaning, other in ((link.meaning, target), (link.inverse, holder)):
        for name in (other._meta.verbose_name, other._meta.verbose_name_plural):
            assert str(name).lower() not in str(meaning).lower(), (holder.__name__, link.field, meaning)
