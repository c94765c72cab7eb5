"""The ArchiMate page (/pertukaran/archimate/): the instansi's exchange file to download (every member, what each
sees; with the generated views or the model alone), and for its koordinator an upload previewed first (every
problem, every change) and then written all at once, or not at all."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sia.core import stored_files
from sia.core.validators import file_input_attrs, safe_name

from .archimate import importer
from .archimate.reader import max_bytes
from .archimate.services import VIEWS_PARAMETER, download, institution_for, run_upload, views_wanted
from .services import institutions_for
from .uploads import FOLDER, STALE_PREVIEW_SECONDS, load_stored, store_file, stored_name

SESSION_KEY = "archimate_upload"


class ArchimateUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Berkas ArchiMate (.xml)"),
        help_text=_lazy("Open Exchange File dari Archi atau alat lain. Pratinjau dulu; tidak ada yang disimpan "
                        "sebelum Anda menekan Simpan semua."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            file_input_attrs(max_bytes=max_bytes(), extensions={"xml"}))


SUFFIX = ".archimate.xml"  # beside the workbooks in the default storage: imports/<sha256>.archimate.xml


def remove_stale_archimate_previews() -> int:
    """Previewed files nobody saved within STALE_PREVIEW_SECONDS (two days): removed, as the workbooks' are."""
    return stored_files.remove_older_than(FOLDER, STALE_PREVIEW_SECONDS, SUFFIX)


def _page(request, institution, *, form=None, result=None, status=200):
    may = institution is not None and importer.may_import(request.user, institution)
    if may and form is None:
        form = ArchimateUploadForm()
    counts = result.counts() if result is not None else {}
    return render(request, "exchange/archimate.html", {
        "institution": institution, "institutions": institutions_for(request.user), "may_import": may,
        "form": form, "result": result, "counts": counts,
        "stored": result is not None and result.is_clean and result.has_changes,
        "archimate_limit_mb": number_format(max_bytes() / 2**20, decimal_pos=0, force_grouping=True),
    }, status=status)


@login_required
def archimate_page(request):
    """GET: the download and the upload form; POST: the preview of an uploaded file (nothing is written)."""
    value = request.POST.get("instansi") if request.method == "POST" else request.GET.get("instansi")
    institution = institution_for(request.user, value)
    if request.method != "POST":
        return _page(request, institution)
    if institution is None or not importer.may_import(request.user, institution):
        raise PermissionDenied
    form = ArchimateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, institution, form=form, status=400)
    upload = form.cleaned_data["file"]
    remove_stale_archimate_previews()
    result, content = run_upload(upload, user=request.user, institution=institution, commit=False)
    if content is not None and result.is_clean:
        sha256 = hashlib.sha256(content).hexdigest()
        store_file(content, sha256, SUFFIX)
        request.session[SESSION_KEY] = {"sha256": sha256, "name": safe_name(upload.name, fallback="unggahan.xml"),
                                        "institution": institution.pk}
    else:
        request.session.pop(SESSION_KEY, None)
    return _page(request, institution, form=ArchimateUploadForm(), result=result,
                 status=200 if result.is_clean else 400)


@login_required
def archimate_download(request):
    institution = institution_for(request.user, request.GET.get("instansi"))
    if institution is None:
        messages.info(request, _("Anda membaca beberapa instansi: pilih instansinya dulu."))
        return redirect("exchange:archimate")
    try:
        views = views_wanted(request.GET.get(VIEWS_PARAMETER))
    except ValueError as error:
        messages.error(request, str(error))
        return _page(request, institution, status=400)
    return download(request.user, institution, views=views)


@login_required
@require_POST
def archimate_commit(request):
    """Writes the previewed file (read and checked again, in one transaction), or nothing."""
    pending = request.session.get(SESSION_KEY)
    institution = institution_for(request.user, str(pending["institution"]) if pending else request.POST.get("instansi"))
    if institution is None or not importer.may_import(request.user, institution):
        raise PermissionDenied
    content = load_stored(pending["sha256"], SUFFIX) if pending else None
    if content is None:
        messages.error(request, _("Tidak ada pratinjau untuk disimpan; unggah berkasnya lagi."))
        return _page(request, institution, status=400)
    result = importer.commit(content, user=request.user, institution=institution, name=pending["name"])
    request.session.pop(SESSION_KEY, None)
    stored_files.delete(stored_name(pending["sha256"], SUFFIX))  # saved or refused, the preview is over
    if not result.written:
        messages.error(request, _("Data berubah sejak pratinjau dan kini ada masalah; tidak ada yang disimpan."))
        return _page(request, institution, result=result, status=400)
    messages.success(request, _("Tersimpan: %(create)s objek baru, %(update)s diubah, %(unchanged)s tetap.")
                     % result.counts(), extra_tags="answer")
    return redirect(f"{reverse('exchange:archimate')}?instansi={institution.pk}")
