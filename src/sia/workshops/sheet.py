"""The daftar hadir to print: the invited OPDs with their operators (and anyone else recorded), the mentors, and
an empty signature column, as DOCX (python-docx) or PDF (``sia.evaluation.pdf``)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sia.core.roles import Role
from sia.evaluation.pdf import paged_pdf
from sia.organizations.models import Membership

from .models import Attendance

BLANK_ROWS = 2  # per OPD, for those who come without an account in SIA


@dataclass
class Row:
    name: str
    group: str  # the OPD, or "Pendamping"


def sheet_rows(workshop) -> list[Row]:
    """Per invited OPD (by name) its active operators and anyone recorded from it, then blank rows; then the
    mentors. Three queries."""
    departments = list(workshop.departments.order_by("name"))
    names: dict[int, set] = {dept.pk: set() for dept in departments}
    for membership in Membership.objects.filter(
            institution_id=workshop.institution_id, role=Role.OPERATOR, is_active=True, user__is_active=True,
            department_id__in=list(names)).select_related("user"):
        names[membership.department_id].add(membership.user.get_full_name() or membership.user.get_username())
    for attendance in Attendance.objects.filter(workshop=workshop, department__isnull=False).select_related(
            "participant"):
        user = attendance.participant
        names.setdefault(attendance.department_id, set()).add(user.get_full_name() or user.get_username())
    rows = []
    for dept in departments:
        rows += [Row(name, dept.abbreviation or dept.name) for name in sorted(names[dept.pk])]
        rows += [Row("", dept.abbreviation or dept.name) for _n in range(BLANK_ROWS)]
    rows += [Row(user.get_full_name() or user.get_username(), _("Pendamping"))
             for user in workshop.mentors.order_by("username")]
    return rows


def heading(workshop) -> list[str]:
    start, end = timezone.localtime(workshop.starts_at), timezone.localtime(workshop.ends_at)
    where = " / ".join(part for part in (workshop.place, workshop.meeting_link) if part)
    return [
        _("DAFTAR HADIR"),
        f"{workshop.get_kind_display()}: {workshop.title}",
        _("%(day)s, pukul %(start)s-%(end)s") % {
            "day": date_format(start, "l, j F Y"), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        _("Tempat: %(where)s (%(mode)s)") % {"where": where or "-", "mode": workshop.get_mode_display()},
        workshop.institution.name,
    ]


def filename(workshop, extension: str) -> str:
    return f"daftar-hadir-{slugify(workshop.title)[:60]}-{timezone.localtime(workshop.starts_at):%Y%m%d}.{extension}"


def docx_bytes(workshop) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    lines = heading(workshop)
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, (_("No."), _("Nama"), _("OPD / peran"), _("Tanda tangan"))):
        cell.text = label
    for number, row in enumerate(sheet_rows(workshop), start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(number), row.name, row.group, ""
    for column, width in zip(table.columns, (Cm(1.2), Cm(6.5), Cm(4.5), Cm(5))):
        for cell in column.cells:
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


LINES_PER_PAGE = 44


def pdf_bytes(workshop) -> bytes:
    """Courier lines: a column each for number, name, OPD, and a ruled signature space."""
    head = heading(workshop) + [""]
    columns = f"{_('No.'):<4} {_('Nama'):<30} {_('OPD / peran'):<18} {_('Tanda tangan')}"
    body = [f"{number:<4} {row.name[:30]:<30} {row.group[:18]:<18} {'_' * 20}"
            for number, row in enumerate(sheet_rows(workshop), start=1)]
    pages, first = [], True
    while body or first:
        room = LINES_PER_PAGE - (len(head) if first else 0) - 2
        pages.append((head if first else []) + [columns, "-" * 76] + body[:room])
        body, first = body[room:], False
    return paged_pdf(pages, title=f"{_('Daftar hadir')} {workshop.title}", font="Courier", size=10)


FORMATS = {
    "docx": (docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (pdf_bytes, "application/pdf"),
}


def sheet_response(workshop, extension: str) -> HttpResponse:
    render, content_type = FORMATS[extension]
    response = HttpResponse(render(workshop), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename(workshop, extension))
    return response
