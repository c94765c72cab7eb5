"""The API: template and export downloads, upload preview and commit, instansi snapshots; every denial."""

import io
import json
import zipfile

import openpyxl
import pytest

from sia.architecture.models import BusinessProcess
from sia.exchange.models import ImportRecord
from sia.organizations.models import Institution, Membership

from .helpers import XLSX, upload, workbook

pytestmark = pytest.mark.django_db

BASE = "/api/exchange/"
PB = ["ID", "Perangkat daerah *", "Nama *"]


def sheet_rows(response, title):
    return list(openpyxl.load_workbook(io.BytesIO(response.content))[title].iter_rows(values_only=True))


def post_file(client, content, **extra):
    return client.post(f"{BASE}imports/", {"file": upload(content), **extra}, format="multipart")


def test_anonymous_is_refused_everywhere(ex, world, api):
    client = api()
    for url in ("templates/", "exports/", "imports/", f"instances/{world.inst.pk}/snapshot/"):
        assert client.get(BASE + url).status_code in (401, 403), url
    assert post_file(client, workbook({"Proses Bisnis": [PB]})).status_code in (401, 403)
    assert client.post(f"{BASE}snapshots/restore/", {}, format="json").status_code in (401, 403)


def test_template_and_export_downloads(ex, world, api):
    client = api(world.users["operator"])
    response = client.get(f"{BASE}templates/?domain=business-processes")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert sheet_rows(response, "Proses Bisnis")[1:] == []
    prefilled = client.get(f"{BASE}templates/?domain=proses-bisnis&prefill=1", HTTP_ACCEPT=XLSX)
    assert prefilled.status_code == 200
    assert [r[0] for r in sheet_rows(prefilled, "Proses Bisnis")[1:]] == [ex.process.code]
    admin = api(world.users["admin"])
    filtered = admin.get(f"{BASE}exports/?domain=proses-bisnis&department=DINKES")
    assert [r[0] for r in sheet_rows(filtered, "Proses Bisnis")[1:]] == [ex.dinkes_process.code]
    assert admin.get(f"{BASE}exports/?domain=tidak-ada").status_code == 404
    assert api(world.users["superuser"]).get(f"{BASE}templates/").status_code == 400
    assert api(world.users["superuser"]).get(f"{BASE}templates/?institution={world.inst.code}").status_code == 200
    assert api(world.users["other_admin"]).get(f"{BASE}templates/?institution={world.inst.code}").status_code == 404


def test_upload_preview_then_commit(ex, world, api):
    client = api(world.users["operator"])
    response = post_file(client, workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Lewat API"], ["", "", "Tanpa OPD"]]}))
    assert response.status_code == 201, response.content
    body = response.json()
    assert list(body)[:3] == ["id", "url", "display"] and list(body)[-2:] == ["created", "updated"]
    assert (body["status"], body["created_count"], body["error_count"]) == ("pratinjau", 1, 1)
    assert body["problems"] == [{"sheet": "Proses Bisnis", "row": 3, "column": "Perangkat daerah *",
                                 "message": "Wajib diisi untuk baris baru.", "level": "error"}]
    assert client.post(f"{BASE}imports/{body['id']}/commit/").status_code == 400
    assert not BusinessProcess.objects.filter(name="Lewat API").exists()

    response = post_file(client, workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Lewat API"]]}))
    record = response.json()
    committed = client.post(f"{BASE}imports/{record['id']}/commit/")
    assert committed.status_code == 200 and committed.json()["status"] == "disimpan"
    assert BusinessProcess.objects.get(name="Lewat API").department == world.kominfo
    assert client.post(f"{BASE}imports/{record['id']}/commit/").status_code == 409
    assert [r["id"] for r in client.get(f"{BASE}imports/").json()["results"]] == [record["id"], body["id"]]


def test_rejected_files_answer_400(ex, world, api):
    response = post_file(api(world.users["admin"]), b"%PDF-1.4 bukan excel")
    assert response.status_code == 400 and response.json()["status"] == "ditolak"
    assert "tidak sesuai jenis" in response.json()["problems"][0]["message"]


def test_upload_and_commit_denials(ex, world, api):
    content = workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "X"]]})
    assert post_file(api(world.users["leader"]), content).status_code == 403
    assert post_file(api(world.users["nobody"]), content).status_code == 404
    assert post_file(api(world.users["superuser"]), content).status_code == 400  # which instansi?
    record = post_file(api(world.users["operator"]), content).json()
    url = f"{BASE}imports/{record['id']}/"
    assert api(world.users["admin"]).get(url).status_code == 200
    assert api(world.users["admin"]).post(url + "commit/").status_code == 403
    for role in ("other_admin", "operator_dinkes", "leader"):
        assert api(world.users[role]).get(url).status_code == 404, role
        assert api(world.users[role]).post(url + "commit/").status_code == 404, role
    assert ImportRecord.objects.get(pk=record["id"]).status == "pratinjau"


def snapshot_document(response) -> dict:
    """The snapshot.json of a downloaded instansi archive."""
    content = b"".join(response.streaming_content)
    return json.loads(zipfile.ZipFile(io.BytesIO(content)).read("snapshot.json")), content


def test_snapshot_and_restore(ex, world, api):
    url = f"{BASE}instances/{world.inst.pk}/snapshot/"
    assert api(world.users["operator"]).get(url).status_code == 403
    assert api(world.users["other_admin"]).get(url).status_code == 404
    assert api(world.users["admin"]).get(url + "?credentials=1").status_code == 403
    snapshot = api(world.users["admin"]).get(url)
    assert snapshot.status_code == 200
    assert snapshot["Content-Type"] == "application/zip"  # was JSON: now the archive with the stored files
    data, content = snapshot_document(snapshot)
    assert data["institution"] == "82" and "password" not in data["shared"]["core.user"][0]
    assert api(world.users["admin"]).post(f"{BASE}snapshots/restore/", data, format="json").status_code == 403
    superuser = api(world.users["superuser"])
    assert superuser.post(f"{BASE}snapshots/restore/", data, format="json").status_code == 400  # code 82 exists
    assert superuser.post(f"{BASE}snapshots/restore/", {"format": "lain"}, format="json").status_code == 400
    restored = superuser.post(f"{BASE}snapshots/restore/?code=82-salinan&confirm_users=1", data, format="json")
    assert restored.status_code == 201, restored.content
    assert restored.json()["code"] == "82-salinan"
    assert BusinessProcess.objects.filter(institution_id=restored.json()["id"]).count() == 2
    as_file = superuser.post(f"{BASE}snapshots/restore/?code=82-berkas&confirm_users=1",
                             {"file": upload(content, "cadangan.zip")}, format="multipart")
    assert as_file.status_code == 201, as_file.content


def test_restore_lists_existing_users_and_writes_nothing_until_confirmed(ex, world, api):
    _data, content = snapshot_document(api(world.users["admin"]).get(f"{BASE}instances/{world.inst.pk}/snapshot/"))
    superuser = api(world.users["superuser"])
    institutions, memberships = Institution.objects.count(), Membership.objects.count()
    refused = superuser.post(f"{BASE}snapshots/restore/?code=82-b", {"file": upload(content, "c.zip")},
                             format="multipart")
    assert refused.status_code == 400
    matched = {row["username"]: row["roles"] for row in refused.json()["matched_users"]}
    assert matched["koord"] == ["Keanggotaan: Admin instansi (Tim Koordinasi)"]
    assert set(matched) == {"koord", "op.kominfo", "op.dinkes", "verif", "asesor1", "pimpinan1"}
    assert (Institution.objects.count(), Membership.objects.count()) == (institutions, memberships)

    confirmed = superuser.post(f"{BASE}snapshots/restore/?code=82-b&confirm_users=1",
                               {"file": upload(content, "c.zip")}, format="multipart")
    assert confirmed.status_code == 201, confirmed.content
    assert {row["username"] for row in confirmed.json()["matched_users"]} == set(matched)
    copy = Institution.objects.get(code="82-b")
    assert Membership.objects.get(institution=copy, user=world.users["admin"]).role == "admin"


def test_corrupt_archive_is_refused_by_the_api(ex, world, api):
    _data, content = snapshot_document(api(world.users["admin"]).get(f"{BASE}instances/{world.inst.pk}/snapshot/"))
    response = api(world.users["superuser"]).post(f"{BASE}snapshots/restore/?code=82-c&confirm_users=1",
                                                  {"file": upload(content[:-40], "c.zip")}, format="multipart")
    assert response.status_code == 400 and not Institution.objects.filter(code="82-c").exists()
