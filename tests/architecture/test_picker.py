"""Cross-OPD links pick through a search picker (chosen items, a search endpoint, codes typed with commas);
same-OPD links keep the checklist. The search offers what the form offers, nothing the user may not see."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.forms import LinkPickerField, form_for
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.core.widgets import ChecklistWidget, SearchPickerWidget

from .conftest import node

pytestmark = pytest.mark.django_db


def form_data(obj, **overrides):
    data = {"code": obj.code, "name": obj.name, "description": obj.description, "reference": obj.reference_id or "",
            "reference_text": "", "period": obj.period, "state": obj.state, "lock_version": obj.lock_version}
    data.update(overrides)
    return data


def validated(process, world):
    process.reference = process.reference or node("RAB.09.03.04")
    process.save()
    workflow.apply(process, workflow.A.SUBMIT, world.users["operator_dinkes"])
    workflow.apply(process, workflow.A.VERIFY, world.users["verifier"])
    workflow.apply(process, workflow.A.VALIDATE, world.users["admin"])
    return process


def search(client, model, field, q, **params):
    url = reverse(f"architecture:{model._meta.model_name}_link_search", args=[field])
    return client.get(url, {"q": q, **params})


def test_cross_opd_links_get_the_search_picker_and_same_opd_links_the_checklist(arch, world):
    form = form_for(DataItem)(instance=arch.data, user=world.users["operator"])
    assert isinstance(form.fields["processes"], LinkPickerField)
    assert isinstance(form.fields["processes"].widget, SearchPickerWidget)
    assert isinstance(form.fields["services"].widget, SearchPickerWidget)
    service_form = form_for(Service)(instance=arch.service, user=world.users["operator"])
    assert isinstance(service_form.fields["processes"].widget, ChecklistWidget)


def test_the_picker_renders_the_chosen_objects_only_and_a_labelled_code_box(client, arch, world):
    others = [BusinessProcess.objects.create(department=world.kominfo, name=f"Proses lain {n}") for n in range(5)]
    client.force_login(world.users["operator"])
    body = client.get(reverse("architecture:dataitem_edit", args=[arch.data.pk])).content.decode()
    assert f'value="{arch.process.pk}" id="id_processes_0" checked' in body
    assert all(f"{other.code} {other.name}" not in body for other in others)
    assert '<label for="id_processes_codes">' in body and 'name="processes_codes"' in body
    assert 'id="id_processes_search"' in body and "data-picker-search hidden" in body
    assert reverse("architecture:dataitem_link_search", args=["processes"]) + f"?instansi={world.inst.pk}" in body
    assert "<script" not in body.split('id="field-processes"')[1].split('id="field-')[0]
    assert "onclick" not in body and " style=" not in body


def test_codes_typed_with_commas_are_linked(client, arch, world):
    second = BusinessProcess.objects.create(department=world.kominfo, name="Kedua")
    third = validated(BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes"), world)
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:dataitem_edit", args=[arch.data.pk]), form_data(
        arch.data, processes=[arch.process.pk], processes_codes=f"{second.code.lower()}, {third.code};"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(arch.data.processes.all()) == {arch.process, second, third}


def test_unknown_and_unseen_codes_are_a_field_error_and_nothing_is_saved(client, arch, world):
    draft_elsewhere = BusinessProcess.objects.create(department=world.dinkes, name="Draf Dinkes")
    far = BusinessProcess.objects.create(department=world.far, name="Instansi lain")
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:dataitem_edit", args=[arch.data.pk]), form_data(
        arch.data, name="Tidak tersimpan", processes=[arch.process.pk],
        processes_codes=f"PB-TIDAK-ADA, {draft_elsewhere.code}, {far.code}"))
    assert response.status_code == 400
    error = response.context["form"].errors["processes"][0]
    assert "PB-TIDAK-ADA" in error and draft_elsewhere.code in error
    body = response.content.decode()
    assert 'value="PB-TIDAK-ADA, ' in body  # what was typed stays in the box
    arch.data.refresh_from_db()
    assert arch.data.name != "Tidak tersimpan"


def test_unticking_removes_and_hidden_links_stay(client, arch, world):
    hidden = BusinessProcess.objects.create(department=world.dinkes, name="Draf Dinkes")
    second = BusinessProcess.objects.create(department=world.kominfo, name="Kedua")
    arch.data.processes.add(hidden, second)
    client.force_login(world.users["operator"])
    body = client.get(reverse("architecture:dataitem_edit", args=[arch.data.pk])).content.decode()
    assert hidden.code not in body
    response = client.post(reverse("architecture:dataitem_edit", args=[arch.data.pk]),
                           form_data(arch.data, processes=[second.pk]))
    assert response.status_code == 302
    assert set(arch.data.processes.all()) == {second, hidden}


def test_search_finds_visible_objects_of_the_instansi_by_code_name_or_opd(client, arch, world):
    theirs = validated(BusinessProcess.objects.create(department=world.dinkes, name="Pelayanan Statistik Kesehatan"),
                       world)
    draft = BusinessProcess.objects.create(department=world.dinkes, name="Statistik Draf")
    BusinessProcess.objects.create(department=world.far, name="Statistik Kota Lain")
    client.force_login(world.users["operator"])
    answer = search(client, DataItem, "processes", "statistik", instansi=world.inst.pk).json()
    codes = {row["code"] for row in answer["results"]}
    assert codes == {arch.process.code, theirs.code}
    assert draft.code not in codes and answer["more"] is False
    row = next(r for r in answer["results"] if r["code"] == theirs.code)
    assert row == {"id": theirs.pk, "code": theirs.code, "name": theirs.name, "department": "DINKES",
                   "label": f"{theirs.code} {theirs.name} (DINKES)"}
    assert {r["code"] for r in search(client, DataItem, "processes", "dinkes statistik").json()["results"]} == {
        theirs.code}
    assert search(client, DataItem, "processes", arch.process.code.lower()).json()["results"][0]["id"] == arch.process.pk
    client.force_login(world.users["verifier"])
    codes = {r["code"] for r in search(client, DataItem, "processes", "statistik").json()["results"]}
    assert draft.code in codes and len(codes) == 3  # the verifikator reads the whole instansi, never another


def test_search_is_for_declared_cross_opd_links_only_and_needs_a_login(client, arch, world):
    client.force_login(world.users["operator"])
    assert search(client, Service, "processes", "x").status_code == 404  # a same-OPD link: the checklist
    assert search(client, DataItem, "reference", "x").status_code == 404
    assert search(client, DataItem, "tidak_ada", "x").status_code == 404
    assert search(client, DataItem, "processes", "").json() == {"results": [], "more": False}
    client.logout()
    response = search(client, DataItem, "processes", "x")
    assert response.status_code == 302 and "login" in response["Location"]


def test_search_answers_a_page_in_constant_queries(client, arch, world):
    client.force_login(world.users["admin"])
    search(client, DataItem, "processes", "proses")  # warm caches (content types, grants)
    with CaptureQueriesContext(connection) as few:
        search(client, DataItem, "processes", "proses")
    BusinessProcess.objects.bulk_create([
        BusinessProcess(department=world.dinkes, institution=world.inst, name=f"Proses {n}", code=f"PB-DINKES-{n:03d}")
        for n in range(30)
    ])
    with CaptureQueriesContext(connection) as many:
        answer = json.loads(search(client, DataItem, "processes", "proses").content)
    assert len(answer["results"]) == 20 and answer["more"] is True
    assert len(many) == len(few)
