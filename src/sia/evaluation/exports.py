"""Documents of an assessment: the XLSX workbook and the Berita Acara Penilaian Mandiri (DOCX).

Plain functions returning bytes; views and the API only add the HTTP headers.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.utils import timezone, translation

from .choices import Stage, TeamRole
from .facts import coordination_team, decree_team
from .frameworks import spec_for
from .group_rows import group_rows, indicator_path, level_names, level_values, levels_header
from .models import Assessment, AssessmentTeamMember, Evidence, IndicatorScore
from .scoring import decimal_id, display, exact_text
from .services import levels_by_stage, summaries
from .terms import evaluation_name, short_index, team_role_name

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def as_text(sheet) -> None:
    """Every text cell as a string cell: user text such as "=HYPERLINK(…)" stays text, never a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def stage_date(assessment: Assessment, stage=Stage.SELF) -> datetime.date | None:
    """The day (project time zone) the stage was locked, or None while it is open."""
    lock = next((lock for lock in assessment.locks.all() if lock.stage == Stage(stage).value), None)
    return timezone.localdate(lock.locked_at, timezone.get_default_timezone()) if lock is not None else None


def date_id(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _scores(assessment: Assessment):
    """{(indicator number, stage): score} with assessor, in one query."""
    rows = IndicatorScore.objects.filter(assessment=assessment).select_related("indicator", "assessed_by")
    return {(s.indicator.number, s.stage): s for s in rows}


def _evidence(assessment: Assessment) -> dict[int, list]:
    result: dict[int, list] = {}
    rows = Evidence.objects.filter(assessment=assessment).select_related("indicator")
    for evidence in rows.order_by("indicator__number", "created", "pk"):
        result.setdefault(evidence.indicator.number, []).append(evidence)
    return result


def _source_cells(spec, indicator, score) -> list:
    """Source index, its year and how the value came, for an indicator valued from another institution's index."""
    if indicator.value_source != "external" or score is None:
        return [None, None, ""]
    source = float(score.source_value) if score.source_value is not None else None
    note = "belum ada nilai indeks sumber; dihitung 1,00" if score.source_missing else score.source_note
    return [source, score.source_year, note]


def criteria_texts_note(framework) -> str:
    """What the instrument's criteria texts are, as its data says (``texts_status``, ``texts_note``)."""
    if not framework.texts_are_guidance:
        return "Teks resmi instrumen"
    return " ".join(filter(None, ["Panduan, belum teks resmi instrumen.", framework.texts_note]))


@translation.override(settings.LANGUAGE_CODE)  # an Indonesian document, whatever the request's language
def assessment_xlsx(assessment: Assessment) -> bytes:
    """One row per indicator with its level in every stage; a summary sheet with the values per stage."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    spec = spec_for(assessment.framework)
    stages = assessment.stages()
    scores = _scores(assessment)
    evidence = _evidence(assessment)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7EE")

    book = Workbook()
    sheet = book.active
    sheet.title = "Indikator"
    hierarchy = level_names(spec)  # the levels the instrument declares (none: indicators only)
    external = bool(spec.external_indicators)
    headers = ["No", *hierarchy, "Indikator", "Bobot (%)"] + [str(s.label) for s in stages] + (
        ["Indeks sumber", "Tahun indeks sumber", "Catatan nilai"] if external else []
    ) + ["Fakta", "Analisis", "Justifikasi", "Jumlah bukti dukung", "Berkas bukti dukung"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, header_fill
    for indicator in spec.indicators:
        latest = None
        row_levels = []
        for stage in stages:
            score = scores.get((indicator.number, stage.value))
            row_levels.append((float(score.value) if spec.continuous else score.level) if score else None)
            if score is not None and (score.fakta or score.analisis or score.justifikasi or latest is None):
                latest = score
        files = evidence.get(indicator.number, [])
        places = [group["name"] for group in indicator_path(spec, indicator)]
        sheet.append(
            [indicator.code or indicator.number, *places, indicator.name, float(indicator.weight)]
            + row_levels
            + (_source_cells(spec, indicator, latest) if external else [])
            + [latest.fakta if latest else "", latest.analisis if latest else "", latest.justifikasi if latest else "",
               len(files), "\n".join(e.file_name or e.url for e in files)]
        )
    first_stage = 3 + len(hierarchy)  # the column after "Bobot (%)"
    if spec.continuous:
        for row in sheet.iter_rows(min_row=2, min_col=first_stage + 1, max_col=first_stage + len(stages)):
            for cell in row:
                cell.number_format = "0.00"
    widths = {**{column: 26 for column in range(2, len(hierarchy) + 2)}, 1: 5, len(hierarchy) + 2: 60,
              len(hierarchy) + 3: 10}
    for column in range(1, len(headers) + 1):
        default = 14 if column <= first_stage + len(stages) + (3 if external else 0) else 40
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, default)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"{get_column_letter(len(hierarchy) + 3)}2"
    as_text(sheet)

    summary = book.create_sheet("Ringkasan")
    index_name = assessment.framework.term("index")
    summary.append(["Instansi", assessment.institution.name])
    summary.append(["Tahun", assessment.year])
    summary.append(["Kerangka", assessment.framework.name])
    summary.append(["Nama indeks", assessment.framework.term("index")])
    summary.append(["Tahap berjalan", str(Stage(assessment.current_stage).label)])
    summary.append(["Teks kriteria", criteria_texts_note(assessment.framework)])
    summary.append([])
    summary.append(["Tahap", index_name, f"{index_name} (tanpa pembulatan)", "Predikat", "Indikator terisi", "Dikunci",
                    "Perubahan dari tahap sebelumnya"])
    header_row = summary.max_row
    rows = summaries(assessment, levels_by_stage(assessment))
    for item in rows:
        summary.append([
            str(item.label), float(item.result.index_display), exact_text(item.result.index), item.result.predicate,
            f"{item.filled}/{item.total}", "ya" if item.locked else "tidak",
            float(display(item.change)) if item.change is not None else None,
        ])
        summary.cell(summary.max_row, 2).number_format = "0." + "0" * item.result.display_places
    summary.append([])
    summary.append([levels_header(spec) or "Indikator", "Bobot (%)"] + [str(item.label) for item in rows])
    values_header = summary.max_row
    values = [level_values(spec, item.result) for item in rows]
    for group in group_rows(spec):
        summary.append(["  " * group["depth"] + group["label"], float(group["weight"])]
                       + [float(display(by_level[group["kind"]][group["number"]])) for by_level in values])
    for row_number in (header_row, values_header):
        for cell in summary[row_number]:
            cell.font, cell.fill = bold, header_fill
    summary.column_dimensions["A"].width = 60
    for letter in "BCDEFG":
        summary.column_dimensions[letter].width = 18
    as_text(summary)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@translation.override(settings.LANGUAGE_CODE)  # an Indonesian document, whatever the request's language
def berita_acara_docx(assessment: Assessment, *, day: datetime.date | None = None) -> bytes:
    """Berita Acara Penilaian Mandiri under the instrument's names (Indeks SPBE / Indeks Pemdi), ready to sign: instansi, date, team, coordination team, index, predicate, indicators.

    Dated ``day`` if given, else the day the penilaian mandiri stage was locked (project time zone), else
    today, with the draft mark while the stage is open. python-docx writes every value as a text run
    (``w:t``), never as a field, so user text cannot become a formula or a DDE field.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    day = day or stage_date(assessment, Stage.SELF) or timezone.localdate()
    spec = spec_for(assessment.framework)
    stage_rows = summaries(assessment, levels_by_stage(assessment))
    mandiri = stage_rows[0]
    result = mandiri.result
    scores = _scores(assessment)
    rank = {role: position for position, role in enumerate(TeamRole)}
    team = sorted(
        AssessmentTeamMember.objects.filter(assessment=assessment).select_related("user"),
        key=lambda m: (rank.get(m.role, 99), m.user.username),
    )
    scale_names = {s.code: s.names for s in spec.scales}
    index_name, team_name = assessment.framework.term("index"), assessment.framework.term("internal_team")

    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(11)

    def centered(text, bold=True, size=12):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
        return paragraph

    centered("BERITA ACARA PENILAIAN MANDIRI", size=14)
    centered(evaluation_name(assessment.framework).upper())
    centered(f"{assessment.institution.name.upper()} TAHUN {assessment.year}")
    centered("Nomor: ........................................", bold=False, size=11)
    if not mandiri.locked:
        centered("DRAF — tahap penilaian mandiri belum dikunci", bold=True, size=10)

    document.add_paragraph(
        f"Pada hari ini {DAYS[day.weekday()]}, tanggal {date_id(day)}, {team_name} "
        f"{assessment.institution.name} telah melaksanakan penilaian mandiri terhadap {len(spec.indicators)} "
        f"indikator {index_name} tahun {assessment.year} berdasarkan {assessment.framework.name}, "
        "dengan hasil sebagai berikut:"
    )
    results = document.add_table(rows=0, cols=2)
    results.style = "Table Grid"
    for label, value in (
        (f"{index_name} (penilaian mandiri)", decimal_id(result.index, result.display_places)),
        ("Predikat", result.predicate),
        ("Indikator yang dinilai", f"{mandiri.filled} dari {mandiri.total}"),
    ):
        cells = results.add_row().cells
        cells[0].text, cells[1].text = label, value
    for group in group_rows(spec, result):  # the top level the instrument declares (Domain; 8/2026: Aspek)
        if group["depth"] == 0:
            cells = results.add_row().cells
            cells[0].text = f"Indeks {group['label']}"
            cells[1].text = decimal_id(group["exact"])
    if not result.complete:
        document.add_paragraph(
            "Catatan: indikator " + ", ".join(spec.indicator(n).label for n in result.missing)
            + (" belum diisi dan dihitung 1,00." if spec.continuous else " belum diisi dan dihitung pada tingkat 1.")
        )
    for line in _external_lines(spec, scores):
        document.add_paragraph(line)

    document.add_paragraph()
    decree = decree_team(assessment, day)
    if decree is not None:  # the team as the decree in force forms it (sia.evaluation.facts.register_team_source)
        _decree_members(document, f"{team_name} sesuai {decree.decree}:", decree)
    else:
        document.add_paragraph(f"{team_name}:")
        members = document.add_table(rows=1, cols=4)
        members.style = "Table Grid"
        for cell, text in zip(members.rows[0].cells, ("No", "Nama", "Peran dalam tim", "Tanda tangan")):
            cell.text = text
        for number, member in enumerate(team, start=1):
            cells = members.add_row().cells
            cells[0].text = str(number)
            cells[1].text = member.user.get_full_name() or member.user.username
            cells[2].text = team_role_name(member.role, assessment.framework)
            cells[3].text = ""
    coordination = coordination_team(assessment, day)
    if coordination is not None:  # the coordination team as its decree in force forms it (sia.governance)
        document.add_paragraph()
        coordination_name = assessment.framework.term("coordination_team")
        _decree_members(document, f"Mengetahui, {coordination_name} {assessment.institution.name} sesuai "
                                  f"{coordination.decree}:", coordination)

    document.add_paragraph()
    document.add_paragraph(
        "Rincian nilai per indikator (penilaian mandiri):" if spec.continuous
        else "Rincian tingkat kematangan per indikator (penilaian mandiri):"
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    columns = ("Nilai", "Tingkat") if spec.continuous else ("Tingkat", "Kapabilitas")
    for cell, text in zip(table.rows[0].cells, ("No", "Indikator", "Bobot (%)", *columns)):
        cell.text = text
    for indicator in spec.indicators:
        score = scores.get((indicator.number, Stage.SELF.value))
        names = scale_names.get(indicator.scale)
        cells = table.add_row().cells
        cells[0].text = indicator.label
        cells[1].text = indicator.name
        cells[2].text = decimal_id(indicator.weight)
        if spec.continuous:
            cells[3].text = decimal_id(score.value) if score else "—"
            name = spec.level_names.get(score.level, ("", ""))[0] if score else ""
            cells[4].text = f"{score.level} · {name}" if score and name else (str(score.level) if score else "")
        else:
            cells[3].text = str(score.level) if score else "—"
            cells[4].text = names[score.level - 1] if score and names else ""

    document.add_paragraph()
    document.add_paragraph("Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.")
    leads = [m for m in team if m.role == TeamRole.LEAD]
    signer = (leads[0].user.get_full_name() or leads[0].user.username) if leads else "...................................."
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    left.text = "Mengetahui,\nPimpinan Instansi\n\n\n\n(....................................)"
    right.text = (f"{date_id(day)}\nPenanggung Jawab Penilaian Mandiri\n({assessment.framework.term('coordinator')})"
                  f"\n\n\n\n({signer})")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _decree_members(document, heading: str, decree) -> None:
    """The members of the team a decree in force forms: name with NIP, position, role, signature."""
    document.add_paragraph(heading)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("No", "Nama / NIP", "Jabatan", "Peran dalam tim", "Tanda tangan")):
        cell.text = text
    for number, member in enumerate(decree.members, start=1):
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[1].text = f"{member.name}\nNIP {member.nip}" if member.nip else member.name
        cells[2].text, cells[3].text, cells[4].text = member.position, member.role, ""


def _external_lines(spec, scores) -> list[str]:
    """How each indicator valued from another institution's index got its self-assessment value."""
    lines = []
    for indicator in spec.external_indicators:
        score = scores.get((indicator.number, Stage.SELF.value))
        if score is None:
            continue
        short = short_index(indicator.external)
        if score.source_missing:
            lines.append(f"Indikator {indicator.label}: belum ada nilai indeks sumber ({short}); dihitung 1,00.")
        elif score.source_value is not None:
            source = format(score.source_value.normalize(), "f").replace(".", ",")
            year = f" ({score.source_year})" if score.source_year else ""
            how = "" if indicator.external.automatic else " (nilai diisi asesor; konversi tidak diketahui)"
            lines.append(f"Indikator {indicator.label}: {short} {source}{year} → {decimal_id(score.value)}{how}.")
    return lines


def export_name(assessment: Assessment, kind: str, extension: str) -> str:
    return f"{kind}-{assessment.institution.code}-{assessment.year}.{extension}"


def xlsx_name(assessment: Assessment) -> str:
    """penilaian-spbe-<instansi>-<year>.xlsx, penilaian-pemdi-… : after the instrument's index name."""
    from django.utils.text import slugify

    index = slugify(assessment.framework.term("index")).removeprefix("indeks-") or "indeks"
    return export_name(assessment, f"penilaian-{index}", "xlsx")
