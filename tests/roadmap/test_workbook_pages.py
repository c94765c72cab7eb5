"""The Excel page of the Peta Rencana (/peta-rencana/excel/) and its API (/api/roadmap/workbook/): download, upload
previewed then committed, problems by sheet/row/column, and a download whose query count does not grow with rows."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sia.roadmap.models import Activity, ActivityYear

from .conftest import make_activity, make_year
from .test_workbook import edit, fingerprint, row_of

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """The previewed workbook is kept under MEDIA_ROOT/imports: a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(content, name="peta.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_page_offers_downloads_to_readers_and_the_upload_to_writers(client, world, roadmap):
    client.force_login(world.users["verifier"])
    page = client.get(reverse("roadmap:workbook"))
    assert page.status_code == 200
    assert b'id="roadmap-export"' in page.content and b'id="roadmap-preview"' not in page.content
    download = client.get(reverse("roadmap:workbook_download"), {"instansi": world.inst.pk})
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert "peta-rencana" in download["Content-Disposition"]
    sheets = openpyxl.load_workbook(io.BytesIO(download.content)).sheetnames
    assert {"Sasaran", "Inisiatif", "Program", "Kegiatan", "Anggaran"} <= set(sheets)
    template = client.get(reverse("roadmap:workbook_download"), {"instansi": world.inst.pk, "templat": "1"})
    assert openpyxl.load_workbook(io.BytesIO(template.content))["Kegiatan"].max_row == 1
    assert client.post(reverse("roadmap:workbook"), {"instansi": world.inst.pk}).status_code == 403
    client.force_login(world.users["operator"])
    assert b'id="roadmap-preview"' in client.get(reverse("roadmap:workbook")).content
    client.force_login(world.users["other_admin"])
    assert client.get(reverse("roadmap:workbook_download"), {"instansi": world.inst.pk}).status_code == 404


def test_upload_is_previewed_then_committed(client, world, roadmap):
    admin = world.users["admin"]
    client.force_login(admin)
    content = client.get(reverse("roadmap:workbook_download")).content
    row = row_of(content, "Anggaran", "KG-S")
    changed = edit(content, "Anggaran", {(row, "RKA"): 45})
    before = fingerprint()
    preview = client.post(reverse("roadmap:workbook"), {"instansi": world.inst.pk, "file": xlsx(changed)})
    assert preview.status_code == 200 and b'id="roadmap-commit"' in preview.content
    assert b"RKA" in preview.content
    assert fingerprint() == before  # a preview writes nothing
    saved = client.post(reverse("roadmap:workbook_commit"))
    assert saved.status_code == 302
    assert ActivityYear.objects.get(activity=roadmap.s, year=2025).rka == 45
    again = client.post(reverse("roadmap:workbook_commit"))  # the preview was used: nothing to commit
    assert again.status_code == 400


def test_bad_upload_page_names_sheet_row_column(client, world, roadmap):
    client.force_login(world.users["admin"])
    content = client.get(reverse("roadmap:workbook_download")).content
    row = row_of(content, "Anggaran", "KG-S")
    bad = edit(content, "Anggaran", {(row, "Pagu*"): -3})
    before = fingerprint()
    response = client.post(reverse("roadmap:workbook"), {"instansi": world.inst.pk, "file": xlsx(bad)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Pagu tidak boleh negatif." in text and f"<td>{row}</td>" in text and "<td>Anggaran</td>" in text
    assert 'id="roadmap-commit"' not in text
    assert client.post(reverse("roadmap:workbook_commit")).status_code == 400
    assert fingerprint() == before


def test_api_download_and_upload(api, world, roadmap):
    admin = api(world.users["admin"])
    download = admin.get("/api/roadmap/workbook/", {"instansi": world.inst.pk})
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    content = download.content
    row = row_of(content, "Kegiatan", "KG-D")
    changed = edit(content, "Kegiatan", {(row, "Keluaran"): "Sistem baru"})
    preview = admin.post(f"/api/roadmap/workbook/?instansi={world.inst.pk}", {"file": xlsx(changed)},
                         format="multipart")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["written"] is False and body["counts"]["update"] == 1
    assert Activity.objects.get(code="KG-D").output == ""
    written = admin.post(f"/api/roadmap/workbook/?instansi={world.inst.pk}", {"file": xlsx(changed), "commit": "true"},
                         format="multipart")
    assert written.status_code == 200 and written.json()["written"] is True
    assert Activity.objects.get(code="KG-D").output == "Sistem baru"
    bad = edit(content, "Kegiatan", {(row, "Kode program*"): "PR-99"})
    refused = admin.post(f"/api/roadmap/workbook/?instansi={world.inst.pk}", {"file": xlsx(bad), "commit": "true"},
                         format="multipart")
    assert refused.status_code == 400
    problem = refused.json()["problems"][0]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Kegiatan", row, "Kode program*")
    assert refused.json()["written"] is False
    reader = api(world.users["verifier"])
    assert reader.post(f"/api/roadmap/workbook/?instansi={world.inst.pk}", {"file": xlsx(changed)},
                       format="multipart").status_code == 403


def _queries(client, world, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), {"instansi": world.inst.pk}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["roadmap:workbook", "roadmap:workbook_download"])
def test_queries_do_not_grow_with_rows(client, world, roadmap, query_budget, name):
    client.force_login(world.users["operator"])
    few = _queries(client, world, name)
    for number in range(8):
        activity = make_activity(roadmap.apps, world.dinkes, f"KG-N{number}", start=2025, end=2026)
        make_year(activity, 2025, 10)
        make_year(activity, 2026, 20)
    many = _queries(client, world, name)
    assert many == few <= query_budget[name.replace(":", ".")], (few, many)
