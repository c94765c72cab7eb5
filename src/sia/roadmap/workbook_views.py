"""The Excel page of the Peta Rencana SPBE (/peta-rencana/excel/): the instansi's roadmap and an empty template to
download (every member of the instansi), and an upload (the koordinator; an OPD operator for their kegiatan) that
is previewed first, every problem by sheet, row and column, and then written all at once, or not at all."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.utils.http import content_disposition_header

from sia.core import permissions
from sia.core.integers import db_id
from sia.core.workbooks import safe_name
from sia.exchange.services import XLSX_CONTENT_TYPE
from sia.exchange.uploads import load_stored, store_file
from sia.organizations.models import Institution

from .models import StrategicTarget
from .workbook import build_workbook, download_name
from .workbook_commit import commit_workbook
from .workbook_forms import WorkbookUploadForm
from .workbook_import import may_upload, plan_upload

SESSION_KEY = "roadmap_workbook_upload"


def readable_institutions(user):
    """The instansi whose roadmap the user reads."""
    ids = permissions.institution_ids_for(user, permissions.VIEW, StrategicTarget)
    queryset = Institution.objects.filter(is_active=True).order_by("name")
    return queryset if ids is None else queryset.filter(pk__in=ids)


def institution_for(request, value=None):
    """The instansi ``?instansi=<ID>`` names among those the user reads (404 otherwise), or their only one; None
    when they read several and named none."""
    readable = readable_institutions(request.user)
    value = request.GET.get("instansi") if value is None else value
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


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _page(request, institution, *, form=None, plan=None, status=200):
    upload = may_upload(request.user, institution) if institution is not None else False
    if upload and form is None:
        form = WorkbookUploadForm()
    return render(request, "roadmap/workbook.html", {
        "institution": institution, "institutions": readable_institutions(request.user),
        "may_upload": upload, "form": form, "plan": plan,
        "stored": plan is not None and plan.is_clean and plan.counts()["create"] + plan.counts()["update"] > 0,
    }, status=status)


@login_required
def workbook_page(request):
    """GET: downloads and the upload form; POST: the preview of an uploaded file (nothing is written)."""
    institution = institution_for(request, request.POST.get("instansi") if request.method == "POST" else None)
    if request.method != "POST":
        return _page(request, institution)
    if institution is None or not may_upload(request.user, institution):
        raise PermissionDenied
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, institution, form=form, status=400)
    upload = form.cleaned_data["file"]
    plan, content = plan_upload(upload, user=request.user, institution=institution)
    if content is not None and plan.is_clean:
        sha256 = hashlib.sha256(content).hexdigest()
        store_file(content, sha256)
        request.session[SESSION_KEY] = {"sha256": sha256, "name": safe_name(upload.name),
                                        "institution": institution.pk}
    else:
        request.session.pop(SESSION_KEY, None)
    return _page(request, institution, form=WorkbookUploadForm(), plan=plan, status=200 if plan.is_clean else 400)


@login_required
def workbook_download(request):
    """The instansi's roadmap as the user reads it; ``?templat=1``: the empty template."""
    institution = institution_for(request)
    if institution is None:
        messages.info(request, _("Anda membaca beberapa instansi: pilih instansinya dulu."))
        return redirect("roadmap:workbook")
    prefill = request.GET.get("templat") != "1"
    return xlsx_response(build_workbook(institution, request.user, prefill=prefill),
                         download_name(institution, prefill))


@login_required
@require_POST
def workbook_commit(request):
    """Writes the previewed file (read and validated again, in one transaction), or nothing."""
    pending = request.session.get(SESSION_KEY)
    institution = institution_for(request, str(pending["institution"]) if pending else request.POST.get("instansi"))
    if institution is None or not may_upload(request.user, institution):
        raise PermissionDenied
    content = load_stored(pending["sha256"]) if pending else None
    if content is None:
        messages.error(request, _("Tidak ada pratinjau untuk disimpan; unggah berkasnya lagi."))
        return _page(request, institution, status=400)
    plan = commit_workbook(content, user=request.user, institution=institution, file_name=pending["name"])
    request.session.pop(SESSION_KEY, None)
    if not plan.is_clean:
        messages.error(request, _("Data berubah sejak pratinjau dan kini ada masalah; tidak ada yang disimpan."))
        return _page(request, institution, plan=plan, status=400)
    counts = plan.counts()
    messages.success(request, _("Tersimpan: %(create)s baris baru, %(update)s diubah, %(unchanged)s tetap.") % counts)
    return redirect(f"{reverse('roadmap:workbook')}?instansi={institution.pk}")
