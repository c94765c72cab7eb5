"""The "Dokumen Arsitektur SPBE" page: ask for a document (options), follow its progress (htmx polling of the
status block while the job runs), and the list of finished documents with their date and download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.core.views.media import stored_file_response

from .choices import DocumentStatus
from .forms import DocumentRequestForm
from .jobs import expire_stalled, request_document
from .models import DOCX_MIME, GeneratedDocument

LISTED = 50


def _documents(user):
    expire_stalled()
    return permissions.visible(user, GeneratedDocument.objects.select_related(
        "institution", "department", "requested_by"))


@login_required
def documents(request):
    form = DocumentRequestForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = request_document(request.user, data["institution"], department=data["department"],
                                        content=data["content"], language=data["language"],
                                        period=data["period"], version=data["version"])
        except PermissionDenied as error:
            form.add_error("department" if data["department"] else "institution", str(error))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, found in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, found)
            else:  # not of one field: too many documents pending
                form.add_error(None, error.messages)
        else:
            if document.reused:
                messages.info(request, _("Dokumen dengan pilihan yang sama sedang dibuat; ini dokumen itu."))
            return redirect(document)
    listed = list(_documents(request.user)[:LISTED])
    return render(request, "publishing/list.html", {"form": form, "documents": listed})


@login_required
def document(request, pk):
    found = get_object_or_404(_documents(request.user), pk=pk)
    template = "publishing/_status.html" if request.htmx else "publishing/detail.html"
    return render(request, template, {"document": found})


@login_required
def download(request, pk):
    found = get_object_or_404(_documents(request.user), pk=pk)
    if found.status != DocumentStatus.DONE or not found.file:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return stored_file_response(handle, mime=DOCX_MIME, filename=found.download_name)
