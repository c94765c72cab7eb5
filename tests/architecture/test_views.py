import pytest
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem, Service

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [BusinessProcess, Service, DataItem])
def test_list_query_count_does_not_grow(client, arch, world, count_queries, query_budget, model):
    login(client, world.users["admin"])
    url = reverse(f"architecture:{model._meta.model_name}_list")
    client.get(url)
    few, _ = count_queries(lambda: client.get(url))
    reference = getattr(arch, {"businessprocess": "process", "service": "service", "dataitem": "data"}[model._meta.model_name]).reference
    for i in range(30):
        model.objects.create(department=world.kominfo, name=f"Objek {i}", reference=reference)
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    key = f"architecture.{model._meta.model_name}_list"
    assert few == many == query_budget.get(key), (key, few, many)


def test_operator_list_hides_other_opd_drafts(client, arch, world):
    BusinessProcess.objects.create(department=world.dinkes, name="Rahasia Dinkes")
    body = login(client, world.users["operator"]).get(reverse("architecture:businessprocess_list")).content.decode()
    assert "Pengelolaan Data Statistik" in body and "Rahasia Dinkes" not in body


def test_detail_shows_links_both_ways(client, arch, world):
    login(client, world.users["admin"])
    body = client.get(arch.process.get_absolute_url()).content.decode()
    assert "Layanan Data Statistik" in body and "Data Statistik Sektoral" in body
    body = client.get(arch.data.get_absolute_url()).content.decode()
    assert "Pengelolaan Data Statistik" in body


def test_create_through_form(client, arch, world):
    login(client, world.users["operator"])
    response = client.post(reverse("architecture:businessprocess_add"), {
        "department": world.kominfo.pk, "name": "Pengelolaan Informasi Publik", "reference": arch.node("RAB.09.03.03").pk,
        "reference_text": "", "period": "2025-2029", "state": "as-is", "functions": [arch.function.pk],
        "parent": arch.process.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    created = BusinessProcess.objects.get(name="Pengelolaan Informasi Publik")
    assert created.parent == arch.process and created.code == "PB-DISKOMINFO-002"
    assert workflow.conversation(created).get().action == workflow.A.CREATE


def test_reference_typed_as_code_without_javascript(client, arch, world):
    login(client, world.users["operator"])
    response = client.post(reverse("architecture:businessprocess_add"), {
        "department": world.kominfo.pk, "name": "Tanpa JS", "reference": "",
        "reference_text": "RAB.09.03.03 Pengelolaan Informasi Publik", "period": "2025-2029", "state": "as-is",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert BusinessProcess.objects.get(name="Tanpa JS").reference.code == "RAB.09.03.03"


def test_wrong_catalog_code_in_form_is_refused(client, arch, world):
    login(client, world.users["operator"])
    response = client.post(reverse("architecture:businessprocess_add"), {
        "department": world.kominfo.pk, "name": "Salah Katalog", "reference_text": "RAL.01.43.04",
        "period": "2025-2029", "state": "as-is",
    })
    assert response.status_code == 400
    assert not BusinessProcess.objects.filter(name="Salah Katalog").exists()


def test_edit_conflict_keeps_my_input(client, arch, world):
    login(client, world.users["operator"])
    url = reverse("architecture:businessprocess_edit", args=[arch.process.pk])
    stale_version = arch.process.lock_version
    arch.process.name = "Diubah orang lain"
    arch.process.lock_version += 1
    arch.process.save()
    response = client.post(url, {
        "name": "Isian saya", "reference": arch.process.reference_id, "reference_text": "", "period": "2025-2029",
        "state": "as-is", "lock_version": stale_version,
    })
    assert response.status_code == 409
    body = response.content.decode()
    assert "Isian saya" in body and "Diubah orang lain" in body and "Orang lain telah menyimpan" in body
    arch.process.refresh_from_db()
    assert arch.process.name == "Diubah orang lain"


def test_editing_verified_object_warns_and_reopens(client, arch, world):
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    workflow.apply(arch.process, workflow.A.VERIFY, world.users["verifier"])
    arch.process.refresh_from_db()
    login(client, world.users["admin"])
    response = client.post(reverse("architecture:businessprocess_edit", args=[arch.process.pk]), {
        "name": "Diperbaiki admin", "reference": arch.process.reference_id, "reference_text": "",
        "period": "2025-2029", "state": "as-is", "lock_version": arch.process.lock_version,
    }, follow=True)
    assert "kembali menjadi draf" in response.content.decode()
    arch.process.refresh_from_db()
    assert arch.process.status == S.DRAFT


def test_transition_buttons_and_return_comment(client, arch, world):
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    login(client, world.users["verifier"])
    url = reverse("architecture:businessprocess_action", args=[arch.process.pk])
    body = client.post(url, {"action": "kembalikan", "comment": ""}, follow=True).content.decode()
    assert "alasan pengembalian" in body
    client.post(url, {"action": "kembalikan", "comment": "IKU belum terukur"})
    arch.process.refresh_from_db()
    assert arch.process.status == S.RETURNED
    assert "IKU belum terukur" in client.get(arch.process.get_absolute_url()).content.decode()


def test_leader_sees_no_edit_or_review_buttons(client, arch, world):
    body = login(client, world.users["leader"]).get(arch.process.get_absolute_url()).content.decode()
    assert "/ubah/" not in body and 'name="action"' not in body
    assert client.get(reverse("architecture:businessprocess_edit", args=[arch.process.pk])).status_code == 403


def test_bulk_submit(client, arch, world):
    login(client, world.users["operator"])
    client.post(reverse("architecture:businessprocess_bulk"), {"selected": [arch.process.pk]})
    arch.process.refresh_from_db()
    assert arch.process.status == S.SUBMITTED


def test_needs_action_per_role(client, arch, world):
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    body = login(client, world.users["verifier"]).get(reverse("architecture:needs_action")).content.decode()
    assert "Menunggu verifikasi" in body and arch.process.code in body
    workflow.apply(arch.process, workflow.A.RETURN, world.users["verifier"], "Perbaiki")
    body = login(client, world.users["operator"]).get(reverse("architecture:needs_action")).content.decode()
    assert "Dikembalikan untuk diperbaiki" in body and arch.process.code in body


def test_completeness_on_dashboard_and_opd_page(client, arch, world):
    login(client, world.users["admin"])
    body = client.get("/").content.decode()
    assert 'data-department="DISKOMINFO"' in body
    body = client.get(world.kominfo.get_absolute_url()).content.decode()
    assert "Kelengkapan arsitektur OPD ini" in body


def test_process_tree(client, arch, world):
    BusinessProcess.objects.create(department=world.kominfo, name="Sub proses statistik", parent=arch.process)
    body = login(client, world.users["operator"]).get(reverse("architecture:process_tree")).content.decode()
    assert "Sub proses statistik" in body and "Pengelolaan Data Statistik" in body


def test_completeness_figures(arch, world):
    from sia.architecture.completeness import table_for

    BusinessProcess.objects.create(department=world.kominfo, name="pengelolaan data statistik")
    table = table_for(world.users["admin"])
    row = next(cells for department, cells in table.rows if department == world.kominfo)
    cells = dict(zip(table.slugs, row))
    process_cell, service_cell, data_cell = cells["proses-bisnis"], cells["layanan"], cells["data"]
    assert process_cell.count == 2
    assert any("nama yang sama" in w for w in process_cell.warnings)
    assert service_cell.count == 1 and data_cell.count == 1
    assert 0 < process_cell.percent < 100
