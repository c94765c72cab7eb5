"""Writes the Dokumen Arsitektur SPBE (python-docx): cover, table of contents, introduction, one chapter per
domain (a table per kind and the domain's diagrams), the as-is / to-be gaps, the Peta Rencana and the annexes.

``build_document(document, progress)`` reads everything through ``content`` and ``pictures`` as the document's
requester sees it and returns the DOCX bytes; ``progress(percent, stage)`` is told how far it has come. Runs in
the language active when it is called (the job wraps it in ``translation.override``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from sia.architecture.kindgroups import kind_groups

from . import content, docx_parts as parts, gantt, pictures
from .choices import DocumentContent

logger = logging.getLogger(__name__)

WIDE = 7  # a table of more columns than this goes on a landscape page
LEGAL_BASIS = (
    gettext_lazy("Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik"),
    gettext_lazy("Peraturan Presiden Nomor 132 Tahun 2022 tentang Arsitektur Sistem Pemerintahan Berbasis "
                 "Elektronik Nasional"),
)


@dataclass
class Built:
    data: bytes
    draft: bool  # unvalidated content included: the document carries the DRAF watermark


class Writer:
    """One document being written: the python-docx document, the headings for the table of contents."""

    def __init__(self, document, scope: content.Scope, progress):
        self.record = document
        self.scope = scope
        self.progress = progress
        self.doc = Document()
        self.headings: list[tuple[int, str]] = []
        self.unvalidated = 0
        self.tables = parts.Tables()
        parts.setup_page(self.doc.sections[0])
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(10)

    # --- primitives ---
    def heading(self, text: str, level: int = 1) -> None:
        text = parts.plain(text)
        self.doc.add_heading(text, level)
        if level <= 2:
            self.headings.append((level, text))

    def paragraph(self, text: str):
        return self.doc.add_paragraph(parts.plain(text))

    def table(self, headers, rows, widths=None, emphasis_rows=None, empty: str = "") -> None:
        if not rows:
            parts.note(self.doc, empty or _("Tidak ada data."))
            return
        parts.orientation(self.doc, len(headers) > WIDE)
        self.tables.add(self.doc, headers, rows, widths=widths, emphasis_rows=emphasis_rows)
        self.doc.add_paragraph()

    def portrait(self) -> None:
        parts.orientation(self.doc, False)

    def picture(self, picture: pictures.Picture) -> None:
        section = self.doc.sections[-1]
        width_cm = parts.text_width(section).cm
        height_cm = parts.text_height(section).cm - 3
        natural_cm = picture.width_px / pictures.DPI * 2.54
        width = min(width_cm, natural_cm, height_cm / picture.aspect)
        shape = self.doc.add_picture(io.BytesIO(picture.png), width=Cm(width))
        shape._inline.docPr.set("descr", parts.plain(picture.title))  # the alternative text
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption = self.doc.add_paragraph(picture.title, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if picture.omitted:
            parts.note(self.doc, _("%(count)d objek lain diringkas sebagai kotak “+ N lainnya”.") % {
                "count": picture.omitted})


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def _scope_name(record) -> str:
    if record.department_id:
        return f"{record.department.name} — {record.institution.name}"
    return record.institution.name


def write_cover(w: Writer, generated) -> None:
    record, doc = w.record, w.doc
    logo = record.institution.logo
    if logo:
        try:
            with logo.open("rb") as handle:
                doc.add_picture(io.BytesIO(handle.read()), width=Cm(3))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        except Exception:  # a missing or unreadable logo leaves the cover without it
            logger.warning("Logo instansi %s tidak dapat dibaca", record.institution_id)
    for _i in range(3):
        doc.add_paragraph()
    title = doc.add_paragraph(_("DOKUMEN ARSITEKTUR SPBE"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [record.institution.name]
    if record.department_id:
        lines.insert(0, record.department.name)
    for text in lines:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(parts.plain(text))
        run.bold = True
        run.font.size = Pt(16)
    for text in (_("Periode %(period)s") % {"period": record.period},
                 _("Versi %(version)s") % {"version": record.version}):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(parts.plain(text)).font.size = Pt(13)
    for _i in range(4):
        doc.add_paragraph()
    info = doc.add_paragraph()
    info.alignment = WD_ALIGN_PARAGRAPH.CENTER
    info.add_run(parts.plain(_("Dibuat oleh SIA pada %(date)s atas permintaan %(user)s") % {
        "date": formats.date_format(generated, "DATETIME_FORMAT"), "user": _who(record.requested_by)})).font.size = Pt(9)
    which = doc.add_paragraph()
    which.alignment = WD_ALIGN_PARAGRAPH.CENTER
    which.add_run(str(DocumentContent(record.content).label)).font.size = Pt(9)
    parts.page_break(doc)


def write_introduction(w: Writer, groups) -> None:
    record, scope = w.record, w.scope
    w.heading(_("Pendahuluan"))
    w.heading(_("Dasar hukum"), 2)
    w.paragraph(_("Dokumen ini disusun berdasarkan:"))
    for text in LEGAL_BASIS:
        w.doc.add_paragraph(str(text), style="List Number")
    w.heading(_("Ruang lingkup"), 2)
    w.paragraph(_("Dokumen ini memuat arsitektur SPBE %(scope)s pada domain %(domains)s, kesenjangan antara "
                  "kondisi saat ini (as-is) dan yang dituju (to-be), serta Peta Rencana SPBE.") % {
        "scope": _scope_name(record), "domains": ", ".join(str(group.label) for group, _kinds in groups)})
    if scope.validated_only:
        w.paragraph(_("Hanya objek yang telah divalidasi yang dimuat."))
    else:
        w.paragraph(_("Semua objek dimuat beserta status reviewnya; objek yang belum divalidasi dapat masih "
                      "berubah (dokumen bertanda DRAF)."))
    w.heading(_("Periode"), 2)
    w.paragraph(_("Arsitektur ini berlaku untuk periode %(period)s.") % {"period": record.period})


def write_domains(w: Writer, groups, start: int, end: int) -> None:
    graph = pictures.document_graph(w.scope)
    steps = sum(len(kinds) + 1 for _group, kinds in groups) or 1
    done = 0
    for group, kinds in groups:
        w.portrait()
        w.heading(_("Arsitektur %(domain)s") % {"domain": group.label})
        for model in kinds:
            w.progress(start + (end - start) * done // steps, _("Menulis %(kind)s") % {"kind": content.kind_name(model)})
            headers, rows = content.kind_table(w.scope, model)
            w.unvalidated += sum(1 for row in rows if not w.scope.validated_only
                                 and row[-1] != str(content.ReviewStatus.VALIDATED.label))
            w.heading(content.kind_name(model), 2)
            w.paragraph(_("%(count)d objek.") % {"count": len(rows)})
            widths = [0.5, 1.8, 3, 3, 1.3, 1.3] + [1.4] * (len(headers) - 6)
            w.table(headers, rows, widths=widths, empty=_("Belum ada objek %(kind)s yang dimuat.") % {
                "kind": content.kind_name(model)})
            done += 1
        w.progress(start + (end - start) * done // steps, _("Menggambar diagram %(domain)s") % {"domain": group.label})
        drawn = pictures.domain_pictures(graph, group)
        if drawn:
            w.portrait()
            w.heading(_("Diagram %(domain)s") % {"domain": group.label}, 2)
            for picture in drawn:
                w.picture(picture)
        done += 1


def write_gaps(w: Writer) -> None:
    w.portrait()
    w.heading(_("Kesenjangan As-Is dan To-Be"))
    w.paragraph(_("Objek to-be baru, pengembangan dari objek as-is, dan objek as-is yang akan dihentikan."))
    summary_headers, summary, details = content.gap_tables(w.scope)
    w.heading(_("Ringkasan per OPD dan domain"), 2)
    w.table(summary_headers, summary, empty=_("Tidak ada kesenjangan yang dimuat."))
    for group, headers, rows in details:
        w.portrait()
        w.heading(_("Kesenjangan %(domain)s") % {"domain": group.label}, 2)
        w.table(headers, rows)


def write_roadmap(w: Writer) -> None:
    w.portrait()
    w.heading(_("Peta Rencana SPBE"))
    found = content.roadmap(w.scope)
    if found is None:
        parts.note(w.doc, _("Instansi belum memiliki Peta Rencana SPBE."))
        return
    w.unvalidated += sum(1 for row in found["activities"][1] if not w.scope.validated_only and len(row) > 1
                         and row[-1] != str(content.ReviewStatus.VALIDATED.label))
    w.paragraph(_("Periode %(period)s: %(count)d kegiatan.") % {"period": found["period"], "count": found["count"]})
    if found["requested_period"] and found["period"] != found["requested_period"]:
        parts.note(w.doc, _("Peta Rencana periode %(roadmap)s; dokumen periode %(document)s (instansi belum memiliki "
                            "Peta Rencana periode %(document)s).") % {
            "roadmap": found["period"], "document": found["requested_period"]})
    headers, rows, emphasis = found["timeline"]
    if found["count"]:
        parts.orientation(w.doc, True)  # the pictures fill an A4 landscape page's width
    w.heading(_("Linimasa per area dan tahun"), 2)
    if found["count"]:
        for picture in pictures_of_roadmap(found):
            w.picture(picture)
        parts.note(w.doc, _("Tabel berikut memuat linimasa yang sama sebagai teks."))
    w.table(headers, rows, emphasis_rows=emphasis, empty=_("Belum ada kegiatan yang dimuat."))
    headers, rows, emphasis = found["activities"]
    w.portrait()
    w.heading(_("Kegiatan per area"), 2)
    w.table(headers, rows, emphasis_rows=emphasis, empty=_("Belum ada kegiatan yang dimuat."))


def pictures_of_roadmap(found):
    """The Gantt pictures of the Peta Rencana, drawn from the rows the document holds (``content.roadmap``)."""
    return gantt.roadmap_pictures(found["period"], found["years"], found["current_year"], found["groups"])


def write_annexes(w: Writer, models) -> None:
    w.portrait()
    w.heading(_("Lampiran A. Kode referensi yang digunakan"))
    headers, rows = content.reference_table(w.scope)
    w.table(headers, rows, widths=[1, 2, 6], empty=_("Tidak ada kode referensi yang digunakan."))
    w.portrait()
    w.heading(_("Lampiran B. Kelengkapan dan status review per OPD"))
    w.heading(_("Kelengkapan"), 2)
    w.paragraph(_("Jumlah objek dan persentase isian wajib yang terisi, per OPD dan domain."))
    headers, rows = content.completeness_table(w.scope)
    w.table(headers, rows)
    w.portrait()
    w.heading(_("Status review"), 2)
    headers, rows = content.review_status_table(w.scope, models)
    w.table(headers, rows)


def build_document(record, progress=lambda percent, stage: None) -> Built:
    """The DOCX of ``record`` (a GeneratedDocument) as its requester sees the architecture."""
    scope = content.Scope(record.requested_by, record.institution, record.department,
                          validated_only=record.content == DocumentContent.VALIDATED, period=record.period)
    generated = timezone.localtime()
    w = Writer(record, scope, progress)
    groups = kind_groups()
    models = [model for _group, kinds in groups for model in kinds]
    progress(2, _("Menyusun sampul"))
    write_cover(w, generated)
    marker = w.doc.add_paragraph()  # the table of contents goes here once every heading is known
    parts.page_break(w.doc)
    write_introduction(w, groups)
    write_domains(w, groups, 5, 75)
    progress(76, _("Menulis kesenjangan"))
    write_gaps(w)
    progress(82, _("Menulis Peta Rencana"))
    write_roadmap(w)
    progress(90, _("Menulis lampiran"))
    write_annexes(w, models)
    _table_of_contents(w, marker)
    first = w.doc.sections[0]
    parts.page_number_footer(first, _("Dokumen Arsitektur SPBE %(scope)s · dibuat %(date)s") % {
        "scope": w.record.department.abbreviation if w.record.department_id else w.record.institution.name,
        "date": formats.date_format(generated, "SHORT_DATE_FORMAT")})
    draft = w.unvalidated > 0
    if draft:
        parts.draft_watermark(first, _("DRAF"))
    properties = w.doc.core_properties
    properties.title = parts.plain(_("Dokumen Arsitektur SPBE %(scope)s") % {"scope": _scope_name(record)})
    properties.author = parts.plain(_who(record.requested_by))
    properties.created = properties.modified = generated
    properties.version = parts.plain(record.version)
    properties.language = record.language
    progress(97, _("Menyimpan berkas"))
    saved, out = io.BytesIO(), io.BytesIO()
    w.doc.save(saved)
    w.tables.write(saved.getvalue(), out)
    return Built(out.getvalue(), draft)


def _table_of_contents(w: Writer, marker) -> None:
    """The table of contents written at the end, moved to its place after the cover (``marker``)."""
    body = w.doc.element.body
    before = len(body)
    w.doc.add_paragraph(_("Daftar Isi"), style="TOC Heading")
    parts.add_toc(w.doc, w.headings, _("Perbarui daftar isi (klik kanan, Perbarui Bidang) untuk nomor halaman."))
    added = [element for element in list(body)[before - 1:] if element.tag.endswith("}p")]
    for element in added:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)
