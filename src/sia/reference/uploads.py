"""Keeps an uploaded catalog file between its preview and its publication.

The file is stored under ``MEDIA_ROOT/tmp/reference-import/`` named by its SHA-256 (the token
the preview form carries), so a token names nothing but a file the server wrote itself. Files
older than a day are removed at the next upload.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

TOKEN = re.compile(r"^[0-9a-f]{64}$")
MAX_AGE_SECONDS = 24 * 60 * 60


def _directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "tmp" / "reference-import"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(upload, file_hash: str) -> str:
    if not TOKEN.match(file_hash or ""):
        raise ValueError("not a SHA-256 hex digest")
    directory = _directory()
    _remove_stale(directory)
    upload.seek(0)
    target = directory / file_hash
    temporary = directory / f".{file_hash}.{os.getpid()}"
    temporary.write_bytes(upload.read())
    temporary.replace(target)
    return file_hash


def load_upload(token: str, filename: str) -> SimpleUploadedFile | None:
    if not TOKEN.match(token or ""):
        return None
    path = _directory() / token
    if not path.exists():
        return None
    return SimpleUploadedFile(os.path.basename(filename or "") or "impor.csv", path.read_bytes())


def discard_upload(token: str) -> None:
    if TOKEN.match(token or ""):
        (_directory() / token).unlink(missing_ok=True)


def _remove_stale(directory: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
