"""Small things that add up: the children heading, bulk submit back to the filtered list, links in the
creation entry of Riwayat."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, Service
from sia.core.history import history_entries

pytestmark = pytest.mark.django_db


def test_children_of_a_process_are_headed_sub_proses(client, arch, world):
    BusinessProcess.objects.create(department=world.kominfo, name="Validasi Data Sektoral", parent=arch.process)
    client.force_login(world.users["admin"])
    body = client.get(arch.process.get_absolute_url()).content.decode()
    assert "<h2>Sub-proses</h2>" in body
    assert "Validasi Data Sektoral" in body
    assert "proses induk</h2>" not in body.lower()


def test_filtered_table_carries_its_filters_to_bulk_submit(client, arch, world):
    client.force_login(world.users["operator"])
    url = reverse("architecture:businessprocess_list")
    body = client.get(url, {"status": "draf", "q": "statistik"}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="object-table").content.decode()
    assert 'name="query" value="status=draf&amp;q=statistik" form="bulk-submit"' in body


def test_bulk_submit_returns_to_the_same_filtered_list(client, arch, world):
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:businessprocess_bulk"), {
        "selected": [arch.process.pk], "query": "status=draf&department=DISKOMINFO&page=3"})
    assert response.status_code == 302
    assert response["Location"] == reverse("architecture:businessprocess_list") + "?status=draf&department=DISKOMINFO"
    arch.process.refresh_from_db()
    assert arch.process.status == S.SUBMITTED
    response = client.post(reverse("architecture:businessprocess_bulk"), {"selected": [], "query": ""})
    assert response["Location"] == reverse("architecture:businessprocess_list")


def creation_reason(obj):
    entries = [e for e in history_entries(obj) if e["type"] == "+"]
    assert len(entries) == 1
    return entries[0]["reason"] or ""


def test_creation_entry_names_the_links_set_on_the_web_form(client, arch, world):
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:service_add"), {
        "department": world.kominfo.pk, "name": "Layanan Portal Data", "period": "2025-2029", "state": "as-is",
        "processes": [arch.process.pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(name="Layanan Portal Data")
    assert creation_reason(service) == f"Dibuat dengan tautan — proses bisnis: {arch.process.code}"
    body = client.get(reverse("architecture:service_history", args=[service.pk])).content.decode()
    assert f"proses bisnis: {arch.process.code}" in body


def test_creation_entry_names_the_links_set_through_the_api(arch, world, api):
    response = api(world.users["operator"]).post("/api/architecture/data-items/", {
        "department": "DISKOMINFO", "name": "Data Portal", "processes": [arch.process.pk],
        "services": [arch.service.pk]}, format="json")
    assert response.status_code == 201, response.json()
    data = arch.data.__class__.objects.get(name="Data Portal")
    reason = creation_reason(data)
    assert reason.startswith("Dibuat dengan tautan — ")
    assert f"proses bisnis penghasil: {arch.process.code}" in reason
    assert f"layanan yang memakai: {arch.service.code}" in reason


def test_creation_without_links_has_no_note(client, arch, world):
    client.force_login(world.users["operator"])
    client.post(reverse("architecture:service_add"), {
        "department": world.kominfo.pk, "name": "Layanan Tanpa Tautan", "period": "2025-2029", "state": "as-is"})
    assert creation_reason(Service.objects.get(name="Layanan Tanpa Tautan")) == ""
