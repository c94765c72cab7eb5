"""The duplicates page (candidate duplicate applications of an instansi, grouped, with their reasons) and a
reviewer's “not a duplicate”. The scoring is ``sia.portfolio.duplicates``; the rule of a mark is
``DuplicateDismissal.clean``; who may mark is ``DuplicateDismissalPolicy``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sia.architecture.models import Application
from sia.core import permissions

from .duplicates import THRESHOLD, attach, dismiss, duplicate_candidates
from .forms_duplicates import DismissForm, DuplicateFilterForm
from .models import DuplicateDismissal

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
    """The two applications a request names, if the user sees both (else 404), and may mark them (else 403)."""
    form = DismissForm(data)
    if not form.is_valid() and ("first" in form.errors or "second" in form.errors):
        raise Http404
    ids = [form.cleaned_data["first"], form.cleaned_data["second"]]
    found = permissions.visible(request.user, Application).select_related("department").in_bulk(ids)
    if len(found) != len(set(ids)):
        raise Http404
    first, second = found[ids[0]], found[ids[1]]
    if not permissions.can_in(request.user, permissions.ADD, DuplicateDismissal, first.institution_id):
        raise PermissionDenied
    return form, first, second


@login_required
@require_http_methods(["GET", "POST"])
def dismiss_pair(request):
    """“Not a duplicate” for one pair: the form (GET, or again with its errors) and the mark (POST)."""
    data = request.POST if request.method == "POST" else request.GET
    form, first, second = _pair(request, data)
    back = data.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    back = back or reverse("portfolio:duplicates")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dismiss(first, second, form.cleaned_data["reason"], request.user)
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("“%(a)s” dan “%(b)s” ditandai bukan duplikat.") % {
                    "a": first, "b": second})
                return redirect(back)
        status = 400
    elif not data.get("reason"):
        form = DismissForm(initial={"first": first.pk, "second": second.pk})
    return render(request, "portfolio/duplicates_dismiss.html", {
        "form": form, "first": first, "second": second, "back": back,
    }, status=status)
