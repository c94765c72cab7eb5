"""The duplicates page (candidate duplicate applications of an instansi, grouped, with their reasons) and a
reviewer's “not a duplicate”. The scoring is ``sia.portfolio.duplicates``; the rule of a mark is
``DuplicateDismissal.clean``; who may mark is ``DuplicateDismissalPolicy``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sia.architecture.models import Application, ValueListItem
from sia.core import permissions

from .duplicates import THRESHOLD, attach, dismiss, duplicate_candidates, undo_dismissal
from .duplicates import dismissals as list_dismissals
from .forms_duplicates import DismissForm, DuplicateFilterForm
from .models import NATIONAL_KIND, DuplicateDismissal

PAGE_SIZE = 50


@login_required
def duplicates(request):
    """Candidate duplicates of one instansi the user reads, best group first; an OPD filter; the form to mark a
    pair “not a duplicate” for those who may (verifikator, admins). Operators see only the pairs of two
    applications they may both see; a fixed number of queries, whatever the number of applications."""
    if not permissions.can_anywhere(request.user, permissions.VIEW, Application):
        raise PermissionDenied
    filters = DuplicateFilterForm(request.GET or None, user=request.user)
    institution = filters.institution
    candidates, can_mark = [], False
    if institution is not None:
        department = filters.chosen_department
        candidates = duplicate_candidates(institution.pk, request.user, attach_objects=False,
                                          department_id=department.pk if department else None)
        can_mark = permissions.can_in(request.user, permissions.ADD, DuplicateDismissal, institution.pk)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    attach(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portfolio/duplicates.html", {
        "filters": filters, "institution": institution, "page": page, "can_mark": can_mark,
        "pairs": sum(1 for c in candidates if c.second_id), "nationals": sum(1 for c in candidates if c.national_id),
        "groups": len({c.group for c in candidates}), "threshold": round(THRESHOLD * 100),
        "querystring": query.urlencode(), "here": request.get_full_path(),
    })


def _pair(request, data):
    """The two applications a request names (or the application and the national shared application of its
    instansi), if the user sees them (else 404), and may mark them (else 403)."""
    form = DismissForm(data)
    if not form.is_valid() and ({"first", "second", "national"} & set(form.errors)):
        raise Http404
    first_id, second_id = form.cleaned_data["first"], form.cleaned_data["second"]
    ids = [first_id, second_id] if second_id else [first_id]
    found = permissions.visible(request.user, Application).select_related("department").in_bulk(ids)
    if len(found) != len(set(ids)):
        raise Http404
    first, second, national = found[first_id], found.get(second_id), None
    if second is None and form.cleaned_data["national"]:
        national = ValueListItem.objects.filter(
            pk=form.cleaned_data["national"], kind=NATIONAL_KIND, institution_id=first.institution_id).first()
        if national is None:
            raise Http404
    if not permissions.can_in(request.user, permissions.ADD, DuplicateDismissal, first.institution_id):
        raise PermissionDenied
    return form, first, second, national


def _back(request, data, default: str) -> str:
    back = data.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return back or default


@login_required
@require_http_methods(["GET", "POST"])
def dismiss_pair(request):
    """“Not a duplicate” for one pair or one national flag: the form (GET, or again with its errors) and the
    mark (POST)."""
    data = request.POST if request.method == "POST" else request.GET
    form, first, second, national = _pair(request, data)
    back = _back(request, data, reverse("portfolio:duplicates"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dismiss(first, second, form.cleaned_data["reason"], request.user, national=national)
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("“%(a)s” dan “%(b)s” ditandai bukan duplikat.") % {
                    "a": first, "b": second or national})
                return redirect(back)
        status = 400
    elif not data.get("reason"):
        form = DismissForm(initial={"first": first.pk, "second": second.pk if second else None,
                                    "national": national.pk if national else None})
    return render(request, "portfolio/duplicates_dismiss.html", {
        "form": form, "first": first, "second": second, "national": national, "back": back,
    }, status=status)


@login_required
def dismissals(request):
    """The “not a duplicate” marks of one instansi the user reads (who, when, why), newest first, each with
    “Batalkan” for those who may undo it (verifikator, admins). A fixed number of queries."""
    if not permissions.can_anywhere(request.user, permissions.VIEW, Application):
        raise PermissionDenied
    filters = DuplicateFilterForm(request.GET or None, user=request.user)
    institution = filters.institution
    marks, can_undo = DuplicateDismissal.objects.none(), False
    if institution is not None:
        department = filters.chosen_department
        marks = list_dismissals(request.user, institution.pk, department_id=department.pk if department else None)
        can_undo = permissions.can_in(request.user, permissions.DELETE, DuplicateDismissal, institution.pk)
    page = Paginator(marks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portfolio/duplicates_dismissals.html", {
        "filters": filters, "institution": institution, "page": page, "can_undo": can_undo,
        "querystring": query.urlencode(), "here": request.get_full_path(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def undo(request, pk):
    """Undoes one “not a duplicate” mark: a confirmation (GET), then the undo (POST); the pair or the national
    flag is a candidate again and the history keeps who undid it. Hidden mark: 404; not allowed: 403."""
    mark = get_object_or_404(permissions.visible(request.user, DuplicateDismissal.objects.select_related(
        "first__department", "second__department", "national", "decided_by")), pk=pk)
    if not permissions.can(request.user, permissions.DELETE, mark):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    back = _back(request, data, reverse("portfolio:dismissals"))
    if request.method == "POST":
        text = str(mark)
        undo_dismissal(mark, request.user)
        messages.success(request, _("Tanda bukan duplikat “%(mark)s” dibatalkan; kandidatnya tampil lagi.") % {
            "mark": text})
        return redirect(back)
    return render(request, "portfolio/duplicates_undo.html", {"mark": mark, "back": back})
