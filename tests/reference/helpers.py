"""Builders for reference tests: uploads in memory, nodes of the version in force."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from sia.reference.models import ReferenceNode

RAB_SAMPLE = """code,name,description
RAB.09,Pemerintahan Umum,
RAB.09.06,Aparatur Negara,
RAB.09.06.06,Penyelenggaraan Kearsipan,
RAB.09.06.07,Pengelolaan Arsip Élektronik,contoh baris baru
"""


def csv_upload(text: str, name: str = "rab.csv", encoding: str = "utf-8", bom: bool = False) -> SimpleUploadedFile:
    content = text.encode(encoding)
    if bom:
        content = b"\xef\xbb\xbf" + content
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_upload(rows, name: str = "rab.xlsx", sheet: str = "Sheet") -> SimpleUploadedFile:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def node(code: str) -> ReferenceNode:
    """A national node of the version in force."""
    return ReferenceNode.objects.current().get(code=code, institution__isnull=True)


def own_node(parent: ReferenceNode, institution, code: str, name: str = "Pengelolaan Arsip Dinamis") -> ReferenceNode:
    child = ReferenceNode(version=parent.version, parent=parent, institution=institution, code=code, name=name)
    child.full_clean()
    child.save()
    return child


def rezip(upload, *, replace=None, add=None, name=None) -> SimpleUploadedFile:
    """A copy of an .xlsx upload with some members replaced or added (for hostile workbooks)."""
    import zipfile

    upload.seek(0)
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for member, data in (add or {}).items():
            target.writestr(member, data)
    return SimpleUploadedFile(name or upload.name, buffer.getvalue())


def mapped_process(department, reference, name="Pengelolaan arsip", **extra):
    """A proses bisnis of ``department`` mapped to ``reference`` (draft unless ``status`` is given)."""
    from sia.architecture.models import BusinessProcess

    return BusinessProcess.objects.create(department=department, name=name, reference=reference, **extra)
