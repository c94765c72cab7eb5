"""``collectstatic`` only when the static sources changed since the last collection into STATIC_ROOT.

``sia serve`` collects at every start: with WhiteNoise's compressed manifest storage that hashes and compresses
every file again (about 10 s of CPU on a 2-core machine; 20-40 s before the plain copies and the source maps were
left uncompressed, see WHITENOISE_* in the settings) although nothing changed since the last start. The sources are
fingerprinted (each file every finder lists, with its size and modification time, and the storage in use) and the
fingerprint is written beside the collected files: the next start compares and skips when they are the same and the
manifest is still there.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings

STAMP = "sia-static-sources.txt"
IGNORE = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns


def sources_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    stored = [getattr(settings, name, None) for name in ("WHITENOISE_KEEP_ONLY_HASHED_FILES",
                                                          "WHITENOISE_SKIP_COMPRESS_EXTENSIONS")]
    digest.update(repr((settings.STORAGES.get("staticfiles"), str(settings.STATIC_URL), stored)).encode())
    entries = set()
    for finder in get_finders():
        for path, storage in finder.list(IGNORE):
            prefix = getattr(storage, "prefix", None) or ""
            stat = os.stat(storage.path(path))
            entries.add((os.path.join(prefix, path), stat.st_size, stat.st_mtime_ns))
    for entry in sorted(entries):
        digest.update(repr(entry).encode())
    return digest.hexdigest()


def stamp_path() -> Path:
    return Path(settings.STATIC_ROOT) / STAMP


def up_to_date(fingerprint: str) -> bool:
    from django.contrib.staticfiles.storage import staticfiles_storage

    stamp = stamp_path()
    if not stamp.is_file() or stamp.read_text().strip() != fingerprint:
        return False
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    return manifest is None or (Path(settings.STATIC_ROOT) / manifest).is_file()


def collect_static() -> bool:
    """Collects when needed; True when it did."""
    from django.core.management import call_command

    fingerprint = sources_fingerprint()
    if up_to_date(fingerprint):
        return False
    stamp = stamp_path()
    stamp.unlink(missing_ok=True)  # an interrupted collection is done again at the next start
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint + "\n")
    return True
