"""The register's rules: validity, status and replacement, the file checked like evidence, members only on team
decrees, the default indicators per type; bad input gives a clear message and writes nothing."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.evaluation.models import EvidenceFile
from sia.governance.choices import DocumentStatus, DocumentType, TeamRole
from sia.governance.defaults import DEFAULTS_FILE, default_indicators, load_defaults
from sia.governance.files import save_document
from sia.governance.models import PolicyDocument, TeamMember

from .conftest import PEMDI, SPBE, make_document, pdf_upload

pytestmark = pytest.mark.django_db
D = datetime.date


def numbers(document, code):
    return sorted(document.indicators.filter(framework__code=code).values_list("number", flat=True))


def test_a_new_document_gets_the_indicators_of_its_type(world, frameworks):
    pergub = make_document(world.inst, type=DocumentType.REGULATION, number="12 Tahun 2023")
    assert numbers(pergub, SPBE) == list(range(1, 11))
    assert numbers(pergub, PEMDI) == [1, 4, 9, 10, 13, 14, 16, 18]
    sk = make_document(world.inst, type=DocumentType.COORDINATION_TEAM)
    assert numbers(sk, SPBE) == [10, 19] and numbers(sk, PEMDI) == [1, 4]
    assessor = make_document(world.inst, type=DocumentType.ASSESSOR_TEAM, number="2/2026")
    assert not assessor.indicators.exists()  # it signs the Berita Acara; no indicator asks for it
    chosen = make_document(world.inst, type=DocumentType.SOP, number="SOP-1",
                           indicators=list(frameworks[SPBE].indicators.filter(number=28)))
    assert numbers(chosen, SPBE) == [28] and numbers(chosen, PEMDI) == []


def test_the_defaults_file_names_indicators_of_the_instruments(frameworks):
    table = load_defaults()
    assert set(table) == {SPBE, PEMDI}
    for code, kinds in table.items():
        assert set(kinds) == set(DocumentType.values)
        existing = set(frameworks[code].indicators.values_list("number", flat=True))
        assert {n for ns in kinds.values() for n in ns} <= existing
    assert default_indicators(DocumentType.OTHER).count() == 0
    assert "README.md" in {p.name for p in DEFAULTS_FILE.parent.iterdir()}


def test_a_defaults_file_with_an_unknown_kind_is_refused(tmp_path):
    bad = tmp_path / "defaults.yaml"
    bad.write_text("permenpanrb-59-2020:\n  perda: [1]\n  sop: [0]\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        load_defaults.__wrapped__(bad)
    assert "permenpanrb-59-2020.perda" in str(error.value) and "permenpanrb-59-2020.sop" in str(error.value)


def test_validity_end_before_start_is_refused_and_nothing_written(world, frameworks):
    document = PolicyDocument(institution=world.inst, type=DocumentType.SOP, number="SOP-2", date=D(2025, 1, 1),
                              title="SOP layanan", valid_from=D(2025, 3, 1), valid_until=D(2025, 2, 1))
    with pytest.raises(ValidationError) as error:
        save_document(document, upload=pdf_upload())
    assert "berlaku sampai" in " ".join(error.value.message_dict["valid_until"])
    assert not PolicyDocument.objects.exists() and not EvidenceFile.objects.exists()


def test_replaced_needs_a_replacement_of_the_same_instansi_not_itself_and_no_cycle(world, frameworks):
    new = make_document(world.inst, number="2/2025")
    old = make_document(world.inst, number="1/2021", status=DocumentStatus.REPLACED, replaced_by=new)
    assert old.replaced_by == new
    old.replaced_by = None
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "dokumen penggantinya" in error.value.message_dict["replaced_by"][0]
    old.replaced_by = old
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "dirinya sendiri" in error.value.message_dict["replaced_by"][0]
    elsewhere = make_document(world.other, number="9/2025")
    old.replaced_by = elsewhere
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "instansi lain" in error.value.message_dict["replaced_by"][0]
    new.status, new.replaced_by = DocumentStatus.REPLACED, old  # 2/2025 → 1/2021 → 2/2025
    with pytest.raises(ValidationError) as error:
        new.full_clean()
    assert "siklus: 2/2025 → 1/2021 → 2/2025" in error.value.message_dict["replaced_by"][0]
    in_force = make_document(world.inst, number="3/2025")
    in_force.replaced_by = new
    with pytest.raises(ValidationError) as error:
        in_force.full_clean()
    assert "hanya untuk dokumen berstatus diganti" in error.value.message_dict["replaced_by"][0]


def test_a_document_in_force_needs_its_file(world, frameworks):
    with pytest.raises(ValidationError) as error:
        make_document(world.inst, upload=False)
    assert "perlu berkasnya" in error.value.message_dict["status"][0]
    draft = make_document(world.inst, status=DocumentStatus.DRAFT, upload=False)
    assert draft.blob is None


def docm_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-word.document'
                                                '.macroEnabled.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.mark.parametrize("upload, words", [
    (lambda: SimpleUploadedFile("sk.pdf", b"MZ\x90\x00program"), "program yang dapat dijalankan"),
    (lambda: SimpleUploadedFile("sk.pdf", b"just text, not a pdf"), ""),
    (lambda: SimpleUploadedFile("sk.docx", docm_bytes()), "makro"),
    (lambda: SimpleUploadedFile("sk.exe", pdf_upload().read()), ""),
])
def test_a_file_failing_the_evidence_checks_is_refused_and_nothing_written(world, frameworks, upload, words):
    document = PolicyDocument(institution=world.inst, type=DocumentType.COORDINATION_TEAM, number="5/2025",
                              date=D(2025, 1, 1), title="Tim Koordinasi", status=DocumentStatus.IN_FORCE)
    with pytest.raises(ValidationError) as error:
        save_document(document, upload=upload())
    assert words in " ".join(error.value.messages) and error.value.messages
    assert not PolicyDocument.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_too_large_is_refused(world, frameworks, settings):
    settings.SIA_EVIDENCE_MAX_BYTES = 100
    document = PolicyDocument(institution=world.inst, type=DocumentType.SOP, number="SOP-3", date=D(2025, 1, 1),
                              title="SOP", status=DocumentStatus.IN_FORCE)
    with pytest.raises(ValidationError) as error:
        save_document(document, upload=pdf_upload("x" * 300))
    assert "terlalu besar" in " ".join(error.value.messages)
    assert not PolicyDocument.objects.exists() and not EvidenceFile.objects.exists()


def test_a_replaced_file_is_dropped_when_nothing_else_uses_it(world, frameworks):
    document = make_document(world.inst)
    first = document.blob
    save_document(document, upload=pdf_upload("versi kedua", "sk-2.pdf"))
    assert document.blob != first and not EvidenceFile.objects.filter(pk=first.pk).exists()
    assert document.original_name == "sk-2.pdf"


def test_members_only_on_the_decrees_forming_a_team(world, frameworks):
    sop = make_document(world.inst, type=DocumentType.SOP, number="SOP-4")
    member = TeamMember(document=sop, name="Fadli", position="Kepala Dinas", role=TeamRole.CHAIR)
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "tidak membentuk tim" in error.value.message_dict["document"][0]
    sk = make_document(world.inst)
    member = TeamMember(document=sk, name="Fadli", nip="1978100920031", position="Kepala Dinas")
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "18 angka" in error.value.message_dict["nip"][0]
    member.nip = "197810092003121003"
    member.full_clean()
    member.save()
    sk.type = DocumentType.SOP  # a decree with members cannot become an SOP
    with pytest.raises(ValidationError) as error:
        sk.full_clean()
    assert "mencatat anggota tim" in error.value.message_dict["type"][0]


def test_in_force_reads_status_and_validity(world, frameworks):
    document = make_document(world.inst, valid_from=D(2025, 1, 1), valid_until=D(2025, 12, 31))
    assert document.is_in_force(D(2025, 6, 1)) and not document.is_in_force(D(2026, 1, 1))
    assert not make_document(world.inst, number="7", status=DocumentStatus.REVOKED).is_in_force()
