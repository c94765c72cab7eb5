"""What the ArchiMate page and API share: which instansi a request names (``?instansi=<ID>``), whether the download
carries the generated views (``?views=true``, the default, or ``false``: the model alone), the download, and an
upload read, checked and previewed or committed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.http import content_disposition_header

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


VIEWS_PARAMETER = "views"
_VIEWS_VALUES = {"true": True, "1": True, "false": False, "0": False}


def views_wanted(value) -> bool:
    """Whether ``?views=`` asks for the generated views: ``true`` (or absent) or ``false``; ValueError otherwise,
    with the message to show."""
    if value in (None, ""):
        return True
    found = _VIEWS_VALUES.get(str(value).strip().lower())
    if found is None:
        raise ValueError(_("Nilai “%(value)s” tidak dikenal untuk views: gunakan true (dengan tampilan) atau false "
                           "(model saja).") % {"value": str(value)[:40]})
    return found


def download_name(institution, *, views: bool = True) -> str:
    suffix = "" if views else "-model"
    return f"sia-archimate-{institution.code}-{timezone.localdate():%Y%m%d}{suffix}.xml"


def download(user, institution, *, views: bool = True) -> HttpResponse:
    """The exchange file as an attachment, with the generated views or (``views=False``) the model alone."""
    content, problems = export_model(user, institution, views=views)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, download_name(institution, views=views))
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
