"""Files SIA keeps between two requests (a previewed upload waiting for its commit), in Django's default storage.

Never a path under MEDIA_ROOT: the default storage is the file system of one server or an S3-compatible bucket
shared by several (``SIA_MEDIA_STORAGE=s3``), so a file previewed on one application server is read back on
another. Names are content-addressed (a SHA-256), so two writers of one name write the same bytes.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone


def save_bytes(name: str, content: bytes) -> str:
    """Stores ``content`` under ``name`` (kept when already there: the name says the content) and returns it."""
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # another process stored the same name meanwhile: keep theirs, drop the renamed copy
        default_storage.delete(saved)
    return name


def read_bytes(name: str) -> bytes | None:
    """The stored content of ``name``, or None when nothing is stored under it."""
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as stream:
            return stream.read()
    except FileNotFoundError:
        return None


def delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except FileNotFoundError:
        pass


def modified_before(name: str, seconds: float) -> bool:
    """Whether the stored file was last written more than ``seconds`` ago (False when it is gone)."""
    try:
        return default_storage.get_modified_time(name) < timezone.now() - timedelta(seconds=seconds)
    except (FileNotFoundError, OSError):
        return False


def names_in(folder: str, suffix: str = "") -> list[str]:
    """The stored names directly in ``folder`` ending with ``suffix`` (none when the folder does not exist)."""
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [f"{folder}/{name}" for name in files if name.endswith(suffix) and not name.startswith(".")]


def remove_older_than(folder: str, seconds: float, suffix: str = "") -> int:
    """Deletes the files of ``folder`` (ending with ``suffix``) written more than ``seconds`` ago; how many."""
    removed = 0
    for name in names_in(folder, suffix):
        if modified_before(name, seconds):
            delete(name)
            removed += 1
    return removed
