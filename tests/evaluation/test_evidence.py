"""Evidence files: checked by content, stored once, named per convention, downloadable by members only."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sia.evaluation import services
from sia.evaluation.models import Evidence, EvidenceFile, Indicator
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.uploads import attach_file, attach_url, suggested_file_name

from tests.media import stored_names

from .conftest import DEMO_LEVELS, make_assessment, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_assessment(world, framework):
    return make_assessment(world, framework)


def indicator(framework, number):
    return Indicator.objects.get(framework=framework, number=number)


def stored_files(root):
    """The files the default storage holds (``root``: this test's MEDIA_ROOT, with the file system storage)."""
    return stored_names()


def attach(assessment, framework, upload, number=11, user=None, title=""):
    user = user or assessment.team.first().user
    return attach_file(assessment, indicator(framework, number), upload, user=user, title=title)


def test_pdf_is_stored_under_its_sha256_with_the_suggested_name(open_assessment, framework, evidence_media):
    evidence = attach(open_assessment, framework, pdf_upload("arsitektur.pdf"), title="Dokumen Arsitektur SPBE 2024")
    blob = evidence.blob
    assert re.fullmatch(r"[0-9a-f]{64}", blob.sha256)
    assert blob.file.name == f"evidence/{blob.sha256[:2]}/{blob.sha256}.pdf"
    with default_storage.open(blob.file.name, "rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4")
    assert (blob.mime, blob.size) == ("application/pdf", len(minimal_pdf(["Dokumen uji"])))
    assert evidence.file_name == "Indikator11a-Dokumen_Arsitektur_SPBE_2024.pdf"
    second = attach(open_assessment, framework, pdf_upload("lain.pdf", "Lain"), title="Notulen reviu")
    assert second.file_name == "Indikator11b-Notulen_reviu.pdf"


def test_the_same_file_attached_twice_is_stored_once(open_assessment, framework, evidence_media):
    content = minimal_pdf(["SK Tim Koordinasi SPBE"])
    first = attach(open_assessment, framework, SimpleUploadedFile("sk.pdf", content), number=10)
    other = attach(open_assessment, framework, SimpleUploadedFile("sk-salinan.pdf", content), number=19)
    assert first.blob_id == other.blob_id
    assert EvidenceFile.objects.count() == 1 and len(stored_files(evidence_media)) == 1
    with pytest.raises(ValidationError, match="sudah dilampirkan pada indikator 10"):
        attach(open_assessment, framework, SimpleUploadedFile("sk-lagi.pdf", content), number=10)
    assert Evidence.objects.count() == 2 and EvidenceFile.objects.count() == 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "program yang dapat dijalankan"),
        ("laporan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "program yang dapat dijalankan"),
        ("skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "program yang dapat dijalankan"),
        ("lama.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Format Office lama"),
        ("kosong.pdf", b"", "Berkas kosong"),
        ("gambar.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Ekstensi .pdf tidak cocok"),
        ("arsip.zip", b"PK\x03\x04" + b"\x00" * 100, "Isi berkas tidak sesuai jenis"),
        ("catatan.txt", b"hanya teks biasa", "Isi berkas tidak sesuai jenis"),
        ("laporan.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
         "Isi berkas tidak sesuai jenis"),  # HTML renamed .pdf
        ("laporan.docx", None, "Isi berkas tidak sesuai jenis"),  # a plain ZIP renamed .docx
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(open_assessment, framework, evidence_media, name, content, message):
    content = plain_zip() if content is None else content
    with pytest.raises(ValidationError, match=message):
        attach(open_assessment, framework, SimpleUploadedFile(name, content))
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_files(evidence_media) == []


def plain_zip() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("catatan.txt", "bukan dokumen Office")
        archive.writestr("lampiran/daftar.csv", "a,b\n1,2\n")
    return data.getvalue()


def docx_bytes(*extra: tuple[str, bytes]) -> bytes:
    """A real .docx, with extra ZIP entries added (e.g. a macro project)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Notulen rapat Tim Koordinasi SPBE")
    data = io.BytesIO()
    document.save(data)
    if not extra:
        return data.getvalue()
    with zipfile.ZipFile(data, "a") as archive:
        for name, content in extra:
            archive.writestr(name, content)
    return data.getvalue()


def test_office_file_with_macros_is_refused(open_assessment, framework, evidence_media):
    macro = docx_bytes(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 200))
    with pytest.raises(ValidationError, match="berisi makro"):
        attach(open_assessment, framework, SimpleUploadedFile("notulen.docx", macro))
    assert not Evidence.objects.exists() and stored_files(evidence_media) == []
    assert attach(open_assessment, framework, SimpleUploadedFile("notulen.docx", docx_bytes())).blob.mime.endswith(
        "wordprocessingml.document"
    )


def test_suggested_names_are_never_reused_after_a_deletion(open_assessment, framework):
    a = attach(open_assessment, framework, pdf_upload("a.pdf", "a"), title="Satu")
    b = attach(open_assessment, framework, pdf_upload("b.pdf", "b"), title="Dua")
    assert (a.file_name, b.file_name) == ("Indikator11a-Satu.pdf", "Indikator11b-Dua.pdf")
    b.delete()
    c = attach(open_assessment, framework, pdf_upload("c.pdf", "c"), title="Dua")
    assert c.file_name == "Indikator11c-Dua.pdf"  # not b again: a download of b may exist already
    a.delete()
    d = attach(open_assessment, framework, pdf_upload("d.pdf", "d"), title="Dua")
    assert d.file_name == "Indikator11d-Dua.pdf"  # the count (1) would have given b
    other = attach(open_assessment, framework, pdf_upload("e.pdf", "e"), number=12, title="Lain")
    assert other.file_name == "Indikator12a-Lain.pdf"  # letters run per indicator
    names = list(Evidence.objects.values_list("file_name", flat=True))
    assert len(names) == len(set(names))


def test_size_message_shows_bytes_when_the_rounded_sizes_look_the_same(open_assessment, framework, settings):
    settings.SIA_EVIDENCE_MAX_BYTES = 1024 * 1024
    content = minimal_pdf(["x"]) + b"\n" * (1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        attach(open_assessment, framework, SimpleUploadedFile("besar.pdf", content))
    (message,) = caught.value.messages
    limit = f"{1024 * 1024:,}".replace(",", ".")
    size = f"{len(content):,}".replace(",", ".")
    assert message == f"Berkas terlalu besar ({size} bita); batasnya {limit} bita."
    settings.SIA_EVIDENCE_MAX_BYTES = 1024 * 512
    with pytest.raises(ValidationError, match=r"Berkas terlalu besar \(1\.0 MB\); batasnya 512 KB"):
        attach(open_assessment, framework, SimpleUploadedFile("besar.pdf", content))


def test_too_large_is_refused(open_assessment, framework, settings, evidence_media):
    settings.SIA_EVIDENCE_MAX_BYTES = 1024
    big = minimal_pdf(["x" * 60] * 40)
    assert len(big) > 1024
    with pytest.raises(ValidationError, match="Berkas terlalu besar"):
        attach(open_assessment, framework, SimpleUploadedFile("besar.pdf", big))
    assert stored_files(evidence_media) == [] and not EvidenceFile.objects.exists()


def test_default_limit_is_20_mb(settings):
    assert settings.SIA_EVIDENCE_MAX_BYTES == 20 * 1024 * 1024


def test_office_documents_and_images_are_accepted(open_assessment, framework):
    import docx
    import openpyxl

    document = docx.Document()
    document.add_paragraph("Notulen rapat Tim Koordinasi SPBE")
    data = io.BytesIO()
    document.save(data)
    word = attach(open_assessment, framework, SimpleUploadedFile("notulen.docx", data.getvalue()))
    book = openpyxl.Workbook()
    data = io.BytesIO()
    book.save(data)
    sheet = attach(open_assessment, framework, SimpleUploadedFile("anggaran.xlsx", data.getvalue()))
    png = attach(open_assessment, framework, SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    assert word.blob.mime.endswith("wordprocessingml.document")
    assert sheet.blob.mime.endswith("spreadsheetml.sheet")
    assert png.blob.mime == "image/png" and png.file_name.endswith(".png")


def test_evidence_in_a_locked_stage_cannot_be_added_or_removed(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    evidence = attach(assessment, framework, pdf_upload())
    services.lock_stage(assessment, user=world.users["admin"])
    with pytest.raises(ValidationError, match="sudah dikunci"):
        attach(assessment, framework, pdf_upload("baru.pdf", "baru"))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        evidence.delete()
    assert EvidenceFile.objects.count() == 1


def test_deleting_the_last_link_removes_the_file(open_assessment, framework, evidence_media, django_capture_on_commit_callbacks):
    evidence = attach(open_assessment, framework, pdf_upload())
    with django_capture_on_commit_callbacks(execute=True):
        evidence.delete()
    assert not EvidenceFile.objects.exists() and stored_files(evidence_media) == []


def test_url_evidence(open_assessment, framework):
    evidence = attach_url(open_assessment, indicator(framework, 12), "https://spbe.example.go.id/peta-rencana",
                          user=open_assessment.team.first().user, title="Peta Rencana SPBE")
    assert evidence.blob is None and evidence.file_name == ""
    with pytest.raises(ValidationError):
        attach_url(open_assessment, indicator(framework, 12), "bukan tautan", user=None)


def test_awkward_file_names_are_cleaned_not_refused(open_assessment, framework):
    evidence = attach(open_assessment, framework, pdf_upload("SK Gubernur, No.12 [final].pdf"))
    assert evidence.original_name == "SK Gubernur_ No.12 _final_.pdf"
    assert evidence.file_name == "Indikator11a-SK_Gubernur_No_12_final.pdf"


def test_suggested_file_name():
    assert suggested_file_name(11, 0, "Dokumen Arsitektur SPBE", ".PDF") == "Indikator11a-Dokumen_Arsitektur_SPBE.pdf"
    assert suggested_file_name(3, 26, "Kebijakan: Manajemen Data (draf)", "docx") == "Indikator3aa-Kebijakan_Manajemen_Data_draf.docx"
    assert suggested_file_name(47, 1, "", "png") == "Indikator47b-Bukti_Dukung.png"


def test_minimal_pdf_has_a_correct_cross_reference_table():
    content = minimal_pdf(["Baris pertama", "Kurung ( dan ) serta é"], title="Uji")
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    startxref = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[startxref:].startswith(b"xref")
    offsets = [int(line.split()[0]) for line in content[startxref:].split(b"\n")[3:9]]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(b"%d 0 obj" % number)


class TestDownload:
    url = "/evaluasi/bukti/{}/unduh/"

    def client_for(self, user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def test_members_download_with_the_suggested_name(self, world, open_assessment, framework):
        evidence = attach(open_assessment, framework, pdf_upload(), title="Arsitektur")
        for role in ("assessor", "admin", "leader", "verifier", "superuser"):
            response = self.client_for(world.users[role]).get(self.url.format(evidence.pk))
            assert response.status_code == 200, role
            assert response["Content-Disposition"].startswith('attachment; filename="Indikator11a-Arsitektur.pdf"')
            assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_others_are_refused(self, world, open_assessment, framework):
        evidence = attach(open_assessment, framework, pdf_upload())
        assert self.client_for(None).get(self.url.format(evidence.pk)).status_code == 302  # to the login page
        for role in ("other_admin", "operator_dinkes", "nobody"):
            assert self.client_for(world.users[role]).get(self.url.format(evidence.pk)).status_code == 404, role

    def test_evidence_is_never_served_from_media(self, world, open_assessment, framework):
        evidence = attach(open_assessment, framework, pdf_upload())
        response = self.client_for(world.users["admin"]).get(f"/media/{evidence.blob.file.name}")
        assert response.status_code == 404
