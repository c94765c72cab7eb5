"""Stored files by path: only the public-to-members folder ``logos/``, nothing else under MEDIA_ROOT.

Every other uploaded file (evidence, import workbooks) is served only by the view of its object,
which resolves the object and asks ``sia.core.permissions`` first. The path is checked after it has
been decoded and normalised; anything that would leave ``MEDIA_ROOT/logos`` (``..``, an absolute
path, a backslash, a symlink pointing elsewhere) is a 404, as is anything that is not a PNG or JPEG.
"""

from __future__ import annotations

from pathlib import Path

import filetype
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from sia.core.validators import IMAGE_MIMES

PUBLIC_FOLDER = "logos"


def public_file_path(path: str, folder: str = PUBLIC_FOLDER) -> Path:
    """The file ``path`` names inside ``MEDIA_ROOT/<folder>``; raises Http404 for anything else.

    ``path`` is relative to the folder and already URL-decoded once (as Django hands it over); a
    ``%`` left in it (double encoding) is refused rather than decoded again."""
    if not path or any(char in path for char in ("\\", "\x00", "%", ":")) or path.startswith("/"):
        raise Http404
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise Http404
    root = (Path(settings.MEDIA_ROOT) / folder).resolve()
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        raise Http404 from None
    # A symlink (of the file or of a folder on the way) may only point inside the folder.
    if not resolved.is_relative_to(root) or not resolved.is_file():
        raise Http404
    return resolved


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
    """A logo (PNG or JPEG) from ``MEDIA_ROOT/logos``, shown inline with its real content type."""
    resolved = public_file_path(path)
    handle = resolved.open("rb")
    kind = filetype.guess(handle.read(8192))
    handle.seek(0)
    if kind is None or kind.mime not in IMAGE_MIMES:
        handle.close()
        raise Http404
    return stored_file_response(handle, mime=kind.mime, filename=resolved.name, inline=True)
