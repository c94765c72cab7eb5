"""A restore checks every stored file exactly as an upload does, and downloads answer with the checked
type: an archive cannot plant HTML (or a program) as evidence that SIA then serves as a page."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from sia.evaluation.models import Evidence, EvidenceFile
from sia.exchange.archive import export_archive, restore_archive
from sia.exchange.snapshot import RestoreError
from sia.organizations.models import Institution

from .test_archive import PDF, another_server, filed, members, stored_files, zipped  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = {
    "html behind MZ": b"MZ<html><body><script>alert(document.cookie)</script></body></html>",
    "plain html": b"<!doctype html><html><script>alert(1)</script></html>",
    "program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
}


def with_evidence(content: bytes, bad: bytes, *, mime="text/html", extension="pdf") -> tuple[bytes, str]:
    """The archive with its evidence blob replaced by ``bad`` (consistent SHA-256, names and manifest)."""
    parts = members(content)
    document = json.loads(parts["snapshot.json"])
    blob = document["shared"]["evaluation.evidencefile"][0]
    sha = hashlib.sha256(bad).hexdigest()
    name = f"evidence/{sha[:2]}/{sha}.{extension}"
    del document["files"][blob["file"]]
    del parts[f"files/{hashlib.sha256(PDF).hexdigest()}"]
    document["files"][name] = sha
    blob.update(sha256=sha, file=name, size=len(bad), mime=mime)
    for evidence in document["sections"]["evaluation.evidence"]:
        evidence["blob"] = sha
    parts.update({f"files/{sha}": bad, "snapshot.json": json.dumps(document)})
    return zipped(parts), name


@pytest.mark.parametrize("label", HOSTILE)
def test_a_restore_refuses_evidence_an_upload_refuses(filed, world, settings, tmp_path, label):  # noqa: F811
    archive, name = with_evidence(export_archive(filed), HOSTILE[label])
    root = another_server(settings, tmp_path)
    institutions = Institution.objects.count()
    with pytest.raises(RestoreError) as error:
        restore_archive(archive, code="9981", confirm_users=True)
    message = str(error.value)
    assert name in message and f"files/{hashlib.sha256(HOSTILE[label]).hexdigest()}" in message
    assert "Tidak ada yang dipulihkan" in message
    assert Institution.objects.count() == institutions
    assert not EvidenceFile.objects.exists()
    assert stored_files(root) == []


def test_the_checked_type_replaces_the_one_written_in_the_archive(filed, world, settings, tmp_path):  # noqa: F811
    archive, _name = with_evidence(export_archive(filed), PDF, mime="text/html")
    another_server(settings, tmp_path)
    result = restore_archive(archive, code="9982", confirm_users=True)
    blob = Evidence.objects.get(assessment__institution=result.institution).blob
    assert (blob.mime, blob.size) == ("application/pdf", len(PDF))


def test_the_command_names_the_refused_file(filed, world, settings, tmp_path):  # noqa: F811
    archive, name = with_evidence(export_archive(filed), HOSTILE["html behind MZ"])
    path = tmp_path / "cadangan.zip"
    path.write_bytes(archive)
    root = another_server(settings, tmp_path)
    with pytest.raises(CommandError) as error:
        call_command("restore_instansi", str(path), "--code", "9983", "--confirm-users")
    assert name in str(error.value)
    assert not Institution.objects.filter(code="9983").exists() and stored_files(root) == []


def test_the_api_refuses_with_400_naming_the_file(filed, world, settings, tmp_path):  # noqa: F811
    archive, name = with_evidence(export_archive(filed), HOSTILE["html behind MZ"])
    root = another_server(settings, tmp_path)
    client = APIClient()
    client.force_authenticate(world.users["superuser"])
    upload = io.BytesIO(archive)
    upload.name = "cadangan.zip"
    response = client.post("/api/exchange/snapshots/restore/?code=9984&confirm_users=1", {"file": upload},
                           format="multipart")
    assert response.status_code == 400
    assert name in json.dumps(response.json())
    assert not Institution.objects.filter(code="9984").exists() and stored_files(root) == []


@pytest.mark.parametrize("url", ["/evaluasi/bukti/{pk}/unduh/", "/api/evaluation/evidence/{pk}/download/"])
def test_downloads_answer_with_the_checked_type_as_an_attachment(filed, world, url):  # noqa: F811
    evidence = Evidence.objects.get()
    blob = evidence.blob
    blob.mime = "text/html"  # a row written before the checks, or by hand
    blob.save()
    client = APIClient()
    client.force_login(world.users["assessor"])
    response = client.get(url.format(pk=evidence.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    blob.mime = "application/pdf"
    blob.save()
    response = client.get(url.format(pk=evidence.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    b"".join(response.streaming_content)


def test_a_stored_logo_is_checked_too(filed, world, settings, tmp_path):  # noqa: F811
    content = export_archive(filed)
    another_server(settings, tmp_path)
    parts = members(content)
    document = json.loads(parts["snapshot.json"])
    logo = document["sections"]["organizations.institution"][0]["logo"]
    bad = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    sha = hashlib.sha256(bad).hexdigest()
    document["files"][logo] = sha
    parts.update({f"files/{sha}": bad, "snapshot.json": json.dumps(document)})
    with pytest.raises(RestoreError) as error:
        restore_archive(zipped(parts), code="9985", confirm_users=True)
    assert logo in str(error.value)
