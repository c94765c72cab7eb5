"""The pieces of WordprocessingML that python-docx has no call for: a table of contents field Word updates, a
"DRAF" watermark in the page header, page-number fields, A4 sections in portrait or landscape, and tables that
fill the page width with a repeated header row. Plain functions over a ``docx.Document``; nothing Django."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor

A4_SHORT, A4_LONG = Cm(21), Cm(29.7)
MARGIN = Cm(2.2)
TABLE_FONT = Pt(8)
HEADER_FILL = "D9E2F3"
WATERMARK_SHAPE_ID = "SiaDraftWatermark"


def setup_page(section, landscape: bool = False) -> None:
    """An A4 page (portrait or landscape) with SIA's margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1.0)


def is_landscape(section) -> bool:
    return section.orientation == WD_ORIENT.LANDSCAPE


def orientation(document, landscape: bool) -> None:
    """Goes on in a new section of the wanted orientation when the current one differs (a wide table gets a
    landscape page, the text after it portrait again); headers and footers continue from the previous section."""
    current = document.sections[-1]
    if is_landscape(current) == landscape:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    setup_page(section, landscape)


def text_width(section):
    return Emu(section.page_width - section.left_margin - section.right_margin)


def text_height(section):
    return Emu(section.page_height - section.top_margin - section.bottom_margin)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field(run, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin, instruction, separate, its shown result, end) in ``run``."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.set(qn("xml:space"), "preserve")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def add_toc(document, entries: list[tuple[int, str]], hint: str) -> None:
    """A table-of-contents field (levels 1-2, hyperlinked) that Word and LibreOffice update ("Update field"),
    shown until then as the list of ``entries`` (level, heading) the document has, and ``hint`` how to update it.
    No "update fields on open" setting: that makes Word ask a question on opening."""
    paragraph = document.add_paragraph()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, instr, separate):
        paragraph.add_run()._r.append(element)
    hint_run = paragraph.add_run(hint)
    hint_run.italic = True
    for level, text in entries:
        line = document.add_paragraph(text)
        line.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        line.paragraph_format.space_after = Pt(0)
    closing = document.add_paragraph()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    closing.add_run()._r.append(end)


def page_number_footer(section, text: str) -> None:
    """``text`` and "page N" in the footer (every following section inherits it)."""
    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(f"{text} · ")
    run.font.size = Pt(8)
    number = paragraph.add_run()
    number.font.size = Pt(8)
    _field(number, "PAGE", "1")


def draft_watermark(section, text: str = "DRAF") -> None:
    """A "DRAF" watermark: a grey, diagonal WordArt shape (VML, the form Word itself writes for a watermark) in
    the section's header, so it stands behind every page of the document (later sections inherit the header)."""
    header = section.header
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    pict = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word">'
        f'<w:rPr><w:noProof/></w:rPr><w:pict>'
        f'<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        f'path="m@7,l@8,m@5,21600l@6,21600e">'
        f'<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/>'
        f'<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape id="{WATERMARK_SHAPE_ID}" o:spid="_x0000_s2049" type="#_x0000_t136" '
        f'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;'
        f'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        f'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        f'o:allowincell="f" fillcolor="#c8c8c8" stroked="f">'
        f'<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{text}"/>'
        f'<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )
    paragraph._p.append(pict)


def watermark_texts(document) -> list[str]:
    """The watermark texts in the headers of ``document`` (tests read the document back with it)."""
    found = []
    for index, section in enumerate(document.sections):
        if index and section.header.is_linked_to_previous:  # the same header as the section before
            continue
        for element in section.header._element.iter("{urn:schemas-microsoft-com:vml}textpath"):
            if element.get("string"):
                found.append(element.get("string"))
    return found


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _full_width(table) -> None:
    """The table spans the text width (100 %), its columns laid out by content: it fits the page it is on."""
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")


def add_table(document, headers: list[str], rows: list[list], *, widths: list[float] | None = None,
              emphasis_rows: set[int] | None = None):
    """A grid table: a shaded header row repeated on every page, ``rows`` of text (None is empty), small type;
    ``widths`` relative column widths (a share of the text width); ``emphasis_rows`` indexes of rows written bold
    across (sub-headings such as an area of the roadmap)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _full_width(table)
    header_cells = table.rows[0].cells
    for cell, text in zip(header_cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = TABLE_FONT
        _shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    emphasis_rows = emphasis_rows or set()
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        if index in emphasis_rows:
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            run = merged.paragraphs[0].add_run(str(values[0]))
            run.bold = True
            run.font.size = TABLE_FONT
            _shade(merged, "F2F2F2")
            continue
        for cell, value in zip(cells, values):
            run = cell.paragraphs[0].add_run("" if value is None else str(value))
            run.font.size = TABLE_FONT
    if widths:
        total_width = text_width(document.sections[-1])
        share = sum(widths)
        for column, weight in zip(table.columns, widths):
            column_width = int(total_width * weight / share)
            for cell in column.cells:
                cell.width = column_width
    return table


def note(document, text: str, *, italic: bool = True, size: int = 9, color: str | None = "595959"):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = italic
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return paragraph
