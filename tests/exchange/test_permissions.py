"""Who may download, upload and commit what: every answer comes from sia.core.permissions."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess
from sia.exchange.uploads import start_import

from .helpers import export, plan, problems, read, upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *"]


def test_operator_rows_for_another_opd_are_errors(ex, world):
    content = workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Milik sendiri"], ["", "DINKES", "Milik OPD lain"]]})
    result = plan(content, world.users["operator"], world.inst)
    assert problems(result) == [
        ("Proses Bisnis", 3, "Perangkat daerah *", "Anda tidak berwenang menambah Proses Bisnis untuk OPD DINKES.")]


def test_operator_cannot_update_another_opds_object_even_when_visible(ex, world):
    BusinessProcess.objects.filter(pk=ex.dinkes_process.pk).update(status=ReviewStatus.VALIDATED)
    operator = world.users["operator"]
    content = workbook({"Proses Bisnis": [PB, [ex.dinkes_process.code, "DINKES", "Nama diganti"]]})
    result = plan(content, operator, world.inst)
    assert problems(result) == [("Proses Bisnis", 2, "ID", f"Anda tidak berwenang mengubah {ex.dinkes_process.code} "
                                                           "(status Divalidasi).")]
    unchanged = workbook({"Proses Bisnis": [PB, [ex.dinkes_process.code, "DINKES", ex.dinkes_process.name]]})
    assert plan(unchanged, operator, world.inst).counts()["unchanged"] == 1


UNUSABLE = "ID ini tidak dapat dipakai; biarkan kosong agar SIA membuatkan ID baru."


def test_ids_of_objects_the_user_cannot_see(ex, world):
    # Was "ID … sudah dipakai objek yang tidak dapat Anda akses": that confirmed the object exists.
    content = workbook({"Proses Bisnis": [PB, [ex.dinkes_process.code, "DISKOMINFO", "Tebakan"]]})
    assert problems(plan(content, world.users["operator"], world.inst)) == [("Proses Bisnis", 2, "ID", UNUSABLE)]


def test_an_invisible_id_and_a_reserved_id_get_the_same_answer(ex, world):
    """PB-DINKES-001 exists (the operator cannot see it), PB-DINKES-077 does not: the operator of
    DISKOMINFO may create neither, and cannot tell which one exists."""
    assert ex.dinkes_process.code == "PB-DINKES-001"
    assert not BusinessProcess.objects.filter(code="PB-DINKES-077").exists()
    content = workbook({"Proses Bisnis": [
        PB, ["PB-DINKES-001", "DISKOMINFO", "Tebakan A"], ["pb-dinkes-077", "DISKOMINFO", "Tebakan B"],
        ["PB-DISKOMINFO-077", "DISKOMINFO", "ID baru di OPD sendiri"], ["PB-BEBAS-1", "DISKOMINFO", "ID bebas"],
    ]})
    found = problems(plan(content, world.users["operator"], world.inst))
    assert found == [("Proses Bisnis", 2, "ID", UNUSABLE), ("Proses Bisnis", 3, "ID", UNUSABLE)]
    assert "PB-DINKES" not in found[0][3] and found[0][3] == found[1][3]
    # The admin may add in DINKES: a new ID there is fine (and the existing one is found, for an update).
    assert [p for p in problems(plan(content, world.users["admin"], world.inst)) if p[2] == "ID"] == []


def test_export_holds_only_what_the_user_may_see(ex, world):
    rows = read(export(world.users["operator"], world.inst))["Proses Bisnis"]
    assert [row[0] for row in rows[1:]] == [ex.process.code]
    assert ex.far_process.code not in [row[0] for row in read(export(world.users["admin"], world.inst))["Proses Bisnis"]]


def test_template_offers_the_operator_only_their_opd(ex, world, client):
    client.force_login(world.users["operator"])
    response = client.get(reverse("exchange:template") + "?domain=proses-bisnis")
    lists = read(response.content)["Daftar"]
    assert [row[0] for row in lists if row[0]][:2] == ["Proses Bisnis: Perangkat daerah", "DISKOMINFO"]
    assert "DINKES" not in [row[0] for row in lists]


def test_leader_may_download_but_not_upload(ex, world, client):
    client.force_login(world.users["leader"])
    assert client.get(reverse("exchange:template")).status_code == 200
    assert client.get(reverse("exchange:upload")).status_code == 403
    response = client.post(reverse("exchange:upload"), {"file": upload(workbook({"Proses Bisnis": [PB]}))})
    assert response.status_code == 403
    body = client.get(reverse("architecture:businessprocess_list")).content.decode()
    assert reverse("exchange:upload") not in body and reverse("exchange:template") in body


def test_leader_rows_are_refused_even_without_the_page(ex, world):
    content = workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Dari pimpinan"]]})
    record = start_import(upload(content), user=world.users["leader"], institution=world.inst)
    assert record.error_count == 1 and "tidak berwenang menambah" in record.problems[0]["message"]


def test_import_records_are_private_to_uploader_and_admins(ex, world, client):
    record = start_import(upload(workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "X"]]})),
                          user=world.users["operator"], institution=world.inst)
    url = record.get_absolute_url()
    for role, expected in (("operator", 200), ("admin", 200), ("operator_dinkes", 404), ("other_admin", 404),
                           ("leader", 404)):
        client.force_login(world.users[role])
        assert client.get(url).status_code == expected, role
    client.force_login(world.users["admin"])
    client.post(reverse("exchange:importrecord_commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "pratinjau"  # only the uploader commits


def test_anonymous_is_sent_to_login(client):
    for name in ("exchange:index", "exchange:template", "exchange:export", "exchange:upload", "exchange:importrecord_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/akun/login/" in response["Location"], name
