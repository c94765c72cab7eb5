"""Clearance of a new application on the web: the "similar existing applications" panel of the Aplikasi form
(refreshed by htmx while the operator types) and of its page, and the verifikator's clearance form.

The panels reach the Aplikasi pages through ``sia.core.panels``: ``sia.architecture`` does not know them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application
from sia.core import permissions
from sia.core.integers import db_id
from sia.core.panels import register_object_page_panel
from sia.organizations.models import Department

from . import clearance as rules
from .forms import ClearanceForm
from .models import Clearance


def _ids(values) -> list[int]:
    return [number for number in (db_id(value) for value in values) if number is not None]


def typed_application(request, data) -> Application | None:
    """The application the form is about (``data``: the panel's query or a bound form's data): the saved one
    (``pk``), or a new, unsaved one in the OPD chosen (or the user's only instansi); what was typed is passed
    to ``clearance.similar`` separately. None when the user may not write that application."""
    user = request.user
    pk = db_id(data.get("pk"))
    if pk is not None:
        saved = permissions.visible(user, Application).filter(pk=pk).first()
        if saved is None or not permissions.can(user, permissions.CHANGE, saved):
            return None
        return saved
    department_id = db_id(data.get("department"))
    department = (permissions.choices(user, Department.objects.filter(pk=department_id)).first()
                  if department_id is not None else None)
    if data.get("department") and department is None:
        return None  # an OPD the user cannot see (or no ID at all)
    if department is not None:
        if not permissions.can_in(user, permissions.ADD, Application, department.institution_id, department.pk):
            return None
        return Application(institution_id=department.institution_id, department=department)
    institutions = permissions.institution_ids_for(user, permissions.ADD, Application)
    if institutions is None or len(institutions) != 1:
        return None
    return Application(institution_id=institutions[0])


def _typed_matches(request, application, data) -> list:
    getlist = data.getlist if hasattr(data, "getlist") else (lambda key: data.get(key) or [])
    return rules.similar(
        application, request.user, name=data.get("name", ""), function=data.get("function", ""),
        reference_id=db_id(data.get("reference")), process_ids=_ids(getlist("processes")),
    )


@require_GET
@login_required
def similar(request):
    """The "Aplikasi serupa yang sudah ada" list for the Aplikasi form being typed (an htmx fragment)."""
    application = typed_application(request, request.GET)
    if application is None:
        raise PermissionDenied
    return render(request, "portfolio/_similar_list.html", {
        "matches": _typed_matches(request, application, request.GET),
        "typed": bool(request.GET.get("name", "").strip()),
        "new_tab": True,  # on the form being typed: opening one must not lose what was typed
    })


@register_object_page_panel(Application, "edit", order=10)
def similar_panel_on_form(request, application, form=None):
    """On the form of a new application and of a to-be new one: the similar ones, refreshed while typing."""
    if application.pk and not rules.needs_clearance(application):
        return None
    matches, typed = [], False
    if form is not None and form.is_bound:  # a save that failed: the list for what was typed (same field names)
        typed = bool(form.data.get("name", "").strip())
        candidate = typed_application(request, {"pk": application.pk, "department": form.data.get("department")})
        if candidate is not None and typed:
            matches = _typed_matches(request, candidate, form.data)
    elif application.pk:
        typed = True
        matches = rules.similar(application, request.user)
    return {
        "template": "portfolio/_similar_panel.html", "matches": matches, "typed": typed, "new_tab": True,
        "url": reverse("portfolio:similar"),
    }


@register_object_page_panel(Application, "detail", order=10)
def clearance_panel(request, application, form=None):
    """On the page of a to-be new application: the similar ones, the clearance as recorded and, for the
    verifikator and admins, the clearance form."""
    if not rules.needs_clearance(application):
        return None
    clearance = Clearance.objects.filter(application=application).select_related(
        "decided_by", "reused_application", "reused_national").first()
    may_record = rules.may_record(request.user, application)
    matches = rules.similar(application, request.user)
    return {
        "template": "portfolio/_clearance_panel.html", "matches": matches, "typed": True, "clearance": clearance,
        "form": ClearanceForm(instance=clearance, application=application, matches=matches, user=request.user)
        if may_record else None,
        "action": reverse("portfolio:clearance", args=[application.pk]),
    }


@login_required
def clearance(request, pk):
    """The clearance form of one to-be new application (also shown inline on its page); POST records it."""
    application = get_object_or_404(permissions.visible(request.user, Application), pk=pk)
    if application.state != ArchitectureState.TO_BE_NEW:
        raise Http404(_("Kliring hanya untuk aplikasi dengan kondisi “To-be baru”."))
    if not rules.may_record(request.user, application):
        raise PermissionDenied
    current = Clearance.objects.filter(application=application).first()
    matches = rules.similar(application, request.user)
    form = ClearanceForm(request.POST or None, instance=current, application=application, matches=matches,
                         user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                rules.record(
                    application, request.user, decision=data["decision"], reason=data["reason"],
                    reused_application=data.get("reused_application"), reused_national=data.get("reused_national"),
                )
            except ValidationError as error:
                for field, errors in rules.validation_messages(error).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Kliring “%(app)s” dicatat.") % {"app": application})
                return redirect(f"{application.get_absolute_url()}#kliring")
        status = 400
    return render(request, "portfolio/clearance.html", {
        "form": form, "application": application, "clearance": current, "matches": matches, "typed": True,
    }, status=status)
