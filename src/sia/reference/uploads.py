"""Keeps an uploaded catalog file between its preview and its publication.

The file is kept in the default storage as ``tmp/reference-import/<sha256>`` (the token the preview form carries),
so a token names nothing but a file the server wrote itself, and any application server reads it back. Files
older than a day are removed at the next upload.
"""

from __future__ import annotations

import os
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from sia.core import stored_files

TOKEN = re.compile(r"^[0-9a-f]{64}$")
MAX_AGE_SECONDS = 24 * 60 * 60
FOLDER = "tmp/reference-import"


def stored_name(token: str) -> str:
    return f"{FOLDER}/{token}"


def store_upload(upload, file_hash: str) -> str:
    if not TOKEN.match(file_hash or ""):
        raise ValueError("not a SHA-256 hex digest")
    stored_files.remove_older_than(FOLDER, MAX_AGE_SECONDS)
    upload.seek(0)
    stored_files.save_bytes(stored_name(file_hash), upload.read())
    return file_hash


def load_upload(token: str, filename: str) -> SimpleUploadedFile | None:
    if not TOKEN.match(token or ""):
        return None
    content = stored_files.read_bytes(stored_name(token))
    if content is None:
        return None
    return SimpleUploadedFile(os.path.basename(filename or "") or "impor.csv", content)


def discard_upload(token: str) -> None:
    if TOKEN.match(token or ""):
        stored_files.delete(stored_name(token))
