"""What SIA's background jobs (django-tasks) share: the requester's lock and cap on pending jobs, and the progress
a job reports while its work is still inside one transaction.

A job that writes in one transaction (an Excel commit, an instansi restore) cannot report its progress on its own
row: other connections do not see the row change before the transaction ends (and on SQLite the transaction holds
the write lock). It writes a small JSON file of the default storage instead (overwritten as it goes), which every
application server reads, like the uploaded files; the row gets the final figures when the job ends.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def hold_requester(user) -> None:
    """Locks the requester's row (PostgreSQL; SQLite serialises writers anyway) inside the caller's transaction, so
    that two requests of one user at once see each other's job: one reuses the other's, the cap holds."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def write_progress(name: str, **figures) -> None:
    """Replaces the progress file ``name`` with ``figures`` (JSON)."""
    data = json.dumps(figures).encode()
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def read_progress(name: str) -> dict | None:
    """The figures last written to ``name``; None when none were written yet (or the file is being replaced)."""
    try:
        with default_storage.open(name, "rb") as stream:
            found = json.loads(stream.read().decode())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def clear_progress(name: str) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
