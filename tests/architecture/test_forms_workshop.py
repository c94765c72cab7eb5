"""Workshop-ready forms (issue 10): refresh of dependent fields only, error summary, checklists,
length limits. The browser half is in ``test_browser_forms.py``."""

import re

import pytest
from django.urls import reverse

from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.registry import domain_models
from sia.core.widgets import ChecklistWidget

from .. import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def refresh(client, model, trigger, **params):
    url = reverse(f"architecture:{model._meta.model_name}_add")
    return client.get(url, {"_refresh": "1", **params}, HTTP_HX_TRIGGER_NAME=trigger, **HTMX)


def oob_fields(body):
    return re.findall(r'id="field-([\w-]+)" data-field[^>]*hx-swap-oob="true"', body)


def test_choosing_a_process_answers_with_dependent_fields_only(client, arch, world):
    client.force_login(world.users["operator"])
    response = refresh(client, Service, "processes", department=world.kominfo.pk, processes=arch.process.pk,
                       name="Sedang diketik", reference="", reference_text="", government_affair="",
                       government_affair_text="")
    body = response.content.decode()
    assert response.status_code == 200
    names = oob_fields(body)
    # the suggestions and the choices, never the typed text fields, the trigger, nor the whole form
    assert {"reference", "government_affair"} <= set(names)
    assert "processes" not in names and "name" not in names and "purpose" not in names
    assert "<form" not in body and "Sedang diketik" not in body
    assert 'value="RAL.01.43.04 Pengelolaan Data Statistik"' in body and 'value="RAB.09.03 Informasi"' in body


def test_refresh_leaves_a_field_with_a_value_without_suggestion(client, arch, world):
    client.force_login(world.users["operator"])
    body = refresh(client, Service, "processes", department=world.kominfo.pk, processes=arch.process.pk,
                   reference="", reference_text="RAL.02", government_affair="", government_affair_text="").content.decode()
    names = oob_fields(body)
    assert "government_affair" in names and "reference" not in names


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.spec.slug)
def test_every_domain_refreshes_on_its_declared_fields(client, arch, world, model):
    client.force_login(world.users["operator"])
    body = client.get(reverse(f"architecture:{model._meta.model_name}_add")).content.decode()
    for name in model.spec.refresh_on:
        tag = re.search(rf'<[^>]*name="{name}"[^>]*>', body).group(0)
        assert 'hx-swap="none"' in tag and "_refresh=1" in tag and "hx-select" not in tag
    response = refresh(client, model, "department", department=world.kominfo.pk)
    assert response.status_code == 200 and "<form" not in response.content.decode()


def test_error_summary_links_every_field_with_an_error(client, arch, world):
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:service_add"), {
        "department": world.kominfo.pk, "name": "", "period": "2025", "state": "as-is", "risk": "Bocor",
    })
    assert response.status_code == 400
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', body, re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    anchors = re.findall(r'href="#([\w-]+)"', summary)
    assert {"id_name", "id_period", "id_mitigation"} <= set(anchors)
    for anchor in anchors:
        assert f'id="{anchor}"' in body


def test_error_summary_on_other_forms(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("organizations:department_add"), {"name": ""})
    body = response.content.decode()
    assert response.status_code == 400 and 'class="error-summary"' in body and 'href="#id_name"' in body


def test_error_summary_includes_the_rows_of_a_formset(client, world):
    from tests.organizations.test_views import department_post

    client.force_login(world.users["admin"])
    response = client.post(reverse("organizations:department_add"), department_post(world, **{
        "functions-1-order": "x"}))
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', body, re.S).group(0)
    assert response.status_code == 400 and 'href="#id_functions-1-order"' in summary and "(baris 2)" in summary


def test_every_link_field_is_a_checklist_or_across_opds_a_search_picker(client, arch, world):
    from sia.architecture.forms import form_for
    from sia.architecture.linkspec import link_spec
    from sia.core.widgets import SearchPickerWidget

    for model in domain_models():
        form = form_for(model)(user=world.users["operator"])
        for field in model._meta.many_to_many:
            if field.name in form.fields:
                link = link_spec(model, field.name)
                wanted = SearchPickerWidget if link is not None and link.cross_opd else ChecklistWidget
                assert isinstance(form.fields[field.name].widget, wanted), (model, field.name)


def test_checklist_submits_without_javascript_and_lists_ticked_first(client, arch, world):
    second = BusinessProcess.objects.create(department=world.kominfo, name="Zzz Proses Kedua")
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:dataitem_add"), {
        "department": world.kominfo.pk, "name": "Data dua proses", "period": "2025-2029", "state": "as-is",
        "processes": [arch.process.pk, second.pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    item = DataItem.objects.get(name="Data dua proses")
    assert set(item.processes.all()) == {arch.process, second}
    arch.service.processes.add(second)
    BusinessProcess.objects.create(department=world.kominfo, name="Aaa Tidak Dipilih")
    body = client.get(reverse("architecture:service_edit", args=[arch.service.pk])).content.decode()
    processes = body[body.index('id="id_processes"'):body.index('id="field-', body.index('id="id_processes"'))]
    assert 'type="checkbox" name="processes"' in processes and "data-checklist-search" in processes
    assert "<select" not in processes
    order = re.findall(r'value="(\d+)"', processes)
    assert len(order) == 3 and set(order[:2]) == {str(arch.process.pk), str(second.pk)}  # ticked first
    assert 'for="id_processes_0"' in body and 'id="id_processes_0"' in body


LONG = "x" * 2001


def test_form_refuses_an_over_long_uraian_and_shows_the_limit(client, arch, world):
    client.force_login(world.users["operator"])
    body = client.get(reverse("architecture:service_add")).content.decode()
    assert re.search(r'<textarea[^>]*name="description"[^>]*maxlength="2000"', body)
    response = client.post(reverse("architecture:service_add"), {
        "department": world.kominfo.pk, "name": "Terlalu panjang", "period": "2025-2029", "state": "as-is",
        "description": LONG,
    })
    assert response.status_code == 400
    assert "2000" in response.content.decode() and not Service.objects.filter(name="Terlalu panjang").exists()


def test_api_refuses_an_over_long_uraian(arch, world, api):
    response = api(world.users["operator"]).post("/api/architecture/services/", {
        "department": world.kominfo.pk, "name": "Terlalu panjang", "description": LONG}, format="json")
    assert response.status_code == 400 and "2000" in str(response.json()["description"])
    response = api(world.users["operator"]).patch(
        f"/api/architecture/business-processes/{arch.process.pk}/",
        {"strategic_goal": LONG, "lock_version": arch.process.lock_version}, format="json")
    assert response.status_code == 400 and "2000" in str(response.json()["strategic_goal"])


def test_model_validation_refuses_an_over_long_text(arch):
    from django.core.exceptions import ValidationError

    arch.data.purpose = LONG
    with pytest.raises(ValidationError) as error:
        arch.data.full_clean()
    assert "purpose" in error.value.message_dict and "2000" in error.value.message_dict["purpose"][0]


def test_excel_import_refuses_an_over_long_uraian(arch, world):
    from tests.exchange.helpers import plan, workbook

    content = workbook({"Proses Bisnis": [
        ["ID", "Perangkat daerah *", "Nama *", "Referensi", "Uraian"],
        ["", "DISKOMINFO", "Proses berurai panjang", "RAB.09.03.04", LONG],
    ]})
    result = plan(content, world.users["operator"], world.inst)
    messages = [str(p.message) for p in result.errors]
    assert any("2000" in m for m in messages), messages


def test_review_comment_has_the_same_limit(arch, world):
    from sia.architecture import workflow

    with pytest.raises(workflow.TransitionError):
        workflow.comment(arch.process, world.users["verifier"], LONG)


def test_opd_texts_have_limits_too(world):
    from django.core.exceptions import ValidationError

    from sia.organizations.models import DepartmentFunction

    world.kominfo.duties = "t" * 4001
    with pytest.raises(ValidationError) as error:
        world.kominfo.full_clean()
    assert "4000" in error.value.message_dict["duties"][0]
    function = DepartmentFunction(department=world.kominfo, order=9, description="f" * 1001)
    with pytest.raises(ValidationError) as error:
        function.full_clean()
    assert "1000" in error.value.message_dict["description"][0]


def test_refresh_of_an_edit_form_narrows_units_to_the_opd_chosen(client, arch, world):
    kominfo_unit = f.work_unit(world.kominfo, name="Bidang Statistik")
    dinkes_unit = f.work_unit(world.dinkes, name="Bidang Kesehatan Masyarakat")
    client.force_login(world.users["admin"])
    url = reverse("architecture:dataitem_edit", args=[arch.data.pk])
    page = client.get(url).content.decode()
    tag = re.search(r'<select[^>]*name="custodian_department"[^>]*>', page).group(0)
    assert "_refresh=1" in tag
    body = client.get(url, {"_refresh": "1", "custodian_department": world.dinkes.pk, "name": "Diketik"},
                      HTTP_HX_TRIGGER_NAME="custodian_department", **HTMX).content.decode()
    assert "custodian_unit" in oob_fields(body) and "name" not in oob_fields(body) and "Diketik" not in body
    units = body[body.index('id="field-custodian_unit"'):]
    units = units[:units.index("</select>")]
    assert dinkes_unit.name in units and kominfo_unit.name not in units
    arch.data.refresh_from_db()
    assert arch.data.name == "Data Statistik Sektoral"  # a refresh saves nothing
