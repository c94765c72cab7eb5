"""Pages of the Excel round trip: templates and exports to download, upload → preview → commit, history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.utils.http import content_disposition_header

from sia.architecture.kindgroups import kind_groups
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.core.navigation import added_entries
from sia.core.tables import Column
from sia.core.views import generic

from .forms import UploadForm
from .jobs import expire_stalled, queue_commit, read_progress, runs_as_job
from .models import ImportRecord, SnapshotJob
from .services import (
    XLSX_CONTENT_TYPE, InstitutionRequired, export_file, institutions_for, may_upload, may_upload_anywhere, models_for,
    resolve_institution, template_file, workbook_group,
)
from .uploads import ImportRefused, commit_import, start_import


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _institution_param(request):
    value = request.GET.get("institution")
    if not value:
        chosen = request.GET.getlist("institution_id")
        value = chosen[0] if len(chosen) == 1 else None
    return value


def _ask_institution(request):
    messages.info(request, _("Anda anggota beberapa instansi: pilih instansinya dulu."))
    query = urlencode({"domain": request.GET.get("domain", "")})
    return redirect(f"{reverse('exchange:index')}?{query}")


@login_required
def index(request):
    """Templates and exports per workbook (a domain, or a kind group's kinds together; and all domains), the
    upload link and recent uploads."""
    institutions = list(institutions_for(request.user))
    try:
        institution = resolve_institution(request.user, request.GET.get("institution"))
    except InstitutionRequired:
        institution = None
    domain = request.GET.get("domain", "")
    records = permissions.visible(request.user, ImportRecord.objects.select_related("institution", "user"))[:10]
    return render(request, "exchange/index.html", {
        "institutions": institutions, "institution": institution,
        "workbooks": [(group, [m.spec.menu_label or m._meta.verbose_name_plural for m in kinds] if len(kinds) > 1 else [])
                      for group, kinds in kind_groups()],
        "domain": domain, "can_upload": institution is not None and may_upload(request.user, institution),
        "records": records,
        "may_archive": institution is not None and permissions.can_in(
            request.user, permissions.ADD, SnapshotJob, institution.pk),  # the instansi's admins, superusers
        "added": added_entries("exchange", request.user),  # e.g. the Dokumen Arsitektur SPBE (sia.publishing)
    })


@login_required
def template_download(request):
    """``?domain=<slug>`` (a domain or a kind group; empty: every domain), ``&prefill=1`` for the user's visible
    objects."""
    try:
        institution = resolve_institution(request.user, _institution_param(request))
    except InstitutionRequired:
        return _ask_institution(request)
    models = models_for(request.GET.get("domain"))
    content, name = template_file(request, institution, models, prefill=request.GET.get("prefill") == "1")
    return xlsx_response(content, name)


@login_required
def export_download(request):
    """The list page's filters apply: ``?domain=proses-bisnis&department=DISKOMINFOSAN&status=draf``."""
    try:
        institution = resolve_institution(request.user, _institution_param(request))
    except InstitutionRequired:
        return _ask_institution(request)
    content, name = export_file(request, institution, models_for(request.GET.get("domain")))
    return xlsx_response(content, name)


class UploadView(LoginRequiredMixin, View):
    template_name = "exchange/upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_upload_anywhere(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_form(request, UploadForm(user=request.user))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        record = start_import(form.cleaned_data["file"], user=request.user, institution=form.cleaned_data["institution"])
        return redirect(record.get_absolute_url())

    def render_form(self, request, form, status=200):
        domain = request.GET.get("domain", "")
        found = workbook_group(domain) if domain else None
        back = None
        if found is not None:
            group, kinds = found
            # Back to the kind's list the upload was started from, or to the group's first kind.
            model = next((m for m in kinds if domain in (m.spec.slug, m.spec.api_name)), kinds[0])
            back = (reverse(f"architecture:{model._meta.model_name}_list"), model._meta.verbose_name_plural)
        return render(request, self.template_name, {"form": form, "back": back, "domain": domain}, status=status)


class ImportRecordView(generic.ObjectView):
    """The preview of an upload (and, once committed, its result)."""

    model = ImportRecord
    queryset = ImportRecord.objects.select_related("institution", "user")
    template_name = "exchange/importrecord.html"

    def get(self, request, *args, **kwargs):
        expire_stalled()  # a job whose worker stopped is failed, so that the page offers a retry
        return super().get(request, *args, **kwargs)

    def extra_context(self, request, obj):
        errors = [p for p in obj.problems if p.get("level") == "error"]
        warnings = [p for p in obj.problems if p.get("level") != "error"]
        return {
            "errors": errors, "warnings": warnings,
            "may_commit": obj.can_commit and obj.user_id == request.user.pk,
            "as_job": runs_as_job(obj), "job": read_progress(obj) if obj.job_pending else None,
            "truncated": len(obj.problems) < obj.error_count + obj.warning_count,
            "domain_links": [
                (m._meta.verbose_name_plural, reverse(f"architecture:{m._meta.model_name}_list"))
                for m in domain_models() if m.spec.slug in obj.domains.split(",")
            ],
        }


class CommitView(LoginRequiredMixin, View):
    """POST: writes every row of a clean preview in one transaction, or nothing."""

    def post(self, request, pk):
        record = get_object_or_404(permissions.visible(request.user, ImportRecord.objects.all()), pk=pk)
        try:
            if runs_as_job(record):  # a large upload is written in the background; its page shows the progress
                queue_commit(record, user=request.user)
            else:
                commit_import(record, user=request.user)
        except ImportRefused as refused:
            messages.error(request, refused.message)
        # on success the record's page says what was saved: one message, not two
        return redirect(record.get_absolute_url())


@login_required
def job_progress(request, pk):
    """The progress block of a commit job, polled by its page (htmx); once the job has ended, the page reloads to
    show the outcome."""
    expire_stalled()
    record = get_object_or_404(permissions.visible(request.user, ImportRecord.objects.all()), pk=pk)
    job = read_progress(record) if record.job_pending else None
    response = render(request, "exchange/_job.html", {"object": record, "job": job})
    if job is None:  # ended (or never queued): the record's page shows the outcome
        response["HX-Refresh"] = "true"
    return response


class ImportRecordListView(generic.ObjectListView):
    """"Riwayat unggah": who uploaded which file, and what it wrote."""

    model = ImportRecord
    queryset = ImportRecord.objects.select_related("institution", "user")
    columns = [
        Column("created", _("Waktu")), Column("file_name", link=True), Column("user.username", _("Pengunggah")),
        Column("institution.name", _("Instansi")), Column("status"), Column("created_count"),
        Column("updated_count"), Column("unchanged_count"), Column("error_count"),
    ]
    actions = ()
    template_name = "generic/object_list.html"
