"""The instansi archive: rows and stored files (evidence, logo) in one .zip, checked before anything is
written; what a restore may do to accounts (password hashes, existing users) is the restorer's choice."""

import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from sia.evaluation.models import Assessment, Evidence, EvidenceFile, FrameworkVersion
from sia.exchange import snapshot_files
from sia.exchange.archive import ExportError, export_archive, restore_archive
from sia.exchange.snapshot import RestoreError
from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import UsersNeedConfirmation, restore_institution
from sia.organizations.models import Institution, Membership
from tests.media import fresh_storage, stored_names

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def filed(ex, world):
    """The instansi with a logo and an assessment whose evidence is a real (small) PDF in storage."""
    world.inst.logo.save("logo-provinsi.png", ContentFile(png()))
    framework = FrameworkVersion.objects.filter(is_active=True).first()
    indicator = framework.indicators.order_by("number").first()
    assessment = Assessment.objects.create(institution=world.inst, year=2025, framework=framework)
    sha256 = hashlib.sha256(PDF).hexdigest()
    blob = EvidenceFile(sha256=sha256, size=len(PDF), mime="application/pdf")
    blob.file.save(f"{sha256}.pdf", ContentFile(PDF), save=False)
    blob.save()
    Evidence.objects.create(assessment=assessment, indicator=indicator, title="SK Tim SPBE", blob=blob,
                            file_name="Indikator1a-SK_Tim_SPBE.pdf", added_by=world.users["assessor"])
    return world.inst


def another_server(settings, tmp_path, name="server-b"):
    """Storage of a server that has never seen the files (the rows of the blob are gone too)."""
    Evidence.objects.all().delete()  # drops the blob row (signals.drop_unused_blob)
    assert not EvidenceFile.objects.exists()
    settings.MEDIA_ROOT = tmp_path / name
    fresh_storage()
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    """The files the storage of the server at ``root`` (the current default storage) holds."""
    return stored_names()


def members(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def test_archive_carries_the_evidence_files_and_the_logo(filed, world, settings, tmp_path):
    content = export_archive(filed)
    pdf_sha, logo_sha = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(png()).hexdigest()
    parts = members(content)
    assert set(parts) == {"snapshot.json", f"files/{pdf_sha}", f"files/{logo_sha}"}
    assert parts[f"files/{pdf_sha}"] == PDF
    logo_name = filed.logo.name

    root = another_server(settings, tmp_path)
    result = restore_archive(content, code="9990", name="Salinan", confirm_users=True)

    assert result.files_written == 2
    evidence = Evidence.objects.get(assessment__institution=result.institution)
    with evidence.blob.file.open("rb") as stream:
        data = stream.read()
    assert data == PDF and hashlib.sha256(data).hexdigest() == evidence.blob.sha256 == pdf_sha
    assert (evidence.blob.size, evidence.blob.mime) == (len(PDF), "application/pdf")
    assert result.institution.logo.name == logo_name
    assert default_storage.open(logo_name).read() == png()
    assert stored_files(root) == sorted([evidence.blob.file.name, logo_name])


def test_restoring_twice_on_one_server_reuses_the_stored_files(filed, world):
    content = export_archive(filed)
    first = restore_archive(content, code="9991", confirm_users=True)
    assert first.files_written == 0  # same content already stored under the same names
    assert first.institution.logo.name == filed.logo.name


def test_a_logo_name_taken_by_other_content_is_kept_apart(filed, world, settings, tmp_path):
    content = export_archive(filed)
    another_server(settings, tmp_path)
    default_storage.save(filed.logo.name, ContentFile(b"another server's own logo"))
    result = restore_archive(content, code="9992", confirm_users=True)
    assert result.institution.logo.name != filed.logo.name
    assert result.institution.logo.read() == png()
    assert default_storage.open(filed.logo.name).read() == b"another server's own logo"


def test_export_refuses_when_a_stored_file_is_missing(filed):
    default_storage.delete(EvidenceFile.objects.get().file.name)
    with pytest.raises(ExportError) as error:
        export_archive(filed)
    assert "evidence/" in str(error.value)


def test_json_without_the_files_cannot_restore_on_another_server(filed, world, settings, tmp_path):
    data = json.loads(members(export_archive(filed))["snapshot.json"])
    another_server(settings, tmp_path)
    with pytest.raises(RestoreError) as error:
        restore_institution(data, code="9993", confirm_users=True)
    assert "arsip .zip" in str(error.value)
    assert not Institution.objects.filter(code="9993").exists()


def corrupted_variants(content: bytes):
    parts = members(content)
    document = json.loads(parts["snapshot.json"])
    pdf_sha = hashlib.sha256(PDF).hexdigest()

    swapped = dict(parts)
    swapped[f"files/{pdf_sha}"] = PDF.replace(b"200 200", b"999 999")  # content no longer matches its name
    yield "changed file", zipped(swapped)

    yield "truncated", content[: len(content) // 2]

    missing = {name: data for name, data in parts.items() if name != f"files/{pdf_sha}"}
    yield "file missing", zipped(missing)

    lying = json.loads(json.dumps(document))  # a blob key (and name) that is not its content's SHA-256
    blob = lying["shared"]["evaluation.evidencefile"][0]
    fake = "0" * 64
    lying["files"][f"evidence/00/{fake}.pdf"] = lying["files"].pop(blob["file"])
    blob["sha256"], blob["file"] = fake, f"evidence/00/{fake}.pdf"
    for evidence in lying["sections"]["evaluation.evidence"]:
        evidence["blob"] = fake
    yield "blob key", zipped({**parts, "snapshot.json": json.dumps(lying)})

    escaping = json.loads(json.dumps(document))
    row = escaping["sections"]["organizations.institution"][0]
    escaping["files"]["logos/../../evil.png"] = escaping["files"].pop(row["logo"])
    row["logo"] = "logos/../../evil.png"
    yield "path outside", zipped({**parts, "snapshot.json": json.dumps(escaping)})

    planted = json.loads(json.dumps(document))
    row = planted["sections"]["organizations.institution"][0]
    planted["files"]["logos/halaman.html"] = planted["files"].pop(row["logo"])
    row["logo"] = "logos/halaman.html"  # served to members as a "logo": must be an image
    html_sha = hashlib.sha256(b"<script>alert(1)</script>").hexdigest()
    planted["files"]["logos/halaman.html"] = html_sha
    yield "not an image", zipped({**parts, f"files/{html_sha}": b"<script>alert(1)</script>",
                                  "snapshot.json": json.dumps(planted)})

    yield "extra member", zipped({**parts, "../../etc/passwd": b"x"})


def test_a_corrupt_or_tampered_archive_is_refused_with_nothing_written(filed, world, settings, tmp_path):
    content = export_archive(filed)
    root = another_server(settings, tmp_path)
    institutions = Institution.objects.count()
    for label, variant in corrupted_variants(content):
        with pytest.raises(RestoreError):
            restore_archive(variant, code="9994", confirm_users=True)
        assert Institution.objects.count() == institutions, label
        assert not EvidenceFile.objects.exists(), label
        assert stored_files(root) == [], label
    assert not (tmp_path / "evil.png").exists()


def test_files_written_are_removed_when_the_restore_fails_afterwards(filed, world, settings, tmp_path, monkeypatch):
    content = export_archive(filed)
    root = another_server(settings, tmp_path)
    original = snapshot_files.StoredFiles.write

    def write_then_fail(self):
        original(self)
        assert len(self.written) == 2
        raise OSError("disk penuh")

    monkeypatch.setattr(snapshot_files.StoredFiles, "write", write_then_fail)
    with pytest.raises(RestoreError):
        restore_archive(content, code="9995", confirm_users=True)
    assert stored_files(root) == [] and not Institution.objects.filter(code="9995").exists()


# --- accounts ---------------------------------------------------------------------------------------
def planted(data, username):
    """A tampered snapshot: an unknown account with a password hash and an admin membership."""
    data = json.loads(json.dumps(data))
    data["shared"]["core.user"].append({"username": username, "first_name": "", "last_name": "", "email": "",
                                        "is_active": True, "date_joined": "2025-01-01T00:00:00+07:00",
                                        "password": make_password("ditanam-123")})
    admin_row = next(row for row in data["sections"]["organizations.membership"] if row["role"] == "admin")
    data["sections"]["organizations.membership"].append({**admin_row, "user": username})
    return data


def test_password_hashes_are_set_only_when_accepted(ex, world):
    restore_institution(planted(export_institution(world.inst), "penyusup"), code="9980", confirm_users=True)
    user = get_user_model().objects.get(username="penyusup")
    assert not user.has_usable_password() and not user.check_password("ditanam-123")
    assert user.memberships.get().role == "admin"  # the row is restored, but the account cannot log in

    result = restore_institution(planted(export_institution(world.inst), "diterima"), code="9981",
                                 confirm_users=True, accept_password_hashes=True)
    assert get_user_model().objects.get(username="diterima").check_password("ditanam-123")
    assert "diterima" in result.created_users


def test_existing_users_are_listed_and_nothing_is_written_until_confirmed(ex, world):
    data = export_institution(world.inst)
    counts = Institution.objects.count(), Membership.objects.count(), get_user_model().objects.count()
    with pytest.raises(UsersNeedConfirmation) as refused:
        restore_institution(data, code="9982")
    matched = {user.username: user.roles for user in refused.value.users}
    assert matched["op.kominfo"] == ("Keanggotaan: Operator OPD",)
    assert "koord" in matched and "super" not in matched
    assert "op.kominfo" in str(refused.value)
    assert (Institution.objects.count(), Membership.objects.count(), get_user_model().objects.count()) == counts

    result = restore_institution(data, code="9982", confirm_users=True)
    assert {user.username: user.roles for user in result.matched_users} == matched
    assert Membership.objects.get(institution=result.institution, user=world.users["operator"]).role == "operator"


# --- commands --------------------------------------------------------------------------------------
def test_export_and_restore_commands(filed, world, settings, tmp_path, capsys):
    target = tmp_path / "cadangan" / "sia-82.zip"
    target.parent.mkdir()
    call_command("export_instansi", "82", str(target))
    out = capsys.readouterr().out
    assert "2 berkas" in out and target.exists()
    assert "password" not in json.loads(members(target.read_bytes())["snapshot.json"])["shared"]["core.user"][0]
    call_command("export_instansi", "82", str(tmp_path / "kredensial.zip"), "--credentials")
    assert "hash kata sandi" in capsys.readouterr().out
    assert "password" in json.loads(members((tmp_path / "kredensial.zip").read_bytes())["snapshot.json"])[
        "shared"]["core.user"][0]

    root = another_server(settings, tmp_path)
    with pytest.raises(CommandError):
        call_command("restore_instansi", str(target), "--code", "9970")
    assert "op.kominfo (Keanggotaan: Operator OPD)" in capsys.readouterr().err
    assert not Institution.objects.filter(code="9970").exists() and stored_files(root) == []

    call_command("restore_instansi", str(target), "--code", "9970", "--name", "Salinan", "--confirm-users")
    out = capsys.readouterr().out
    assert "9970 (Salinan) dipulihkan; 2 berkas" in out and "koord (" in out
    copy = Institution.objects.get(code="9970")
    evidence = Evidence.objects.get(assessment__institution=copy)
    assert hashlib.sha256(evidence.blob.file.read()).hexdigest() == evidence.blob.sha256

    with pytest.raises(CommandError):
        call_command("export_instansi", "tidak-ada", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError):
        call_command("restore_instansi", str(tmp_path / "tidak-ada.zip"))
