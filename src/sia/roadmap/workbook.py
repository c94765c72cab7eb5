"""The Peta Rencana SPBE as an Excel workbook: the sheets, their columns, and the download (an export of the
instansi's roadmap, or an empty template).

Sheets: Sasaran, Inisiatif, Program, Kegiatan and Anggaran (the years of each kegiatan: one row per kegiatan and
year, a fifth sheet rather than per-year columns, so a period of any five years fits the same columns). Rows are
named by their codes (natural keys): a sasaran by its code in the instansi, an inisiatif by its code in its
sasaran, a program by its code in its inisiatif, a kegiatan by its code in the instansi, a year by its kegiatan
and year. The gaps a kegiatan closes are one cell, ``<jenis>:<kode>`` of architecture objects separated by
semicolons; a gap the reader may not see is left out of the export and kept by an upload.

The upload of such a workbook is ``sia.roadmap.workbook_import``."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _, gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sia.architecture.models import Application, Server
from sia.core import permissions
from sia.core.workbooks import write_only_cell as _cell
from sia.exchange.workbook import HEADER_FILL, HEADER_FONT, READ_ONLY_FILL, READ_ONLY_FONT, REQUIRED_FILL, ListBook
from sia.organizations.models import Department

from .choices import ActivityStatus, Area, BudgetSource
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

GUIDE_SHEET = "Petunjuk"
# Hidden: the version (lock_version) of each exported kegiatan, so that an upload of an old export refuses to
# overwrite a kegiatan changed in SIA since (``workbook_import``).
VERSION_SHEET, VERSION_KEY = "Versi", "versi"
LIST_ROWS = 2000  # the rows the dropdowns cover
YES, NO = _l("Ya"), _l("Tidak")


def gap_example(model=Application, number: int = 1, opd: str = "DISKOMINFO") -> str:
    """An example of a reference in the gap cell, with the code prefix the kind's objects get
    (``sia.architecture.models.base.next_code``): ``aplikasi:AP-DISKOMINFO-001``."""
    return f"{model.spec.slug}:{model.spec.code_prefix}-{opd}-{number:03d}"


def _gaps_hint() -> str:
    return _("Objek arsitektur yang dibangun, dikembangkan atau dihentikan kegiatan ini, ditulis <jenis>:<kode> dan "
             "dipisah titik koma, mis. “%(examples)s”. Isi sel ini menggantikan daftar gap kegiatan; gap yang tidak "
             "dapat Anda lihat tetap tertaut.") % {"examples": f"{gap_example()}; {gap_example(Server, 2)}"}


@dataclass(frozen=True)
class Col:
    name: str  # the key the importer uses
    label: object
    required: bool = False
    hint: object = ""
    width: int = 16
    imported: bool = True  # False: exported for information (grey), ignored by an upload
    choices: object = None  # a TextChoices class: the cell holds its label (the value is accepted too)

    @property
    def header(self) -> str:
        return f"{self.label}*" if self.required else str(self.label)


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    model: type
    columns: tuple

    def column(self, name) -> Col:
        return next(column for column in self.columns if column.name == name)


TARGET_CODE = Col("target", _l("Kode sasaran"), True, _l("Kode sasaran strategis di lembar Sasaran (atau yang sudah "
                                                        "ada di SIA), mis. SS-01."), 14)
INITIATIVE_CODE = Col("initiative", _l("Kode inisiatif"), True, _l("Kode inisiatif dalam sasaran itu, mis. IN-01."), 14)
DESCRIPTION = Col("description", _l("Uraian"), hint=_l("Boleh kosong."), width=40)

SHEETS = (
    Sheet("sasaran", "Sasaran", StrategicTarget, (
        Col("code", _l("Kode"), True, _l("Unik dalam instansi, mis. SS-01. Baris dengan kode yang sudah ada "
                                         "memperbarui sasaran itu."), 12),
        Col("name", _l("Nama"), True, width=40),
        Col("period", _l("Periode"), True, _l("Lima tahun selaras RPJMD, mis. 2025-2029."), 12),
        DESCRIPTION,
        Col("order", _l("Urutan"), hint=_l("Bilangan bulat untuk urutan tampil; kosong: 0."), width=8),
    )),
    Sheet("inisiatif", "Inisiatif", Initiative, (
        TARGET_CODE,
        Col("code", _l("Kode"), True, _l("Unik dalam sasaran, mis. IN-01."), 12),
        Col("name", _l("Nama"), True, width=40),
        DESCRIPTION,
    )),
    Sheet("program", "Program", Program, (
        TARGET_CODE, INITIATIVE_CODE,
        Col("code", _l("Kode"), True, _l("Unik dalam inisiatif, mis. PR-01."), 12),
        Col("area", _l("Area"), True, _l("Salah satu dari tujuh area Peta Rencana SPBE (pilih dari daftar)."), 16,
            choices=Area),
        Col("name", _l("Nama"), True, width=40),
        DESCRIPTION,
    )),
    Sheet("kegiatan", "Kegiatan", Activity, (
        Col("code", _l("Kode"), hint=_l("Unik dalam instansi, mis. KG-DISKOMINFO-001. Kosongkan untuk kegiatan baru "
                                        "agar SIA membuatkan kodenya (lembar Anggaran lalu belum dapat menunjuknya)."),
            width=20),
        TARGET_CODE, INITIATIVE_CODE,
        Col("program", _l("Kode program"), True, _l("Kode program dalam inisiatif itu, mis. PR-01."), 14),
        Col("department", _l("OPD"), True, _l("Singkatan OPD penanggung jawab, mis. DISKOMINFO. Operator OPD hanya "
                                              "dapat mengisi kegiatan OPD-nya sendiri."), 14),
        Col("name", _l("Nama"), True, width=40),
        DESCRIPTION,
        Col("output", _l("Keluaran"), hint=_l("Keluaran yang diharapkan; boleh kosong."), width=30),
        Col("start_year", _l("Tahun mulai"), True, _l("Dalam periode sasaran, mis. 2026."), 10),
        Col("end_year", _l("Tahun selesai"), True, _l("Dalam periode sasaran, tidak sebelum tahun mulai."), 10),
        Col("progress", _l("Status pelaksanaan"), hint=_l("Pilih dari daftar; kosong: Belum dimulai."), width=16,
            choices=ActivityStatus),
        Col("gaps", _l("Gap ditutup"), hint=lazy(_gaps_hint, str)(), width=36),
        Col("status", _l("Status review"), hint=_l("Diisi SIA; diabaikan saat diunggah."), width=14, imported=False),
    )),
    Sheet("anggaran", "Anggaran", ActivityYear, (
        Col("activity", _l("Kode kegiatan"), True, _l("Kode kegiatan di lembar Kegiatan (atau yang sudah ada di SIA)."),
            20),
        Col("year", _l("Tahun"), True, _l("Salah satu tahun pelaksanaan kegiatan itu."), 8),
        Col("budget", _l("Pagu"), True, _l("Rupiah, tidak negatif, tanpa rumus."), 16),
        Col("source", _l("Sumber"), hint=_l("Sumber anggaran (pilih dari daftar); kosong: APBD."), width=12,
            choices=BudgetSource),
        Col("rka", _l("RKA"), hint=_l("Anggaran yang dimasukkan OPD dalam RKA; boleh kosong."), width=16),
        Col("realisation", _l("Realisasi"), hint=_l("Boleh kosong."), width=16),
        Col("done", _l("Selesai"), hint=_l("Ya atau Tidak: pekerjaan tahun ini selesai."), width=10),
    )),
)
SHEET_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
MONEY_FORMAT = "#,##0.00"


def gap_reference(obj) -> str:
    """How a cell names an architecture object: ``aplikasi:AP-DISKOMINFO-001``."""
    return f"{type(obj).spec.slug}:{obj.code}"


def _money(value):
    return None if value is None else float(value)


def _gap_cells(activities, user) -> dict:
    """{activity ID: "jenis:kode; ..."} of the gaps each kegiatan closes that the reader may see: one query for the
    links and one per kind linked (plus what the permission module needs to decide)."""
    links = list(ActivityGap.objects.filter(activity__in=[a.pk for a in activities]).select_related("content_type")
                 .order_by("content_type", "object_id"))
    by_type = defaultdict(set)
    for link in links:
        by_type[link.content_type].add(link.object_id)
    objects = {}
    reader = permissions.LinkReader(user)
    for content_type, pks in by_type.items():
        model = content_type.model_class()
        found = list(model._default_manager.filter(pk__in=pks))
        reader.prime(found)
        objects.update({(content_type.pk, obj.pk): obj for obj in found if reader.shows(obj)})
    cells = defaultdict(list)
    for link in links:
        obj = objects.get((link.content_type_id, link.object_id))
        if obj is not None:
            cells[link.activity_id].append(gap_reference(obj))
    return {pk: "; ".join(sorted(refs)) for pk, refs in cells.items()}


def export_rows(institution, user) -> dict:
    """{sheet key: [row values]} of the instansi's roadmap as ``user`` reads it (a constant number of queries)."""
    targets = list(permissions.visible(user, StrategicTarget.objects.filter(institution=institution))
                   .order_by("period", "order", "code"))
    initiatives = list(permissions.visible(user, Initiative.objects.filter(target__institution=institution))
                       .select_related("target").order_by("target__code", "code"))
    programs = list(permissions.visible(user, Program.objects.filter(initiative__target__institution=institution))
                    .select_related("initiative__target").order_by("initiative__target__code", "initiative__code",
                                                                  "code"))
    activities = list(permissions.visible(user, Activity.objects.filter(institution=institution))
                      .select_related("program__initiative__target", "department").order_by("code"))
    years = list(permissions.visible(user, ActivityYear.objects.filter(activity__institution=institution))
                 .select_related("activity").order_by("activity__code", "year"))
    gaps = _gap_cells(activities, user)
    area, progress, source = dict(Area.choices), dict(ActivityStatus.choices), dict(BudgetSource.choices)
    return {
        "sasaran": [[t.code, t.name, t.period, t.description, t.order] for t in targets],
        "inisiatif": [[i.target.code, i.code, i.name, i.description] for i in initiatives],
        "program": [[p.initiative.target.code, p.initiative.code, p.code, str(area.get(p.area, p.area)), p.name,
                     p.description] for p in programs],
        "kegiatan": [[a.code, a.program.initiative.target.code, a.program.initiative.code, a.program.code,
                      a.department.abbreviation, a.name, a.description, a.output, a.start_year, a.end_year,
                      str(progress.get(a.progress, a.progress)), gaps.get(a.pk, ""), a.get_status_display()]
                     for a in activities],
        "anggaran": [[y.activity.code, y.year, _money(y.budget), str(source.get(y.source, y.source)), _money(y.rka),
                      _money(y.realisation), str(YES if y.done else NO)] for y in years],
        VERSION_KEY: [[a.code, a.lock_version] for a in activities],
    }


def _options(sheet: Sheet, column: Col, institution) -> list[str]:
    if column.choices is not None:
        return [str(label) for _value, label in column.choices.choices]
    if column.name == "department":
        return list(Department.objects.filter(institution=institution, is_active=True).order_by("abbreviation")
                    .values_list("abbreviation", flat=True))
    if column.name == "done":
        return [str(YES), str(NO)]
    return []


def _guide(workbook, institution, user, prefilled: bool) -> None:
    sheet = workbook.create_sheet(GUIDE_SHEET)
    for letter, width in (("A", 16), ("B", 24), ("C", 8), ("D", 100)):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, _("Peta Rencana SPBE"), font=Font(bold=True, size=14))])
    sheet.append([_("Instansi"), str(institution)])
    sheet.append([_("Dibuat"), timezone.localtime().strftime("%d-%m-%Y %H:%M"), "", str(user)])
    sheet.append([_("Isi"), _("Ekspor Peta Rencana instansi") if prefilled else _("Templat kosong")])
    sheet.append([])
    steps = [
        _("Lima lembar: Sasaran, Inisiatif, Program, Kegiatan dan Anggaran. Nama lembar dan baris judul jangan "
          "diubah; urutan kolom boleh berubah, kolom tambahan diabaikan. Lembar lain yang berisi data ditolak."),
        _("Setiap baris ditunjuk oleh kodenya: sasaran oleh kodenya dalam instansi, inisiatif oleh kode sasaran dan "
          "kodenya, program oleh kode sasaran, kode inisiatif dan kodenya, kegiatan oleh kodenya dalam instansi. "
          "Baris dengan kode yang sudah ada memperbarui data itu; kode baru menambah data. Ekspor yang diunggah "
          "ulang tanpa perubahan tidak mengubah apa pun."),
        _("Tahun-tahun kegiatan ada di lembar Anggaran (bukan kolom per tahun di lembar Kegiatan): satu baris per "
          "kegiatan dan tahun, dengan pagu, sumber, RKA, realisasi dan selesai. Tahunnya harus di antara tahun mulai "
          "dan tahun selesai kegiatan, yang berada dalam periode sasarannya."),
        _("Kolom “%(column)s” di lembar Kegiatan: objek arsitektur <jenis>:<kode> (mis. %(example)s) dipisah titik "
          "koma; objeknya harus gap (to-be baru atau pengembangan, atau as-is yang direncanakan dihentikan) di "
          "instansi ini.") % {"column": _("Gap ditutup"), "example": gap_example()},
        _("Baris yang tidak ada di berkas tidak dihapus; hapus lewat halaman atau API. Unit kerja yang terlibat "
          "diatur di halaman kegiatan."),
        _("Koordinator mengisi semua lembar. Operator OPD hanya menambah atau mengubah kegiatan OPD-nya (dan tahun "
          "serta gap-nya); baris lain yang ia ubah ditolak, baris yang tidak berubah dibiarkan."),
        _("Kolom bertanda * wajib diisi. Jangan memakai rumus; simpan sebagai .xlsx."),
        _("Unggah di SIA (Peta Rencana SPBE → Excel). Pratinjau menampilkan perubahan dan setiap masalah per lembar, "
          "baris dan kolom. Satu masalah saja: tidak ada yang disimpan."),
    ]
    sheet.append([_cell(sheet, _("Cara mengisi"), font=bold)])
    for number, step in enumerate(steps, start=1):
        sheet.append([number, _cell(sheet, step, alignment=Alignment(wrap_text=True))])
    sheet.append([])
    sheet.append([_cell(sheet, text, font=bold) for text in (_("Lembar"), _("Kolom"), _("Wajib"), _("Keterangan"))])
    for spec in SHEETS:
        for column in spec.columns:
            sheet.append([spec.title, str(column.label), _("Ya") if column.required else "", str(column.hint)])


def _sheet(workbook, spec: Sheet, rows, lists: ListBook, institution) -> None:
    sheet = workbook.create_sheet(spec.title)
    sheet.freeze_panes = "A2"
    headers = []
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        fill = REQUIRED_FILL if column.required else HEADER_FILL if column.imported else READ_ONLY_FILL
        cell = _cell(sheet, column.header, font=HEADER_FONT, fill=fill,
                     alignment=Alignment(wrap_text=True, vertical="top"))
        if column.hint:
            cell.comment = Comment(str(column.hint), "SIA", width=320, height=120)
        headers.append(cell)
    sheet.append(headers)
    for values in rows:
        sheet.append([
            _cell(sheet, value, font=READ_ONLY_FONT) if not column.imported else
            _cell(sheet, value, number_format=MONEY_FORMAT) if column.name in ("budget", "rka", "realisation") else
            _cell(sheet, value) for column, value in zip(spec.columns, values)])
    last = max(len(rows), LIST_ROWS) + 1
    for index, column in enumerate(spec.columns, start=1):
        source = lists.add(f"{spec.title}: {column.label}", _options(spec, column, institution))
        if source is None:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                    errorStyle="warning", errorTitle=_("Bukan dari daftar"),
                                    error=_("Pilih salah satu dari daftar."))
        validation.add(f"{letter}2:{letter}{last}")
        sheet.data_validations.append(validation)


def build_workbook(institution, user, *, prefill: bool = True) -> bytes:
    """The roadmap of ``institution`` as ``user`` reads it (``prefill``), or the empty template."""
    rows = export_rows(institution, user) if prefill else {}
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "SIA"
    workbook.properties.title = _("Peta Rencana SPBE")
    _guide(workbook, institution, user, prefill)
    lists = ListBook()
    for spec in SHEETS:
        _sheet(workbook, spec, rows.get(spec.key, []), lists, institution)
    lists.write(workbook)
    if prefill:
        versions = workbook.create_sheet(VERSION_SHEET)
        versions.sheet_state = "hidden"
        versions.append([_("Kode kegiatan"), _("Versi")])
        for values in rows[VERSION_KEY]:
            versions.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def download_name(institution, prefill: bool) -> str:
    kind = "ekspor" if prefill else "templat"
    return f"sia-{kind}-peta-rencana-{institution.code}-{timezone.localdate():%Y%m%d}.xlsx"
