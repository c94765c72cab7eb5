"""A document's file: checked and stored exactly as evaluation evidence is (``sia.evaluation.uploads``: content,
size, name; stored once per SHA-256 as an ``EvidenceFile``), so that attaching it as evidence uses the same stored
file; downloaded through the document's permission check."""

from __future__ import annotations

import os

from django.db import transaction

from sia.core.views.media import stored_file_response
from sia.evaluation.models import EvidenceFile
from sia.evaluation.uploads import ALLOWED_MIMES, check_evidence_upload, store_blob

from .models import PolicyDocument


def check_file(upload) -> str:
    """The evidence check (``ValidationError`` with its message); the MIME type read from the content."""
    return check_evidence_upload(upload)


def save_document(document: PolicyDocument, *, upload=None, indicators=None) -> PolicyDocument:
    """Saves ``document`` (already validated by its form or serializer) with its new file ``upload`` if any and its
    ``indicators`` (None: unchanged; a new document given none gets the defaults of its type,
    ``sia.governance.defaults``). The file is checked before anything is written; a stored file it replaces is
    dropped when nothing else uses it; on any error nothing stays, the newly stored file neither."""
    from .defaults import default_indicators

    mime = check_file(upload) if upload is not None else None
    creating, previous = document.pk is None, document.blob_id
    blob, created = None, False
    try:
        with transaction.atomic():
            if upload is not None:
                blob, created = store_blob(upload, mime)
                document.blob = blob
                document.original_name = os.path.basename(upload.name)[:255]
            document._pending_upload = False
            document.full_clean()
            document.save()
            if indicators is not None and (list(indicators) or not creating):
                document.indicators.set(indicators)
            elif creating:
                document.indicators.set(default_indicators(document.type))
            if previous is not None and previous != document.blob_id:
                drop_if_unused(previous)
    except Exception:
        if created and blob is not None:
            blob.file.storage.delete(blob.file.name)
        raise
    return document


def drop_if_unused(blob_id) -> None:
    """A stored file that no evidence and no document links to any more is deleted (the file after the commit)."""
    if blob_id is None:
        return
    blob = EvidenceFile.objects.filter(pk=blob_id).first()
    if blob is None or blob.links.exists() or PolicyDocument.objects.filter(blob_id=blob_id).exists():
        return
    name, storage = blob.file.name, blob.file.storage
    blob.delete()
    transaction.on_commit(lambda: storage.delete(name))


def download_response(document: PolicyDocument):
    """The document's file as an attachment with its checked type, named after the upload."""
    blob = document.blob
    mime = blob.mime if blob.mime in ALLOWED_MIMES else "application/octet-stream"
    return stored_file_response(blob.file.open("rb"), mime=mime,
                                filename=document.original_name or os.path.basename(blob.file.name))
