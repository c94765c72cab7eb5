"""The stored files of a restore (evidence blobs, the instansi logo): each name is checked, each
content goes through the same check as an upload of its field (``snapshot.register_file_check``)
before anything is written, and the files are written to storage at the end of the restore's
transaction, and removed again when it fails."""

from __future__ import annotations

import hashlib
import posixpath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from .snapshot import RestoreError, file_check


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_sha256(storage, name: str) -> str:
    with storage.open(name, "rb") as stream:
        return _sha256(stream)


class StoredFiles:
    """The files one restore places: ``files`` maps a stored name to a source with ``.sha256``,
    ``.size``, ``.open()`` (verified content, from ``sia.exchange.archive``)."""

    def __init__(self, files=None):
        self.files = files or {}  # stored file name -> source with .sha256 and .open() (verified content)
        self.pending = {}  # stored file name -> (storage, source): written at the end of the transaction
        self.written = []  # (storage, name) written by this restore: removed again when it fails

    def place(self, model_field, obj, name) -> str:
        """The name under which ``name``'s content will be stored here (written at the end), checked."""
        if not name:
            return ""
        if not isinstance(name, str):
            raise RestoreError(_("Cadangan memuat nama berkas yang tidak sah."))
        try:
            expected = model_field.generate_filename(obj, posixpath.basename(name))
        except (SuspiciousFileOperation, ValueError, TypeError, AttributeError):
            expected = None
        if expected != name:
            raise RestoreError(_("Cadangan memuat nama berkas yang tidak sah: %(name)s.") % {"name": name})
        storage = model_field.storage
        source = self.files.get(name)
        if source is None:
            if storage.exists(name):
                self._check(model_field, obj, name, None)
                return name  # already here (a copy restored on the server it came from)
            raise RestoreError(_(
                "Berkas %(name)s tidak ada di cadangan maupun di penyimpanan server ini; pulihkan dari arsip .zip "
                "hasil ekspor instansi (yang memuat berkasnya)."
            ) % {"name": name})
        self._check(model_field, obj, name, source)
        if name in self.pending:
            return name
        if storage.exists(name):
            if stored_sha256(storage, name) == source.sha256:
                return name
            original = name
            while name == original or name in self.pending:  # another content under that name: keep both
                name = storage.get_available_name(original, max_length=model_field.max_length)
        self.pending[name] = (storage, source)
        return name

    def _check(self, model_field, obj, name, source) -> None:
        """Checks the content exactly as an upload of that field is checked (its validators and its
        registered check); the values the check reads from the bytes replace the archive's."""
        check = file_check(type(obj), model_field.name)
        if not model_field.validators and check is None:
            return
        stream = source.open() if source is not None else model_field.storage.open(name, "rb")
        with stream:
            upload = File(stream, name=posixpath.basename(name))
            upload.size = source.size if source is not None else model_field.storage.size(name)
            try:
                model_field.run_validators(upload)
                facts = check(upload) if check is not None else {}
            except ValidationError as error:
                member = getattr(source, "member", None)
                where = _(" (bagian %(member)s di arsip)") % {"member": member} if member else ""
                raise RestoreError(_(
                    "Berkas %(name)s%(where)s ditolak seperti unggahan biasa: %(error)s Tidak ada yang dipulihkan."
                ) % {"name": name, "where": where, "error": " ".join(error.messages)}) from error
        for attname, value in facts.items():
            setattr(obj, attname, value)

    def check_content_hash(self, model_field, name, key) -> None:
        """A blob's key must be the SHA-256 of its content: later uploads of that content reuse the blob."""
        source = self.files.get(name)
        actual = source.sha256 if source is not None else stored_sha256(model_field.storage, name)
        if actual != key:
            raise RestoreError(_("Isi berkas %(name)s tidak cocok dengan SHA-256 %(key)s di cadangan.") % {
                "name": name, "key": key})

    def write(self) -> None:
        """Writes the pending files to storage (inside the restore's transaction)."""
        for name, (storage, source) in self.pending.items():
            with source.open() as stream:
                saved = storage.save(name, File(stream, name=posixpath.basename(name)))
            self.written.append((storage, saved))
            if saved != name:
                raise RestoreError(_("Berkas %(name)s muncul di penyimpanan selama pemulihan; ulangi.") % {"name": name})

    def remove_written(self) -> None:
        for storage, name in self.written:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - best effort; the rows pointing to it were rolled back
                pass
        self.written = []
