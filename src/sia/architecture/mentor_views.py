"""The koordinator's "Beban mentor" page and its one-step move of an OPD to another mentor (htmx, or a plain form
without JavaScript). The figures come from ``mentor_load.load``; the move goes through
``sia.organizations.mentors.assign`` (the model's rules, the audit trail)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.core import permissions
from sia.core.integers import is_unusable_id
from sia.organizations import mentors
from sia.organizations.models import Department, Institution, MentorAssignment

from . import mentor_load


def _institution(request, raw=None):
    """The instansi of the page (``?instansi=<id>``, else the first the user manages) and those the user manages:
    another instansi's is not found, one's own without the koordinator role is forbidden."""
    managed = mentor_load.institutions_managed(request.user)
    if raw:
        if not str(raw).isdigit() or is_unusable_id(raw):
            raise Http404
        institution = permissions.visible(request.user, Institution.objects.filter(is_active=True)).filter(
            pk=raw).first()
        if institution is None:
            raise Http404
        if not permissions.can_in(request.user, permissions.CHANGE, MentorAssignment, institution.pk):
            raise PermissionDenied
        return institution, managed
    institution = managed.first()
    if institution is None:
        raise PermissionDenied
    return institution, managed


def _page_url(institution) -> str:
    return f"{reverse('architecture:mentor_load')}?instansi={institution.pk}"


def _context(request, institution, managed, answer=None, problem=None):
    return {
        "institution": institution, "institutions": managed, "load": mentor_load.load(request.user, institution),
        "answer": answer, "problem": problem, "page_url": _page_url(institution),
    }


@login_required
def mentor_load_view(request):
    institution, managed = _institution(request, request.GET.get("instansi"))
    return render(request, "architecture/mentor_load.html", _context(request, institution, managed))


@login_required
@require_POST
def mentor_reassign(request):
    """Makes the posted verifikator the mentor of the posted OPD (a move when it had one)."""
    institution, managed = _institution(request, request.POST.get("instansi"))
    department_id, mentor_id = request.POST.get("department", ""), request.POST.get("mentor", "")
    department = None
    if department_id.isdigit() and not is_unusable_id(department_id):
        department = Department.objects.filter(pk=department_id, institution=institution).first()
    if department is None:
        raise Http404
    if not permissions.can_in(request.user, permissions.CHANGE, MentorAssignment, institution.pk, department.pk):
        raise PermissionDenied
    mentor = None
    if mentor_id.isdigit() and not is_unusable_id(mentor_id):
        mentor = get_user_model().objects.filter(pk=mentor_id).first()
    answer = problem = None
    if mentor is None:
        problem = _("Pilih mentor untuk OPD %(opd)s.") % {"opd": department.abbreviation}
    else:
        try:
            mentors.assign(department, mentor, by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            answer = _("OPD %(opd)s kini dibina oleh %(mentor)s.") % {
                "opd": department.abbreviation, "mentor": mentor.get_full_name() or mentor.username}
    if request.htmx:
        context = _context(request, institution, managed, answer, problem)
        return render(request, "architecture/_mentor_load.html", context, status=400 if problem else 200)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, answer)
    return redirect(_page_url(institution))
