"""The timeline picture of the Peta Rencana (a Gantt chart) drawn with Pillow at print resolution: the years of the
period across, the kegiatan down grouped by area, each kegiatan a bar over the years it runs in, coloured by its
execution status and hatched with a red edge when late, as the timeline page (``sia.roadmap.timeline`` and
``roadmap/timeline.html``) shows them.

Drawn from the rows ``content.roadmap`` gives (what the requester may see, as the document holds it), a page at a
time: each picture fits the text width and height of an A4 landscape page, so a roadmap of 1,000 kegiatan is some
forty small pictures, never one huge bitmap in memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from sia.roadmap.choices import ActivityStatus

from . import docx_parts as parts
from .pictures import DPI, Picture

WIDTH = round((parts.A4_LONG - 2 * parts.MARGIN) / 914400 * DPI)  # A4 landscape text width in pixels
MAX_HEIGHT = round((parts.A4_SHORT - 2 * parts.MARGIN) / 914400 * DPI) - round(3 / 2.54 * DPI)  # less the caption
NAME_SHARE = 0.34  # the name column, as on the page
ROW, AREA_ROW, HEADER, LEGEND = 34, 40, 44, 46
FONT_PX = round(8 / 72 * DPI)  # 8 pt

INK, MUTED, LINE, WHITE = (29, 38, 48), (91, 103, 115), (213, 219, 225), (255, 255, 255)
HEAD_FILL, HEAD_NOW, COLUMN_NOW, AREA_FILL = (238, 242, 245), (219, 233, 243), (241, 246, 250), (230, 235, 240)
LATE = (165, 42, 42)
# progress -> (fill, border, text): the colours of the page's .rm-belum / .rm-sedang / .rm-selesai / .rm-batal
BARS = {
    ActivityStatus.NOT_STARTED: (WHITE, MUTED, INK),
    ActivityStatus.RUNNING: ((11, 93, 122), (11, 93, 122), WHITE),
    ActivityStatus.DONE: ((30, 122, 60), (30, 122, 60), WHITE),
    ActivityStatus.CANCELLED: ((227, 230, 233), (227, 230, 233), MUTED),
}
LATE_TEXT_ON_WHITE = (122, 29, 29)


def _font(bold: bool = False, size: int = FONT_PX):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:  # no DejaVu on this system: Pillow's own scalable font
        return ImageFont.load_default(size)


@dataclass
class Line:
    """One line of a picture: an area heading (``label``, ``note``) or a kegiatan (``row``, a TimelineRow)."""

    label: str = ""
    note: str = ""
    row: object = None

    @property
    def height(self) -> int:
        return ROW if self.row is not None else AREA_ROW


def pages(groups) -> list[list[Line]]:
    """The lines of each picture: areas in order, each headed by its label; an area longer than a picture goes on
    in the next one, headed again ("lanjutan"). ``groups`` is [(area label, [TimelineRow])], empty areas left out."""
    room = MAX_HEIGHT - LEGEND - HEADER
    found, current, used = [], [], 0
    for label, rows in groups:
        if not rows:
            continue
        late = sum(1 for row in rows if row.late)
        note = _("%(count)d kegiatan") % {"count": len(rows)}
        if late:
            note += " · " + _("%(count)d terlambat") % {"count": late}
        if current and used + AREA_ROW + ROW > room:
            found.append(current)
            current, used = [], 0
        current.append(Line(label, note))
        used += AREA_ROW
        for row in rows:
            if used + ROW > room:
                found.append(current)
                current, used = [Line(label + " " + _("(lanjutan)"), note)], AREA_ROW
            current.append(Line(row=row))
            used += ROW
    if current:
        found.append(current)
    return found


def _fit(draw, text: str, font, width: int) -> str:
    """``text`` cut with an ellipsis to ``width`` pixels."""
    if width <= 0:
        return ""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:max(len(text) - max(len(text) // 8, 1), 0)]
    return text + "…" if text else ""


def _bar(image, draw, box, progress: str, late: bool, text: str, font) -> None:
    fill, border, ink = BARS.get(progress, BARS[ActivityStatus.NOT_STARTED])
    x0, y0, x1, y1 = box
    edge = LATE if late else border
    draw.rounded_rectangle(box, radius=6, fill=fill, outline=edge, width=5 if late else 3)
    if late:  # the page's hatching: red stripes at 135 degrees, inside the edge
        stripes = Image.new("RGBA", (x1 - x0 - 10, y1 - y0 - 10), (0, 0, 0, 0))
        pen = ImageDraw.Draw(stripes)
        height = stripes.height
        for x in range(-height, stripes.width, 24):
            pen.line((x, height, x + height, 0), fill=LATE + (90,), width=8)
        image.paste(stripes, (x0 + 5, y0 + 5), stripes)
        if progress == ActivityStatus.NOT_STARTED:
            ink = LATE_TEXT_ON_WHITE
    shown = _fit(draw, text, font, x1 - x0 - 20)
    if shown:
        middle = (y0 + y1) // 2
        draw.text((x0 + 10, middle), shown, font=font, fill=ink, anchor="lm")
        if progress == ActivityStatus.CANCELLED:
            draw.line((x0 + 10, middle, x0 + 10 + draw.textlength(shown, font=font), middle), fill=ink, width=2)


def _legend(image, draw, font) -> None:
    x = 0
    samples = [(str(label), value, False) for value, label in ActivityStatus.choices]
    samples.append((_("Terlambat"), ActivityStatus.RUNNING, True))
    for label, progress, late in samples:
        width = int(draw.textlength(label, font=font)) + 24
        _bar(image, draw, (x, 4, x + width, LEGEND - 10), progress, late, label, font)
        x += width + 24


def draw_page(lines: list[Line], years: list[int], current_year: int) -> bytes:
    """One picture (PNG bytes at ``DPI``) of ``lines`` over the columns ``years``."""
    height = LEGEND + HEADER + sum(line.height for line in lines)
    image = Image.new("RGB", (WIDTH, height), WHITE)
    draw = ImageDraw.Draw(image)
    font, bold, small = _font(), _font(bold=True), _font(size=FONT_PX - 3)
    name_width = round(WIDTH * NAME_SHARE)
    column = (WIDTH - name_width) / max(len(years), 1)
    _legend(image, draw, small)
    top = LEGEND
    # the current year's column, under everything else; the header row
    draw.rectangle((0, top, WIDTH - 1, top + HEADER), fill=HEAD_FILL)
    draw.text((8, top + HEADER // 2), _("Area / kegiatan"), font=bold, fill=INK, anchor="lm")
    for index, year in enumerate(years):
        x0, x1 = round(name_width + index * column), round(name_width + (index + 1) * column)
        if year == current_year:
            draw.rectangle((x0, top, x1, height - 1), fill=COLUMN_NOW)
            draw.rectangle((x0, top, x1, top + HEADER), fill=HEAD_NOW)
        label = str(year) + (" " + _("(tahun ini)") if year == current_year else "")
        draw.text(((x0 + x1) // 2, top + HEADER // 2), _fit(draw, label, bold, x1 - x0 - 8), font=bold, fill=INK,
                  anchor="mm")
    y = top + HEADER
    draw.line((0, y, WIDTH, y), fill=MUTED, width=2)
    for line in lines:
        bottom = y + line.height
        if line.row is None:
            draw.rectangle((0, y, WIDTH - 1, bottom), fill=AREA_FILL)
            label = _fit(draw, line.label, bold, WIDTH // 2)
            draw.text((8, (y + bottom) // 2), label, font=bold, fill=INK, anchor="lm")
            draw.text((16 + draw.textlength(label, font=bold), (y + bottom) // 2), line.note, font=small,
                      fill=MUTED, anchor="lm")
        else:
            row = line.row
            activity = row.activity
            opd = activity.department.abbreviation or activity.department.name
            code = f"{activity.code} "
            draw.text((8, (y + bottom) // 2), code, font=bold, fill=INK, anchor="lm")
            x = 8 + draw.textlength(code, font=bold)
            room = name_width - x - 8
            opd_width = draw.textlength(" " + opd, font=small)
            name = _fit(draw, activity.name, font, room - min(opd_width, room // 3))
            draw.text((x, (y + bottom) // 2), name, font=font, fill=INK, anchor="lm")
            x += draw.textlength(name, font=font)
            draw.text((x, (y + bottom) // 2), _fit(draw, " " + opd, small, name_width - x - 8), font=small,
                      fill=MUTED, anchor="lm")
            for index in range(1, len(years)):
                grid = round(name_width + index * column)
                draw.line((grid, y, grid, bottom), fill=LINE, width=1)
            x0 = round(name_width + row.before * column) + 4
            x1 = round(name_width + (row.before + row.span) * column) - 4
            text = f"{row.years_text} · {activity.get_progress_display()}"
            if row.late:
                text += " · " + _("terlambat")
            _bar(image, draw, (x0, y + 5, x1, bottom - 5), activity.progress, row.late, text, font)
        draw.line((0, bottom, WIDTH, bottom), fill=LINE, width=1)
        y = bottom
    draw.line((name_width, LEGEND, name_width, height), fill=MUTED, width=2)
    out = io.BytesIO()
    with image.quantize(64, method=Image.Quantize.FASTOCTREE) as reduced:  # a third of the RGB file's size, quickly
        reduced.save(out, "PNG", dpi=(DPI, DPI))
    image.close()
    return out.getvalue()


def roadmap_pictures(period: str, years: list[int], current_year: int, groups):
    """The timeline of the Peta Rencana as pictures, one at a time (a generator: each is written into the document
    before the next is drawn). ``groups``: [(area label, [TimelineRow])] as the document holds them."""
    drawn = pages(groups)
    for number, lines in enumerate(drawn, start=1):
        title = _("Linimasa Peta Rencana SPBE %(period)s") % {"period": period}
        if len(drawn) > 1:
            title += f" ({number}/{len(drawn)})"
        height = LEGEND + HEADER + sum(line.height for line in lines)
        yield Picture(title, draw_page(lines, years, current_year), WIDTH, height, 0)
