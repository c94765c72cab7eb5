"""The kegiatan's pages: list, page (invited OPDs with who attended and what each produced during the session, the
code for the organiser and mentors, the check-in for participants), the forms, and the daftar hadir to print."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import filtersets, forms, rules, sheet
from .invitations import arrangement, invited_ids, send_invitations
from .checkin import check_in
from .choices import ATTENDED, AttendanceStatus
from .models import Attendance, Workshop
from .policies import CHECK_IN
from .produced import produced_during

DETAIL_QUERYSET = Workshop.objects.select_related("institution", "organiser").prefetch_related("departments", "mentors")


class WorkshopListView(generic.ObjectListView):
    model = Workshop
    queryset = Workshop.objects.select_related("institution")
    filterset_class = filtersets.WorkshopFilterSet
    filter_fields = ("q", "kind", "mode", "department", "period")
    columns = [Column("title", link=True), Column("kind"), Column("starts_at"), Column("mode"),
               Column("institution.name", _l("Instansi"))]


def may_record(user, workshop) -> bool:
    return permissions.can_in(user, permissions.ADD, Attendance, workshop.institution_id)


def department_blocks(user, workshop) -> tuple[list[dict], list]:
    """Per invited OPD: who attended (the rows the reader may see) and what it produced during the session; and the
    mentors' attendance."""
    rows = list(permissions.visible(user, Attendance.objects.filter(workshop=workshop))
                .select_related("participant").order_by("participant__username"))
    produced = produced_during(workshop, user)
    blocks = []
    for dept in sorted(workshop.departments.all(), key=lambda d: d.name):
        mine = [row for row in rows if row.department_id == dept.pk]
        blocks.append({"department": dept, "attendances": mine, "produced": produced.get(dept.pk, []),
                       "attended": sum(1 for row in mine if row.status in ATTENDED)})
    mentors = [row for row in rows if row.department_id is None]
    return blocks, mentors


class WorkshopView(generic.ObjectView):
    model = Workshop
    queryset = DETAIL_QUERYSET
    template_name = "workshops/workshop.html"

    def extra_context(self, request, obj):
        user = request.user
        blocks, mentor_rows = department_blocks(user, obj)
        opens, closes = rules.checkin_window(obj)
        now = timezone.now()
        recorder = may_record(user, obj)
        return {"blocks": blocks, "mentor_rows": mentor_rows, "recorder": recorder,
                "show_code": recorder and now <= closes, "window_open": opens <= now <= closes,
                "opens": opens, "closes": closes, "finished": now > obj.ends_at,
                "may_check_in": permissions.can(user, CHECK_IN, obj) and now <= closes,
                "domain_labels": [label for slug, label in rules.domain_choices() if slug in obj.domains],
                "add_attendance_url": reverse("workshops:attendance_add") + f"?workshop={obj.pk}"}


class WorkshopEditView(generic.ObjectEditView):
    model = Workshop
    queryset = DETAIL_QUERYSET
    form_class = forms.WorkshopForm

    def save_form(self, form):
        if form.instance.pk is None:
            form.instance.organiser = self.request.user
        form.instance._history_user = self.request.user
        before, arranged = invited_ids(form.instance), arrangement(form.instance)
        workshop = form.save()  # with its invited OPDs and mentors
        send_invitations(workshop, before, arranged)
        return workshop


class WorkshopDeleteView(generic.ObjectDeleteView):
    model = Workshop


class WorkshopHistoryView(generic.ObjectHistoryView):
    """The kegiatan's changes, with those of its attendance for readers of every OPD's attendance (an operator reads
    their own OPD's rows only, so not the attendance trail)."""

    model = Workshop
    queryset = DETAIL_QUERYSET

    def extra_context(self, request, obj):
        every_opd = permissions.can_in(request.user, permissions.VIEW, Attendance, obj.institution_id)
        self.history_parts = ((Attendance, "workshop"),) if every_opd else ()
        return super().extra_context(request, obj)


class AttendanceEditView(generic.ObjectEditView):
    model = Attendance
    queryset = Attendance.objects.select_related("workshop", "participant")
    form_class = forms.AttendanceForm

    def resolve(self, request, pk):
        obj = super().resolve(request, pk)
        if pk is None:
            source = request.POST if request.method == "POST" else request.GET
            workshop = forms.chosen_workshop(source.get("workshop"), permissions.visible(request.user, Workshop))
            if workshop is None:
                raise Http404
            if not may_record(request.user, workshop):
                raise PermissionDenied
            obj.workshop = workshop
        return obj

    def save_form(self, form):
        form.instance._history_user = self.request.user
        return form.save()


class AttendanceDeleteView(generic.ObjectDeleteView):
    model = Attendance

    def post(self, request, pk):
        target = self.resolve(request, pk).workshop.get_absolute_url()
        super().post(request, pk)
        return redirect(target)


def _workshop(request, pk, action=permissions.VIEW):
    workshop = get_object_or_404(permissions.visible(request.user, DETAIL_QUERYSET), pk=pk)
    if action != permissions.VIEW and not permissions.can(request.user, action, workshop):
        raise PermissionDenied
    return workshop


@login_required
@require_http_methods(["GET", "POST"])
def checkin_view(request, pk):
    """The participant's own attendance with the code shown at the session."""
    workshop = _workshop(request, pk, CHECK_IN)
    form = forms.CheckInForm(request.POST or None, workshop=workshop)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_in(workshop, request.user, data["code"], status=data.get("status", AttendanceStatus.PRESENT),
                         note=data.get("note", ""))
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Kehadiran Anda pada “%(workshop)s” tercatat.") % {"workshop": workshop.title})
                return redirect(workshop.get_absolute_url())
    return render(request, "workshops/checkin.html", {"object": workshop, "form": form}, status=status)


@login_required
def sheet_view(request, pk, extension):
    """The daftar hadir, for those who record attendance."""
    workshop = _workshop(request, pk)
    if extension not in sheet.FORMATS:
        raise Http404
    if not may_record(request.user, workshop):
        raise PermissionDenied
    return sheet.sheet_response(workshop, extension)
