"""Stored files as a test sees them: through the default storage (a folder, or InMemoryStorage with
SIA_TEST_MEDIA_STORAGE=memory), never by path."""

from django.core.files.storage import default_storage, storages
from django.utils.functional import empty


def stored_names(folder: str = "") -> list[str]:
    """Every stored name under ``folder``, sorted."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names += stored_names(prefix + sub)
    return sorted(names)


def fresh_storage() -> None:
    """The default storage of another server (Django renews it by itself only when STORAGES changes)."""
    storages._storages = {}
    default_storage._wrapped = empty
