"""An instansi as one self-contained .zip, to move it between servers and databases with nothing lost.

The archive holds ``snapshot.json`` (``snapshot_export.export_institution``'s document plus ``files``, a map
from each stored file's name to the SHA-256 of its content) and ``files/<sha256>`` for every stored
file the instansi needs: the evidence blobs of its assessments and its logo (every ``FileField`` of a
row in the snapshot). ``restore_archive`` checks the whole archive first (members, sizes, every
file's SHA-256, the document) and refuses a corrupt one with nothing written; the restore then
writes the files to storage inside its transaction, and removes them again when it fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from .snapshot import RestoreError, sections
from .snapshot_export import ExportError, export_with_files
from .snapshot_restore import RestoreResult, restore_institution

SNAPSHOT_MEMBER = "snapshot.json"
FILES_PREFIX = "files/"
FILE_MEMBER = re.compile(r"^files/([0-9a-f]{64})$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DEFAULT_MAX_SNAPSHOT = 512 * 1024 * 1024  # snapshot.json is parsed in memory
CHUNK = 1024 * 1024


@dataclass
class ArchiveSummary:
    rows: int
    files: int
    file_bytes: int


@dataclass
class _Source:
    """A verified file of an open archive: what the restore reads to write it to storage."""

    archive: zipfile.ZipFile
    member: str
    sha256: str
    size: int

    def open(self):
        return self.archive.open(self.member)


def _digest(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- export ---------------------------------------------------------------------------------------
def _quiet(percent: int, stage: str) -> None:
    """No one follows the progress (the command line, a request)."""


def snapshot_rows(institution) -> int:
    """How many rows the archive of ``institution`` holds (one count per section): what bounds a direct download."""
    return sum(section.rows(institution).count() for section in sections())


def write_archive(institution, target, *, credentials: bool = False, user=None, progress=_quiet) -> ArchiveSummary:
    """Writes the archive of ``institution`` to ``target`` (a binary file object); raises ExportError
    (before writing anything) when a stored file the instansi needs is missing, or when ``user`` (who
    asks for it; None: the server's operator) may not see all of the instansi. ``progress(percent, stage)`` is
    told how far it has come (a background job's report): reading the rows is the first half, the files the rest."""
    reading = _("Membaca data instansi")
    document, files = export_with_files(institution, credentials=credentials, user=user,
                                        progress=lambda done, total: progress(45 * done // max(total, 1), reading))
    manifest, sizes, missing = {}, {}, []
    checking = _("Memeriksa berkas tersimpan")
    for index, (name, model_field) in enumerate(sorted(files.items())):
        progress(45 + 15 * index // max(len(files), 1), checking)
        try:
            with model_field.storage.open(name, "rb") as stream:
                manifest[name] = _digest(stream)
                sizes[name] = stream.tell()
        except OSError:
            missing.append(name)
    if missing:
        raise ExportError(_(
            "Berkas berikut tidak ada di penyimpanan server ini, sehingga ekspornya tidak akan lengkap: "
            "%(names)s. Kembalikan berkasnya (dari cadangan MEDIA_ROOT) lalu ulangi."
        ) % {"names": ", ".join(missing[:20])})
    written, total, everything = set(), 0, max(sum(sizes.values()), 1)
    packing = _("Menulis arsip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, sha256 in manifest.items():
            progress(60 + 35 * total // everything, packing)
            member = FILES_PREFIX + sha256
            if member in written:
                continue
            # Stored, not deflated: evidence is mostly PDF and images, already compressed.
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            with files[name].storage.open(name, "rb") as stream, archive.open(
                info, "w", force_zip64=sizes[name] > 2**31
            ) as out:
                shutil.copyfileobj(stream, out, CHUNK)
            written.add(member)
            total += sizes[name]
        document["files"] = manifest
        progress(95, packing)
        archive.writestr(SNAPSHOT_MEMBER, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False))
    rows = sum(len(rows) for rows in document["sections"].values())
    return ArchiveSummary(rows=rows, files=len(written), file_bytes=total)


def export_archive(institution, *, credentials: bool = False, user=None) -> bytes:
    """The archive of ``institution`` as bytes (see ``write_archive`` for large instansi)."""
    output = io.BytesIO()
    write_archive(institution, output, credentials=credentials, user=user)
    return output.getvalue()


# --- restore --------------------------------------------------------------------------------------
def _corrupt(detail: str) -> RestoreError:
    return RestoreError(_("Arsip cadangan rusak atau telah diubah: %(detail)s. Tidak ada yang dipulihkan.") % {
        "detail": detail})


def _open_zip(source) -> zipfile.ZipFile:
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise RestoreError(_("Berkas bukan arsip cadangan instansi SIA (.zip) yang utuh."))


def read_archive(archive: zipfile.ZipFile, progress=_quiet) -> tuple[dict, dict]:
    """The document and ``{stored name: source}`` of an archive, after checking all of it."""
    members = archive.infolist()
    checking = _("Memeriksa arsip")
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        raise _corrupt(_("nama bagian ganda"))
    strange = [name for name in names if name != SNAPSHOT_MEMBER and not FILE_MEMBER.match(name)]
    if strange:
        raise _corrupt(_("bagian yang tidak dikenal (%(names)s)") % {"names": ", ".join(strange[:5])})
    if SNAPSHOT_MEMBER not in names:
        raise RestoreError(_("Arsip ini tidak memuat %(name)s; bukan cadangan instansi SIA.") % {"name": SNAPSHOT_MEMBER})
    if any(member.flag_bits & 0x1 for member in members):
        raise _corrupt(_("bagian terenkripsi"))
    snapshot = archive.getinfo(SNAPSHOT_MEMBER)
    limit = getattr(settings, "SIA_RESTORE_MAX_SNAPSHOT_BYTES", DEFAULT_MAX_SNAPSHOT)
    if snapshot.file_size > limit:
        raise RestoreError(_("%(name)s terlalu besar (%(size)d MB; batasnya %(limit)d MB).") % {
            "name": SNAPSHOT_MEMBER, "size": snapshot.file_size // 2**20, "limit": limit // 2**20})
    verified = {}
    try:
        for index, member in enumerate(members):
            progress(30 * index // max(len(members), 1), checking)
            match = FILE_MEMBER.match(member.filename)
            if not match:
                continue
            with archive.open(member) as stream:
                actual = _digest(stream)  # zipfile also checks the CRC and the declared size
            if actual != match.group(1):
                raise _corrupt(_("isi %(name)s tidak cocok dengan SHA-256-nya") % {"name": member.filename})
            verified[actual] = member
        document = json.loads(archive.read(SNAPSHOT_MEMBER).decode("utf-8"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as error:
        raise _corrupt(str(error))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _corrupt(_("%(name)s bukan JSON (%(error)s)") % {"name": SNAPSHOT_MEMBER, "error": error})
    if not isinstance(document, dict):
        raise _corrupt(_("%(name)s bukan objek JSON") % {"name": SNAPSHOT_MEMBER})
    manifest = document.get("files", {})
    if not isinstance(manifest, dict):
        raise _corrupt(_("daftar berkas tidak sah"))
    files = {}
    for name, sha256 in manifest.items():
        if not isinstance(sha256, str) or not SHA256.match(sha256):
            raise _corrupt(_("SHA-256 berkas %(name)s tidak sah") % {"name": name})
        member = verified.get(sha256)
        if member is None:
            raise _corrupt(_("berkas %(name)s tidak ada di arsip") % {"name": name})
        files[name] = _Source(archive, member.filename, sha256, member.file_size)
    return document, files


def restore_archive(source, *, user=None, code: str | None = None, name: str | None = None,
                    accept_password_hashes: bool = False, confirm_users: bool = False,
                    progress=_quiet) -> RestoreResult:
    """Recreates an instansi with its stored files from an archive (bytes, a path or a binary file).

    Checks everything first; raises RestoreError (nothing written), or UsersNeedConfirmation when
    existing accounts would be matched and ``confirm_users`` is not set. See ``restore_institution``.
    ``progress(percent, stage)``: checking the archive is the first 30 %, each section restored the rest (told
    inside the restore's transaction: it must not write to the database).
    """
    restoring = _("Memulihkan data")
    with _open_zip(source) as archive:
        document, files = read_archive(archive, progress)
        return restore_institution(
            document, user=user, code=code, name=name, files=files, accept_password_hashes=accept_password_hashes,
            confirm_users=confirm_users, progress=lambda done, total: progress(30 + 65 * done // max(total, 1),
                                                                               restoring))


def unpacked_bytes(source) -> int:
    """The size of an archive once unpacked (its directory only, nothing read): what bounds a direct restore."""
    try:
        with zipfile.ZipFile(source) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return 0  # not an archive: the restore says so
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def is_archive(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")
