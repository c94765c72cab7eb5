"""The pieces of WordprocessingML that python-docx has no call for: a table of contents field Word updates, a
"DRAF" watermark in the page header, page-number fields, A4 sections in portrait or landscape, and tables that
fill the page width with a repeated header row. Plain functions over a ``docx.Document``; nothing Django."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor

A4_SHORT, A4_LONG = Cm(21), Cm(29.7)
MARGIN = Cm(2.2)
TABLE_FONT = Pt(8)
HEADER_FILL = "D9E2F3"
EMPHASIS_FILL = "F2F2F2"
WATERMARK_SHAPE_ID = "SiaDraftWatermark"
WATERMARK_GEOMETRY = ("position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;"
                      "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
                      "mso-position-vertical:center;mso-position-vertical-relative:margin")


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
    run = paragraph.add_run(f"{plain(text)} · ")
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
        f'o:allowincell="f" fillcolor="#c8c8c8" stroked="f">'
        f'<v:fill opacity=".5"/>'
        f'<v:textpath/>'
        f'<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )
    # VML's own CSS-like "style" attributes (Word's shape geometry, never part of a web page), set on the elements.
    shape = pict.find(".//{urn:schemas-microsoft-com:vml}shape")
    shape.set("style", WATERMARK_GEOMETRY)
    textpath = shape.find("{urn:schemas-microsoft-com:vml}textpath")
    textpath.set("style", 'font-family:"Arial";font-size:1pt')
    textpath.set("string", plain(text))
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


TABLE_STYLE = "SIA Tabel"  # the paragraph style of table cells: small type, no spacing (one style, not per cell)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BATCH = 500  # rows written at once: a table of 20,000 rows never exists as one string


def _table_style(document) -> str:
    """The id of the table-cell paragraph style, added to the document the first time."""
    styles = document.styles
    if TABLE_STYLE not in [style.name for style in styles]:
        style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = TABLE_FONT
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    return styles[TABLE_STYLE].style_id


def plain(value) -> str:
    """Text for python-docx (which refuses them): without the control characters XML cannot hold."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def clean(value) -> str:
    """Text for WordprocessingML: escaped, without the control characters XML cannot hold."""
    return escape(_NOT_XML.sub("", "" if value is None else str(value)))


def _cell(text: str, style: str, *, bold=False, fill=None, width=None, span=1) -> str:
    props = ""
    if width is not None:
        props += f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    run = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (f'<w:tc>{f"<w:tcPr>{props}</w:tcPr>" if props else ""}<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r>{run}<w:t xml:space="preserve">{clean(text)}</w:t></w:r></w:p></w:tc>')


class Tables:
    """The document's tables, kept out of python-docx's tree until the file is written: a paragraph marks each
    table's place, and ``write`` streams the saved document's ``word/document.xml`` with every mark replaced by its
    table's WordprocessingML, a few hundred rows at a time. An instansi of 20,000 objects has tables of tens of
    thousands of rows: as lxml elements they weigh hundreds of MB, as rows of text a few."""

    MARK = "SIA-TABEL-"

    def __init__(self):
        self.tables: list[tuple] = []

    def add(self, document, headers: list[str], rows: list[list], *, widths: list[float] | None = None,
            emphasis_rows: set[int] | None = None) -> None:
        """A grid table spanning the text width here: a shaded header row repeated on every page, ``rows`` of text
        (None is empty) in small type; ``widths`` relative column widths (default equal); ``emphasis_rows`` indexes
        of rows written bold across the whole table (sub-headings such as an area of the roadmap)."""
        count = len(headers)
        weights = widths if widths and len(widths) == count else [1] * count
        total = int(text_width(document.sections[-1]) / 635)  # EMU to twentieths of a point
        columns = [int(total * weight / sum(weights)) for weight in weights]
        self.tables.append((_table_style(document), headers, rows, columns, emphasis_rows or set()))
        document.add_paragraph(f"{self.MARK}{len(self.tables) - 1}")

    def xml(self, number: int):
        """The WordprocessingML of table ``number``, in pieces (the document's root declares the namespace)."""
        style, headers, rows, columns, emphasis_rows = self.tables[number]
        count = len(headers)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in columns)
        header = "".join(_cell(text, style, bold=True, fill=HEADER_FILL, width=width)
                         for text, width in zip(headers, columns))
        yield (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
               f'<w:jc w:val="center"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
               f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
               f'<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>')
        for first in range(0, len(rows), BATCH):
            parts = []
            for index in range(first, min(first + BATCH, len(rows))):
                values = rows[index]
                if index in emphasis_rows:
                    parts.append(f"<w:tr>{_cell(values[0], style, bold=True, fill=EMPHASIS_FILL, span=count)}</w:tr>")
                else:
                    cells = list(values)[:count] + [""] * (count - len(values))
                    parts.append("<w:tr>" + "".join(_cell(value, style) for value in cells) + "</w:tr>")
            yield "".join(parts)
        yield "</w:tbl>"

    def write(self, saved: bytes, target) -> None:
        """The document ``saved`` by python-docx, written to ``target`` (a binary file) with its tables in place."""
        with zipfile.ZipFile(io.BytesIO(saved)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    out.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
                    continue
                text = source.read(info.filename).decode("utf-8")
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with out.open(entry, "w") as stream:
                    position = 0
                    for number in range(len(self.tables)):
                        mark = f"<w:p><w:r><w:t>{self.MARK}{number}</w:t></w:r></w:p>"
                        found = text.find(mark, position)
                        if found < 0:
                            raise ValueError(f"table {number} has no place in the document")
                        stream.write(text[position:found].encode("utf-8"))
                        for piece in self.xml(number):
                            stream.write(piece.encode("utf-8"))
                        position = found + len(mark)
                    stream.write(text[position:].encode("utf-8"))


def note(document, text: str, *, italic: bool = True, size: int = 9, color: str | None = "595959"):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = italic
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return paragraph
