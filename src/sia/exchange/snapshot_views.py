"""The "Arsip instansi" page: an instansi's admin asks for the archive (.zip) of the whole instansi, follows its
progress (htmx polling of the status block while the job runs) and downloads finished archives; a superuser uploads
an archive to restore, with the confirmations the restore asks for (existing accounts, password hashes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.core import permissions
from sia.core.views.media import stored_file_response
from sia.organizations.models import Institution

from .choices import JobStatus
from .forms import SnapshotExportForm, SnapshotRestoreForm
from .models import SnapshotJob
from .snapshot_jobs import JobRefused, expire_stalled, read_progress, request_export, request_restore, retry

LISTED = 50
ZIP_MIME = "application/zip"


def admin_institutions(user) -> list:
    """The active instansi whose archive ``user`` may ask for (their admin's; a superuser's: all)."""
    found = permissions.visible(user, Institution.objects.filter(is_active=True)).order_by("name")
    return [inst for inst in found if permissions.can_in(user, permissions.ADD, SnapshotJob, inst.pk)]


def _jobs(user):
    expire_stalled()
    return permissions.visible(user, SnapshotJob.objects.select_related("institution", "requested_by"))


def _add_errors(form, error) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for name, found in error.message_dict.items():
            form.add_error(name if name in form.fields else None, found)
    else:
        form.add_error(None, error.messages)


def _queued(request, job):
    if job.reused:
        messages.info(request, _("Permintaan yang sama sedang diproses; ini pekerjaan itu."))
    return redirect(job)


@login_required
def snapshots(request):
    institutions = admin_institutions(request.user)
    if not institutions and not request.user.is_superuser:
        raise PermissionDenied
    form = SnapshotExportForm(request.POST or None, user=request.user, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            job = request_export(request.user, form.cleaned_data["institution"],
                                 credentials=form.cleaned_data.get("credentials", False))
        except (PermissionDenied, ValidationError) as error:
            _add_errors(form, error)
        else:
            return _queued(request, job)
    return _page(request, form, SnapshotRestoreForm() if request.user.is_superuser else None,
                 status=400 if form.errors else 200)


def _page(request, form, restore_form, status=200):
    jobs = list(_jobs(request.user)[:LISTED])
    return render(request, "exchange/snapshots.html", {
        "form": form, "restore_form": restore_form, "jobs": jobs,
    }, status=status)


@login_required
@require_POST
def snapshot_restore(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = SnapshotRestoreForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = request_restore(request.user, data["file"], code=data["code"], name=data["name"],
                                  confirm_users=data["confirm_users"],
                                  accept_password_hashes=data["accept_password_hashes"])
        except (PermissionDenied, ValidationError) as error:
            _add_errors(form, error)
        else:
            return _queued(request, job)
    export = SnapshotExportForm(user=request.user, institutions=admin_institutions(request.user))
    return _page(request, export, form, status=400)


@login_required
def snapshot_job(request, pk):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    template = "exchange/_snapshotjob_status.html" if request.htmx else "exchange/snapshotjob.html"
    return render(request, template, {"job": job, "progress": read_progress(job),
                                      "may_retry": job.may_retry and permissions.can(request.user, "retry", job)})


@login_required
def snapshot_download(request, pk):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    if not permissions.can(request.user, "download", job):
        raise PermissionDenied
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return stored_file_response(handle, mime=ZIP_MIME, filename=job.download_name)


@login_required
@require_POST
def snapshot_retry(request, pk):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    if not permissions.can(request.user, "retry", job):
        raise PermissionDenied
    options = {}
    if job.needs_confirmation or "confirm_users" in request.POST:
        options = {"confirm_users": request.POST.get("confirm_users") == "1",
                   "accept_password_hashes": request.POST.get("accept_password_hashes") == "1"}
    try:
        retry(request.user, job, **options)
    except (JobRefused, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(job)
    messages.success(request, _("Pekerjaan diantrekan lagi."))
    return redirect(job)
