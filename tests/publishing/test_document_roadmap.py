"""The Peta Rencana chapter of the Dokumen Arsitektur SPBE: the timeline picture (a Gantt chart drawn from what the
document holds, at print resolution, fitting an A4 landscape page), the kegiatan tables kept as text, the period."""

import io
from types import SimpleNamespace

from docx.oxml.ns import qn
from PIL import Image

from sia.publishing import gantt, pictures
from sia.publishing.choices import DocumentContent
from tests.publishing.test_document import all_text, architecture, generate, read  # noqa: F401 (fixture)
from tests.roadmap.conftest import roadmap  # noqa: F401 (fixture)


def chapter(doc, title: str) -> list:
    """The body elements of the level-1 chapter ``title``, up to the next level-1 heading."""
    found, inside = [], False
    for element in doc.element.body.iterchildren():
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level1 = style is not None and style.get(qn("w:val")) == "Heading1"
        if level1:
            inside = "".join(text.text or "" for text in element.iter(qn("w:t"))) == title
            continue
        if inside:
            found.append(element)
    return found


def blips(doc, elements) -> list:
    """The pictures in ``elements``: (PNG bytes, alternative text)."""
    found = []
    for element in elements:
        for drawing in element.iter(qn("w:drawing")):
            blip = next(drawing.iter(qn("a:blip")))
            described = next(drawing.iter(qn("wp:docPr"))).get("descr")
            found.append((doc.part.related_parts[blip.get(qn("r:embed"))].blob, described))
    return found


def test_peta_rencana_has_the_timeline_picture(world, architecture):  # noqa: F811
    _document, data = generate(world.users["admin"], world.inst, period="2025-2029")
    doc = read(data)
    elements = chapter(doc, "Peta Rencana SPBE")
    drawn = blips(doc, elements)
    assert len(drawn) == 1
    png, described = drawn[0]
    assert described.startswith("Linimasa Peta Rencana SPBE 2025-2029")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and round(image.info["dpi"][0]) == pictures.DPI
        assert image.width == gantt.WIDTH and image.height <= gantt.MAX_HEIGHT
    assert round(gantt.WIDTH / pictures.DPI * 2.54, 1) == 25.3  # the text width of an A4 landscape page
    # The picture comes before the tables, which stay as the text of the same timeline.
    tags = [element.tag for element in elements]
    first_picture = next(i for i, element in enumerate(elements) if next(element.iter(qn("w:drawing")), None)
                         is not None)
    assert qn("w:tbl") not in tags[:first_picture] and tags.count(qn("w:tbl")) == 2
    text = all_text(doc)
    assert "KG-A" in text and "Pagu 2026" in text
    assert "dokumen periode" not in text  # the periods agree: no note


def spy_pictures(monkeypatch):
    seen = []
    drawing = gantt.roadmap_pictures

    def spy(period, years, current_year, groups):
        seen.append({row.activity.code for _label, rows in groups for row in rows})
        return drawing(period, years, current_year, groups)

    monkeypatch.setattr(gantt, "roadmap_pictures", spy)
    return seen


def test_the_picture_shows_only_what_the_document_holds(world, architecture, monkeypatch):  # noqa: F811
    """Drawn from the same scoped rows as the tables: an operator's document has no other OPD's draft kegiatan, a
    validated-only document no draft kegiatan; everything with its status does have it."""
    seen = spy_pictures(monkeypatch)
    generate(world.users["operator"], world.inst, department=world.kominfo, content=DocumentContent.ALL)
    generate(world.users["admin"], world.inst)
    generate(world.users["admin"], world.inst, content=DocumentContent.ALL)
    operator, validated, everything = seen
    assert operator == {"KG-A", "KG-S", "KG-X"}
    assert validated == {"KG-A", "KG-S", "KG-X"}
    assert everything == {"KG-A", "KG-S", "KG-X", "KG-D"}


def row(number: int, area_years=(0, 2)):
    activity = SimpleNamespace(code=f"KG-{number:04d}", name=f"Kegiatan {number}", progress="sedang",
                               department=SimpleNamespace(abbreviation="DISKOMINFO", name="Diskominfo"),
                               get_progress_display=lambda: "Sedang berjalan")
    return SimpleNamespace(activity=activity, before=area_years[0], span=area_years[1], after=0, late=number % 7 == 0,
                           years_text="2025–2026")


def test_a_long_timeline_is_split_into_pictures_that_fit_a_page():
    groups = [("Aplikasi SPBE", [row(n) for n in range(70)]), ("Keamanan SPBE", []),
              ("Audit TIK", [row(n) for n in range(70, 75)])]
    pages = gantt.pages(groups)
    assert len(pages) == 3
    for lines in pages:
        assert gantt.LEGEND + gantt.HEADER + sum(line.height for line in lines) <= gantt.MAX_HEIGHT
        assert lines[0].row is None  # every picture starts with its area's heading
    drawn = [line.row.activity.code for lines in pages for line in lines if line.row is not None]
    assert drawn == [f"KG-{n:04d}" for n in range(75)]
    headings = [line.label for lines in pages for line in lines if line.row is None]
    assert headings == ["Aplikasi SPBE", "Aplikasi SPBE (lanjutan)", "Aplikasi SPBE (lanjutan)", "Audit TIK"]
    made = list(gantt.roadmap_pictures("2025-2029", [2025, 2026, 2027, 2028, 2029], 2026, groups))
    assert [picture.title for picture in made][-1] == "Linimasa Peta Rencana SPBE 2025-2029 (3/3)"
    with Image.open(io.BytesIO(made[0].png)) as image:
        assert image.size == (made[0].width_px, made[0].height_px) == (gantt.WIDTH, image.height)


def test_a_roadmap_of_another_period_is_said_so(world, architecture):  # noqa: F811
    _document, data = generate(world.users["admin"], world.inst, period="2030-2034")
    text = all_text(read(data))
    assert "Peta Rencana periode 2025-2029; dokumen periode 2030-2034" in text
