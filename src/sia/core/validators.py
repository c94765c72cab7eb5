"""Upload checks by content, size and name; shared by every file field and importer."""

from __future__ import annotations

import os
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    if size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": _human(size), "limit": _human(max_bytes)}
        )
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


IMAGE_MIMES = {"image/png": {"png"}, "image/jpeg": {"jpg", "jpeg"}}


def validate_image_upload(upload) -> None:
    if getattr(upload, "_committed", False) and not hasattr(upload, "content_type"):
        return  # an already stored file, not a new upload
    check_upload(upload, allowed_mimes=IMAGE_MIMES, max_bytes=settings.SIA_LOGO_MAX_BYTES)
