"""Evidence files: checked by content, stored once per SHA-256, named per the Ministry's convention.

Accepted: PDF, PNG/JPEG images and Office Open XML / OpenDocument files (docx, xlsx, pptx, odt, ods,
odp), recognised from their bytes (``filetype``), with an extension that matches the content. Refused:
programs (Windows PE "MZ", ELF, Mach-O, scripts with "#!") whatever their extension, the legacy OLE
Office formats (.doc/.xls/.ppt: they carry macros and cannot be told apart reliably; save as PDF or
the newer formats), Office files with macros (a ``vbaProject.bin`` part: a .docm renamed .docx),
Office files whose ZIP cannot be read, empty files and files above ``settings.SIA_EVIDENCE_MAX_BYTES``.
A refused file leaves nothing behind: checks run before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from unidecode import unidecode

from sia.core.validators import check_upload, safe_name, size_problem
from sia.core.views.media import stored_file_response

from .models import Evidence, EvidenceFile

OFFICE_ZIP_MIMES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}

OOXML = "application/vnd.openxmlformats-officedocument"
ALLOWED_MIMES = {
    "application/pdf": {"pdf"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    f"{OOXML}.wordprocessingml.document": {"docx"},
    f"{OOXML}.spreadsheetml.sheet": {"xlsx"},
    f"{OOXML}.presentationml.presentation": {"pptx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "application/vnd.oasis.opendocument.presentation": {"odp"},
}
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows PE (.exe, .dll)
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",  # macOS
    b"#!",  # scripts
)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _head(upload, size: int = 16) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(size)
    upload.seek(position)
    return head


def _check_office_macros(upload) -> None:
    """Refuses Office files that carry macros (``vbaProject.bin``) or whose ZIP cannot be read."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            content_types = b""
            if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size <= 1024 * 1024:
                content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError, ValueError):
        raise ValidationError(
            _("Berkas Office ini rusak atau tidak dapat dibaca; simpan ulang lalu unggah kembali.")
        ) from None
    finally:
        upload.seek(position)
    lowered = content_types.lower()
    if (
        any(os.path.basename(name).lower() == "vbaproject.bin" for name in names)
        or b"vbaproject" in lowered or b"macroenabled" in lowered
    ):
        raise ValidationError(
            _("Berkas Office ini berisi makro (vbaProject.bin) dan tidak diterima sebagai bukti dukung; simpan "
              "sebagai PDF atau sebagai dokumen tanpa makro (.docx, .xlsx, .pptx).")
        )


def check_evidence_upload(upload) -> str:
    """Validates an evidence file and returns its MIME type read from the content."""
    upload.name = safe_name(upload.name)
    size = getattr(upload, "size", 0) or 0
    if size:
        problem = size_problem(size, settings.SIA_EVIDENCE_MAX_BYTES)
        if problem:
            raise ValidationError(problem)
        head = _head(upload)
        if head.startswith(EXECUTABLE_SIGNATURES):
            raise ValidationError(
                _("Berkas ini adalah program yang dapat dijalankan dan tidak diterima sebagai bukti dukung, "
                  "apa pun ekstensinya.")
            )
        if head.startswith(OLE_SIGNATURE):
            raise ValidationError(
                _("Format Office lama (.doc, .xls, .ppt) tidak diterima; simpan sebagai PDF atau sebagai "
                  ".docx, .xlsx, .pptx.")
            )
    mime = check_upload(upload, allowed_mimes=ALLOWED_MIMES, max_bytes=settings.SIA_EVIDENCE_MAX_BYTES)
    if mime in OFFICE_ZIP_MIMES:
        _check_office_macros(upload)
    return mime


def download_response(evidence):
    """The evidence file as an attachment whose content type is one the upload check accepts (the
    blob's checked type; anything else, e.g. a row written by hand, goes out as octet-stream)."""
    mime = evidence.blob.mime if evidence.blob.mime in ALLOWED_MIMES else "application/octet-stream"
    return stored_file_response(evidence.blob.file.open("rb"), mime=mime,
                                filename=evidence.file_name or evidence.original_name or os.path.basename(
                                    evidence.blob.file.name))


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _letters(position: int) -> str:
    """0 → a, 1 → b, …, 25 → z, 26 → aa."""
    text = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def suggested_file_name(indicator_number: int, position: int, title: str, extension: str) -> str:
    """The Ministry's naming of evidence files: ``Indikator11a-<judul>.pdf`` (a, b, c … per indicator)."""
    words = re.findall(r"[A-Za-z0-9]+", unidecode(title or ""))
    judul = "_".join(words)[:80].strip("_") or "Bukti_Dukung"
    extension = extension.lower().lstrip(".")
    return f"Indikator{indicator_number}{_letters(position)}-{judul}.{extension}"


def store_blob(upload, mime: str) -> tuple[EvidenceFile, bool]:
    """The stored file with this content, written now if it is new: (blob, created)."""
    digest = sha256_of(upload)
    existing = EvidenceFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    blob = EvidenceFile(sha256=digest, size=upload.size, mime=mime)
    extension = os.path.splitext(upload.name)[1].lower()
    blob.file.save(f"{digest}{extension}", upload, save=False)
    try:
        with transaction.atomic():
            blob.save()
    except IntegrityError:  # stored meanwhile by a parallel upload of the same content
        blob.file.storage.delete(blob.file.name)
        return EvidenceFile.objects.get(sha256=digest), False
    return blob, True


def _position(letters: str) -> int:
    """The inverse of ``_letters``: a → 0, z → 25, aa → 26."""
    position = 0
    for char in letters:
        position = position * 26 + (ord(char) - ord("a") + 1)
    return position - 1


def _used_names(assessment, indicator) -> set[str]:
    """Every suggested name the indicator's evidence in the assessment has had, deleted ones included."""
    names = set(
        Evidence.objects.filter(assessment=assessment, indicator=indicator).exclude(file_name="")
        .values_list("file_name", flat=True)
    )
    names.update(
        Evidence.history.filter(assessment_id=assessment.pk, indicator_id=indicator.pk).exclude(file_name="")
        .values_list("file_name", flat=True)
    )
    return names


def _next_position(assessment, indicator, used: set[str] | None = None) -> int:
    """The letter after the highest ever used for the indicator in the assessment (never one given before)."""
    used = _used_names(assessment, indicator) if used is None else used
    pattern = re.compile(rf"^Indikator{indicator.number}([a-z]+)-")
    positions = [_position(match.group(1)) for match in map(pattern.match, used) if match]
    return max(positions) + 1 if positions else 0


def next_file_name(assessment, indicator, title: str, extension: str) -> str:
    """The suggested name for a new file of the indicator: next letter, and never a name given before."""
    used = _used_names(assessment, indicator)
    position = _next_position(assessment, indicator, used)
    name = suggested_file_name(indicator.number, position, title, extension)
    while name in used:  # pragma: no cover - only if a name was given outside the convention
        position += 1
        name = suggested_file_name(indicator.number, position, title, extension)
    return name


def attach_file(assessment, indicator, upload, *, user, title: str = "", item=None) -> Evidence:
    """Checks, stores (once per content) and attaches a file to the indicator in the current stage.

    ``item``: optionally one of the indicator's evidence items (``EvidenceItem``, 8/2026), checked by
    ``Evidence.clean`` (an item of another indicator or instrument is refused naming its code, nothing stored).
    """
    mime = check_evidence_upload(upload)
    original = os.path.basename(upload.name)
    evidence = Evidence(
        assessment=assessment, indicator=indicator, stage=assessment.current_stage,
        title=(title or os.path.splitext(original)[0]).strip()[:200], original_name=original, added_by=user,
        item=item,
    )
    evidence.full_clean(exclude=["blob"])  # the stage must be open before anything is written
    created, blob = False, None
    try:
        with transaction.atomic():
            blob, created = store_blob(upload, mime)
            if Evidence.objects.filter(assessment=assessment, indicator=indicator, blob=blob).exists():
                raise ValidationError(
                    {"blob": _("Berkas yang sama sudah dilampirkan pada indikator %(n)s.") % {"n": indicator.number}}
                )
            evidence.blob = blob
            evidence.file_name = next_file_name(assessment, indicator, evidence.title, os.path.splitext(original)[1])
            evidence.full_clean()
            evidence.save()
    except Exception:
        if created and blob is not None:
            blob.file.storage.delete(blob.file.name)
        raise
    return evidence


def attach_url(assessment, indicator, url: str, *, user, title: str = "", item=None) -> Evidence:
    """Attaches a link to the indicator in the current stage (optionally on one of its evidence items)."""
    evidence = Evidence(
        assessment=assessment, indicator=indicator, stage=assessment.current_stage, url=url.strip(),
        title=(title or url).strip()[:200], added_by=user, item=item,
    )
    evidence.full_clean()
    evidence.save()
    return evidence
