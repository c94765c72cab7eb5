"""The roadmap's pages of this first step: the lists and pages of the sasaran strategis (with their inisiatif,
programs and kegiatan) and of the kegiatan (with their years and the gaps they close), and their history.
Writing is through the API for now; the timeline, the budget chart, the forms and the Excel round trip come next."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _l

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import filtersets
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget


class StrategicTargetListView(generic.ObjectListView):
    model = StrategicTarget
    queryset = StrategicTarget.objects.select_related("institution")
    filterset_class = filtersets.StrategicTargetFilterSet
    filter_fields = ("q", "institution", "period")
    actions = ()
    columns = [Column("code", link=True), Column("name", link=True), Column("period"),
               Column("institution.name", _l("Instansi"))]


class StrategicTargetView(generic.ObjectView):
    """A sasaran with its inisiatif, their programs and the kegiatan of each program (what the reader sees)."""

    model = StrategicTarget
    template_name = "roadmap/strategictarget.html"

    def extra_context(self, request, obj):
        initiatives = list(permissions.visible(request.user, Initiative.objects.filter(target=obj)).order_by("code"))
        programs = defaultdict(list)
        for program in permissions.visible(request.user, Program.objects.filter(initiative__target=obj)).order_by(
                "code"):
            programs[program.initiative_id].append(program)
        activities = defaultdict(list)
        for activity in permissions.visible(request.user, Activity.objects.filter(
                program__initiative__target=obj).select_related("department")).order_by("start_year", "code"):
            activities[activity.program_id].append(activity)
        for initiative in initiatives:
            initiative.program_rows = programs[initiative.pk]
            for program in initiative.program_rows:
                program.activity_rows = activities[program.pk]
        return {"initiatives": initiatives}


class StrategicTargetHistoryView(generic.ObjectHistoryView):
    model = StrategicTarget


class ActivityListView(generic.ObjectListView):
    model = Activity
    queryset = Activity.objects.select_related("program", "department")
    filterset_class = filtersets.ActivityFilterSet
    filter_fields = ("q", "institution", "department", "area", "progress", "status", "year")
    actions = ()
    columns = [Column("code", link=True), Column("name", link=True), Column("program.get_area_display", _l("Area")),
               Column("department.abbreviation", _l("OPD")), Column("start_year"), Column("end_year"),
               Column("progress"), Column("status")]


class ActivityView(generic.ObjectView):
    """A kegiatan: its program, OPD and units, its years (pagu, RKA, realisation, done) and the gaps it closes (a
    gap the reader may not see is shown without its name)."""

    model = Activity
    queryset = Activity.objects.select_related("program__initiative__target", "department")
    template_name = "roadmap/activity.html"

    def extra_context(self, request, obj):
        links = list(ActivityGap.objects.filter(activity=obj).select_related("content_type")
                     .prefetch_related("target").order_by("content_type", "object_id"))
        reader = permissions.LinkReader(request.user)
        reader.prime([link.target for link in links if link.target is not None])
        gaps = [{"kind": link.content_type.model_class()._meta.verbose_name,
                 "object": link.target if link.target is not None and reader.shows(link.target) else None}
                for link in links]
        return {"years": ActivityYear.objects.filter(activity=obj).order_by("year"), "gaps": gaps,
                "units": obj.units.select_related("department").order_by("name"), "hidden": permissions.HIDDEN}


class ActivityHistoryView(generic.ObjectHistoryView):
    model = Activity
    history_parts = ((ActivityYear, "activity"), (ActivityGap, "activity"))
