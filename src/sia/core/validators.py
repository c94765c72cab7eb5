"""Upload checks by content, size and name; shared by every file field and importer."""

from __future__ import annotations

import os
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from unidecode import unidecode

SAFE_NAME = re.compile(r"^[\w\-. ()]+$", re.UNICODE)


def check_upload(upload, *, allowed_mimes: dict[str, set[str]], max_bytes: int) -> str:
    """Validates an uploaded file and returns its MIME type as read from its content.

    ``allowed_mimes`` maps a MIME type to the extensions that may carry it.
    """
    name = os.path.basename(getattr(upload, "name", "") or "")
    if not name or not SAFE_NAME.match(name) or name.startswith("."):
        raise ValidationError(_("Nama berkas tidak sah: gunakan huruf, angka, spasi, titik, minus atau garis bawah."))
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(_("Berkas kosong."))
    problem = size_problem(size, max_bytes)
    if problem:
        raise ValidationError(problem)
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if mime not in allowed_mimes:
        raise ValidationError(
            _("Isi berkas tidak sesuai jenis yang diizinkan (%(allowed)s).")
            % {"allowed": ", ".join(sorted({e for exts in allowed_mimes.values() for e in exts}))}
        )
    if extension not in allowed_mimes[mime]:
        raise ValidationError(_("Ekstensi .%(ext)s tidak cocok dengan isi berkas.") % {"ext": extension})
    return mime


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB"


def size_problem(size: int, limit: int) -> str | None:
    """The "too large" message; exact bytes when the rounded sizes would read the same (20.0 MB vs 20.0 MB)."""
    if size <= limit:
        return None
    shown, allowed = _human(size), _human(limit)
    if shown == allowed:
        shown = _("%(n)s bita") % {"n": number_format(size, force_grouping=True)}
        allowed = _("%(n)s bita") % {"n": number_format(limit, force_grouping=True)}
    return _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.") % {"size": shown, "limit": allowed}


def file_input_attrs(*, max_bytes: int, extensions) -> dict:
    """Attributes of a file input for ``sia/forms.js``, which refuses a file in the browser (nothing is
    sent) by the rules ``check_upload`` applies on the server: the same limit, the same extensions and
    the same "too large" message."""
    extensions = sorted({e.lower().lstrip(".") for e in extensions})
    return {
        "accept": ",".join(f".{e}" for e in extensions),
        "data-max-bytes": str(max_bytes),
        "data-size-message": _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
        % {"size": "{size}", "limit": _human(max_bytes)} + " " + _("Berkas belum dikirim."),
        "data-type-message": _("Jenis berkas {name} tidak diizinkan; pilih %(allowed)s.")
        % {"allowed": ", ".join(extensions)} + " " + _("Berkas belum dikirim."),
    }


def safe_name(name: str, fallback: str = "berkas") -> str:
    """The base name of an uploaded file with characters the upload check refuses replaced by ``_``
    (``C:\\Isian, final [2].xlsx`` → ``Isian_ final _2_.xlsx``), transliterated, at most 200 characters."""
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    cleaned = re.sub(r"[^\w\-. ()]", "_", unidecode(base)).lstrip(".")
    return cleaned[-200:] or fallback


IMAGE_MIMES = {"image/png": {"png"}, "image/jpeg": {"jpg", "jpeg"}}


def validate_image_upload(upload) -> None:
    if getattr(upload, "_committed", False) and not hasattr(upload, "content_type"):
        return  # an already stored file, not a new upload
    check_upload(upload, allowed_mimes=IMAGE_MIMES, max_bytes=settings.SIA_LOGO_MAX_BYTES)
