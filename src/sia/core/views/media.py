"""Stored files by path: only the public-to-members folder ``logos/`` of the default storage, nothing else.

Every other uploaded file (evidence, import workbooks) is served only by the view of its object,
which resolves the object and asks ``sia.core.permissions`` first. The path is checked after it has
been decoded and normalised; anything that would leave ``logos/`` (``..``, an absolute path, a backslash,
on a file system storage a symlink pointing elsewhere) is a 404, as is anything that is not a PNG or JPEG.
The file is read through Django's storage API (the file system or an S3-compatible bucket alike) and sent by
SIA itself: a bucket's URL, signed or not, is never handed out.
"""

from __future__ import annotations

from pathlib import Path

import filetype
from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404

from sia.core.validators import IMAGE_MIMES

PUBLIC_FOLDER = "logos"


def public_file_name(path: str, folder: str = PUBLIC_FOLDER) -> str:
    """The stored name of the file ``path`` names inside ``<folder>/``; raises Http404 for anything else.

    ``path`` is relative to the folder and already URL-decoded once (as Django hands it over); a
    ``%`` left in it (double encoding) is refused rather than decoded again."""
    if not path or any(char in path for char in ("\\", "\x00", "%", ":")) or path.startswith("/"):
        raise Http404
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise Http404
    name = "/".join((folder, *parts))
    try:
        found = default_storage.exists(name)
    except Exception:  # a name the storage refuses (SuspiciousFileOperation, an unreadable folder)
        raise Http404 from None
    if not found:
        raise Http404
    if isinstance(default_storage, FileSystemStorage):
        # A symlink (of the file or of a folder on the way) may only point inside the folder.
        root = Path(default_storage.path(folder)).resolve()
        try:
            resolved = Path(default_storage.path(name)).resolve(strict=True)
        except (OSError, RuntimeError):
            raise Http404 from None
        if not resolved.is_relative_to(root) or not resolved.is_file():
            raise Http404
    return name


def stored_file_response(handle, *, mime: str, filename: str, inline: bool = False) -> FileResponse:
    """A download of a stored, checked file: the content type is the one its check found (never
    guessed from the name), ``attachment`` unless ``inline`` (only for PDF and images), ``nosniff``
    and a sandboxing CSP so that nothing in it runs even when a browser renders it."""
    inline = inline and (mime == "application/pdf" or mime in IMAGE_MIMES)
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def public_media(request, path):
    """A logo (PNG or JPEG) from ``logos/`` of the default storage, shown inline with its real content type."""
    name = public_file_name(path)
    try:
        handle = default_storage.open(name, "rb")
    except (OSError, IsADirectoryError):
        raise Http404 from None
    kind = filetype.guess(handle.read(8192))
    handle.seek(0)
    if kind is None or kind.mime not in IMAGE_MIMES:
        handle.close()
        raise Http404
    return stored_file_response(handle, mime=kind.mime, filename=name.rsplit("/", 1)[-1], inline=True)
