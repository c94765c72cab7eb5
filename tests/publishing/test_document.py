"""The Dokumen Arsitektur SPBE read back with python-docx: cover, table of contents, a chapter per domain with a
table per kind and the domain's diagrams, gaps, Peta Rencana, annexes; the DRAF watermark; the language."""

import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from docx import Document
from PIL import Image

from sia.architecture.choices import ReviewStatus
from sia.architecture.kindgroups import kind_groups, kind_label
from sia.architecture.registry import domain_models
from sia.publishing import docx_parts
from sia.publishing.builder import build_document
from sia.publishing.choices import DocumentContent, DocumentStatus
from sia.publishing.jobs import request_document
from sia.roadmap.models import Activity
from tests.roadmap.conftest import roadmap  # noqa: F401 (fixture)

VALIDATED = ReviewStatus.VALIDATED.value


@pytest.fixture
def architecture(world, kinds, roadmap):  # noqa: F811
    """An object of every kind in DISKOMINFO (and what their required links need), a DINKES draft, the roadmap of
    ``tests.roadmap``; everything validated but the DINKES draft and kegiatan KG-D."""
    built = {model: kinds.build(model) for model in domain_models()}
    for model in domain_models():
        model.objects.filter(institution=world.inst).update(status=VALIDATED)
    draft = type(built[domain_models()[0]]).objects.create(department=world.dinkes, name="Proses draf DINKES")
    Activity.objects.filter(institution=world.inst).exclude(code="KG-D").update(status=VALIDATED)
    return {"built": built, "draft": draft, "roadmap": roadmap}


def read(data: bytes):
    return Document(io.BytesIO(data))


def headings(document, level=None):
    return [p.text for p in document.paragraphs
            if p.style.name.startswith("Heading") and (level is None or p.style.name == f"Heading {level}")]


def all_text(document) -> str:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def header_cells(document) -> set:
    return {cell.text for table in document.tables for cell in table.rows[0].cells}


def generate(user, institution, **options):
    document = request_document(user, institution, **options)
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        return document, handle.read()


def test_validated_document_structure(world, architecture):
    document, data = generate(world.users["admin"], world.inst, period="2025-2029", version="1.2")
    assert document.progress == 100 and document.size == len(data) and not document.draft
    doc = read(data)
    text = all_text(doc)
    assert "DOKUMEN ARSITEKTUR SPBE" in text and world.inst.name in text
    assert "Periode 2025-2029" in text and "Versi 1.2" in text
    assert "Peraturan Presiden Nomor 95 Tahun 2018" in text and "Nomor 132 Tahun 2022" in text
    level1 = headings(doc, 1)
    for group, _kinds in kind_groups():
        assert f"Arsitektur {group.label}" in level1
    assert "Kesenjangan As-Is dan To-Be" in level1 and "Peta Rencana SPBE" in level1
    assert any(h.startswith("Lampiran A") for h in level1) and any(h.startswith("Lampiran B") for h in level1)
    level2 = headings(doc, 2)
    for model in domain_models():
        assert str(kind_label(model)) in level2
    # The table of contents: a TOC field, listing the chapters until Word updates it.
    body = doc.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert body.index("TOC \\o") < body.index("Pendahuluan</w:t>")
    # Each kind's table: its objects with ID, name, reference and OPD, only validated ones.
    for model, obj in architecture["built"].items():
        assert obj.code in text
    assert "Proses draf DINKES" not in text and "KG-D" not in text
    assert "Status review" not in header_cells(doc)
    # Diagrams as pictures at print resolution.
    pictures = doc.inline_shapes
    assert len(pictures) >= 3
    blob = doc.part.related_parts[pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    with Image.open(io.BytesIO(blob)) as image:
        assert image.format == "PNG"
        assert round(image.info["dpi"][0]) == 200
    assert docx_parts.watermark_texts(doc) == []
    # The roadmap: kegiatan per area and year, with the pagu of each year.
    assert "KG-A" in text and "Linimasa per area dan tahun" in level2
    assert "Kegiatan per area" in level2 and "Pagu 2026" in text
    # Every section A4, wide tables on landscape pages.
    sections = doc.sections
    assert {round(min(s.page_width.cm, s.page_height.cm), 1) for s in sections} == {21.0}
    assert any(docx_parts.is_landscape(s) for s in sections) and not docx_parts.is_landscape(sections[0])
    for table in doc.tables:
        assert table.rows[0]._tr.trPr is not None  # header row repeated on every page


def test_everything_with_status_carries_the_draft_watermark(world, architecture):
    document, data = generate(world.users["admin"], world.inst, content=DocumentContent.ALL)
    assert document.draft
    doc = read(data)
    text = all_text(doc)
    assert "Proses draf DINKES" in text and "KG-D" in text and "Status review" in header_cells(doc)
    assert "Draf" in text and "Divalidasi" in text
    assert docx_parts.watermark_texts(doc) == ["DRAF"]


def test_all_validated_needs_no_watermark_even_with_everything(world, kinds):
    obj = kinds.build(domain_models()[0])
    type(obj).objects.filter(pk=obj.pk).update(status=VALIDATED)
    document, data = generate(world.users["admin"], world.inst, content=DocumentContent.ALL)
    assert not document.draft and docx_parts.watermark_texts(read(data)) == []
    assert "Instansi belum memiliki Peta Rencana SPBE." in all_text(read(data))


def test_one_opd_holds_only_that_opd(world, architecture):
    _document, data = generate(world.users["admin"], world.inst, department=world.dinkes, content=DocumentContent.ALL)
    text = all_text(read(data))
    assert "Proses draf DINKES" in text and world.dinkes.name in text
    assert not any(obj.code in text for obj in architecture["built"].values())
    assert "KG-A" not in text and "KG-D" in text


def test_operator_sees_only_what_they_may(world, architecture):
    """An operator's document of their OPD holds their OPD's objects; another OPD's draft is never in it."""
    _document, data = generate(world.users["operator_dinkes"], world.inst, department=world.dinkes,
                               content=DocumentContent.ALL)
    text = all_text(read(data))
    assert "Proses draf DINKES" in text
    assert not any(obj.code in text for obj in architecture["built"].values())


def test_english_on_request(world, architecture):
    _document, data = generate(world.users["admin"], world.inst, language="en")
    doc = read(data)
    assert doc.core_properties.language == "en"
    # Labels SIA already translates come out in English (the review status column, the kinds' state).
    assert "As-is" in all_text(doc)


def test_logo_on_the_cover(world, architecture):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), "navy").save(buffer, "PNG")
    world.inst.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    _document, data = generate(world.users["admin"], world.inst)
    doc = read(data)
    first = doc.inline_shapes[0]
    assert round(first.width.cm, 1) == 3.0


def test_libreoffice_converts_to_pdf(world, architecture, tmp_path):
    _document, data = generate(world.users["admin"], world.inst, content=DocumentContent.ALL)
    source = tmp_path / "dokumen.docx"
    source.write_bytes(data)
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    pdf = tmp_path / "dokumen.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_text_xml_cannot_hold_is_left_out(world, kinds):
    """A name with a control character (pasted from elsewhere) and markup characters: written, not refused."""
    obj = kinds.build(domain_models()[0], name="Proses <A&B>\x0b\x01 \"uji\"")
    type(obj).objects.filter(pk=obj.pk).update(status=VALIDATED)
    world.inst.name = "Pemerintah\x0c Provinsi Contoh"
    world.inst.save()
    _document, data = generate(world.users["admin"], world.inst, version="2\x01.0")
    text = all_text(read(data))
    assert 'Proses <A&B> "uji"' in text and "Pemerintah Provinsi Contoh" in text and "Versi 2.0" in text


def test_builder_reports_progress(world, architecture):
    document = request_document(world.users["admin"], world.inst)
    seen = []
    build_document(document, lambda percent, stage: seen.append((percent, stage)))
    percents = [percent for percent, _stage in seen]
    assert percents == sorted(percents) and percents[0] < 10 and percents[-1] >= 90
    assert all(stage for _percent, stage in seen)
