"""Edits as people make them: duplicate IDs, values the editor cannot see, untouched saves,
link changes in the audit trail, races for the next ID, deactivated OPDs."""

from unittest import mock

import pytest
from django.urls import reverse

from sia.architecture import views, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem, Service

pytestmark = pytest.mark.django_db


def form_data(obj, **overrides):
    data = {"code": obj.code, "name": obj.name, "description": obj.description, "reference": obj.reference_id or "",
            "reference_text": "", "period": obj.period, "state": obj.state, "lock_version": obj.lock_version}
    data.update(overrides)
    return data


def validate(obj, world):
    workflow.apply(obj, workflow.A.SUBMIT, world.users["operator"])
    workflow.apply(obj, workflow.A.VERIFY, world.users["verifier"])
    workflow.apply(obj, workflow.A.VALIDATE, world.users["admin"])
    obj.refresh_from_db()


def test_duplicate_id_in_form_is_a_field_error_not_a_crash(client, arch, world):
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:businessprocess_add"), {
        "department": world.kominfo.pk, "code": arch.process.code.lower(), "name": "Kembar", "period": "2025-2029",
        "state": "as-is",
    })
    assert response.status_code == 400
    assert "ID ini sudah dipakai" in response.content.decode()
    other = BusinessProcess.objects.create(department=world.kominfo, name="Lain")
    response = client.post(reverse("architecture:businessprocess_edit", args=[other.pk]),
                           form_data(other, code=arch.process.code))
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_duplicate_id_in_api_is_reported_on_the_code_field(arch, world, api):
    response = api(world.users["operator"]).post("/api/architecture/business-processes/",
                                                 {"department": world.kominfo.pk, "name": "X", "code": arch.process.code},
                                                 format="json")
    assert response.status_code == 400 and "code" in response.json()


def test_operator_may_name_another_opd_as_walidata_and_keeps_it_when_editing(client, arch, world):
    client.force_login(world.users["operator"])
    form = client.get(reverse("architecture:dataitem_edit", args=[arch.data.pk])).context["form"]
    assert world.dinkes in form.fields["custodian_department"].queryset
    assert world.far not in form.fields["custodian_department"].queryset
    DataItem.objects.filter(pk=arch.data.pk).update(custodian_department=world.dinkes)
    arch.data.refresh_from_db()
    response = client.post(reverse("architecture:dataitem_edit", args=[arch.data.pk]),
                           form_data(arch.data, purpose="Tujuan baru", custodian_department=world.dinkes.pk,
                                     processes=[arch.process.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    arch.data.refresh_from_db()
    assert arch.data.custodian_department == world.dinkes and arch.data.purpose == "Tujuan baru"


def test_links_the_editor_cannot_see_are_kept(client, arch, world):
    hidden = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes (draf)")
    arch.data.processes.add(hidden)
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:dataitem_edit", args=[arch.data.pk]),
                           form_data(arch.data, name="Data diubah", processes=[arch.process.pk]))
    assert response.status_code == 302
    assert set(arch.data.processes.all()) == {arch.process, hidden}
    response = api_patch(world, "operator", f"/api/architecture/data-items/{arch.data.pk}/",
                         {"processes": [arch.process.pk]})
    assert response.status_code == 200
    assert set(arch.data.processes.all()) == {arch.process, hidden}


def api_patch(world, role, url, data):
    """PATCH as a client does: with the ETag of its GET as If-Match (when it may read the object)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.users[role])
    read = client.get(url)
    headers = {"HTTP_IF_MATCH": read["ETag"]} if read.status_code == 200 else {}
    return client.patch(url, data, format="json", **headers)


def test_saving_an_untouched_form_keeps_the_review(client, arch, world):
    validate(arch.process, world)
    client.force_login(world.users["admin"])
    response = client.post(reverse("architecture:businessprocess_edit", args=[arch.process.pk]),
                           form_data(arch.process, functions=[arch.function.pk]), follow=True)
    assert "Tidak ada perubahan" in response.content.decode()
    arch.process.refresh_from_db()
    assert arch.process.status == S.VALIDATED
    assert api_patch(world, "admin", f"/api/architecture/business-processes/{arch.process.pk}/", {}).status_code == 200
    arch.process.refresh_from_db()
    assert arch.process.status == S.VALIDATED


def test_link_changes_are_in_the_audit_trail(client, arch, world):
    second = BusinessProcess.objects.create(department=world.kominfo, name="Kedua")
    response = api_patch(world, "operator", f"/api/architecture/services/{arch.service.pk}/",
                         {"processes": [second.pk]})
    assert response.status_code == 200
    reason = arch.service.history.first().history_change_reason
    assert f"+{second.code}" in reason and f"−{arch.process.code}" in reason
    client.force_login(world.users["admin"])
    body = client.get(reverse("architecture:service_history", args=[arch.service.pk])).content.decode()
    assert f"+{second.code}" in body


def test_api_cannot_move_an_object_to_another_opd(arch, world):
    response = api_patch(world, "admin", f"/api/architecture/business-processes/{arch.process.pk}/",
                         {"department": world.dinkes.pk})
    assert response.status_code == 400
    arch.process.refresh_from_db()
    assert arch.process.department == world.kominfo


def test_prefill_does_not_reveal_another_opds_draft(client, arch, world):
    hidden = BusinessProcess.objects.create(department=world.dinkes, name="Rahasia", reference=arch.node("RAB.04.01.01"))
    client.force_login(world.users["operator"])
    form = client.get(reverse("architecture:service_add") + f"?processes={hidden.pk}").context["form"]
    assert not form.initial.get("reference") and not form.initial.get("government_affair")
    form = client.get(reverse("architecture:service_add") + f"?processes={arch.process.pk}").context["form"]
    assert form.initial.get("reference") == arch.node("RAL.01.43.04").pk


def test_no_new_objects_for_a_deactivated_opd(arch, world, api):
    world.kominfo.is_active = False
    world.kominfo.save()
    response = api(world.users["operator"]).post("/api/architecture/business-processes/",
                                                 {"department": world.kominfo.pk, "name": "Baru"}, format="json")
    assert response.status_code == 400 and "nonaktif" in str(response.json())


def test_a_taken_id_is_skipped_when_two_people_save_at_once(arch, world):
    taken = BusinessProcess.objects.create(department=world.kominfo, name="Sudah ada").code
    with mock.patch("sia.architecture.models.base.next_code", side_effect=[taken, "PB-DISKOMINFO-077"]):
        created = BusinessProcess.objects.create(department=world.kominfo, name="Bersamaan")
    assert created.code == "PB-DISKOMINFO-077"


def test_other_opds_read_a_validated_object_but_not_its_history(client, arch, world):
    validate(arch.process, world)
    client.force_login(world.users["operator_dinkes"])
    body = client.get(arch.process.get_absolute_url()).content.decode()
    history = reverse("architecture:businessprocess_history", args=[arch.process.pk])
    assert arch.process.name in body and 'id="review"' not in body and history not in body
    assert client.get(reverse("architecture:businessprocess_history", args=[arch.process.pk])).status_code == 403
    assert api_patch(world, "operator_dinkes", f"/api/architecture/business-processes/{arch.process.pk}/", {}).status_code == 403
    client.force_login(world.users["operator"])
    assert client.get(reverse("architecture:businessprocess_history", args=[arch.process.pk])).status_code == 200


def test_needs_action_says_how_many_more(client, arch, world, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    for i in range(3):
        Service.objects.create(department=world.kominfo, name=f"Layanan {i}")
    client.force_login(world.users["operator"])
    body = client.get(reverse("architecture:needs_action")).content.decode()
    assert "Lihat semua 4" in body
