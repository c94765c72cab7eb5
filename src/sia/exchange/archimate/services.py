"""What the ArchiMate page and API share: which instansi a request names (``?instansi=<ID>``), the download, and
an upload read, checked and previewed or committed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.integers import db_id

from ..problems import FileRejected
from ..services import institutions_for
from . import importer
from .export import CONTENT_TYPE, export_model
from .reader import read_upload


def institution_for(user, value):
    """The instansi ``value`` (an ID) names among those the user reads (Http404 otherwise), or their only one; None
    when they read several and named none."""
    readable = institutions_for(user)
    if value not in (None, ""):
        pk = db_id(value)
        found = readable.filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise Http404(_("Instansi tidak ditemukan atau tidak dapat Anda baca."))
        return found
    first_two = list(readable[:2])
    if not first_two:
        raise Http404(_("Anda belum anggota instansi mana pun."))
    return first_two[0] if len(first_two) == 1 else None


def download_name(institution) -> str:
    return f"sia-archimate-{institution.code}-{timezone.localdate():%Y%m%d}.xml"


def download(user, institution) -> HttpResponse:
    content, problems = export_model(user, institution)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name(institution)}"'
    response["X-SIA-Omitted-Relationships"] = str(len(problems))
    return response


def run_upload(upload, *, user, institution, commit: bool) -> tuple[importer.ImportResult, bytes | None]:
    """The upload previewed (or committed when ``commit`` and clean); a refused file is a result with its one
    problem and no content."""
    try:
        content = read_upload(upload)
        name = getattr(upload, "name", "")
        run = importer.commit if commit else importer.preview
        return run(content, user=user, institution=institution, name=name), content
    except FileRejected as error:
        return importer.ImportResult(problems=[importer.Finding("", error.message)]), None
