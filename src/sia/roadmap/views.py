"""The roadmap's pages: the lists and pages of the sasaran strategis (with their inisiatif, programs and kegiatan)
and of the kegiatan (with their years, the gaps they close and their review), their history, and the forms that
create, change and delete sasaran, inisiatif, program and kegiatan (``sia.roadmap.forms``; the kegiatan's edit and
review in ``sia.roadmap.review``)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sia.architecture import queues, workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.forms import ReviewCommentForm
from sia.architecture.views import DomainActionView
from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import filtersets, forms, review, rules
from .gap_notes import may_add_activity
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget


class StrategicTargetListView(generic.ObjectListView):
    model = StrategicTarget
    queryset = StrategicTarget.objects.select_related("institution")
    filterset_class = filtersets.StrategicTargetFilterSet
    filter_fields = ("q", "institution", "period")
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
        user = request.user
        institution_id = obj.institution_id
        plan_writer = permissions.can_in(user, permissions.CHANGE, Initiative, institution_id)
        add_activity = may_add_activity(user, institution_id)
        for initiative in initiatives:
            initiative.program_rows = programs[initiative.pk]
            for program in initiative.program_rows:
                program.activity_rows = activities[program.pk]
        return {"initiatives": initiatives, "plan_writer": plan_writer, "add_activity": add_activity,
                "add_initiative_url": reverse("roadmap:initiative_add") + f"?target={obj.pk}",
                "add_program_url": reverse("roadmap:program_add") + "?initiative=",
                "add_activity_url": reverse("roadmap:activity_add") + "?program="}


class StrategicTargetHistoryView(generic.ObjectHistoryView):
    model = StrategicTarget


class ActivityListView(generic.ObjectListView):
    model = Activity
    queryset = Activity.objects.select_related("program", "department")
    filterset_class = filtersets.ActivityFilterSet
    filter_fields = ("q", "institution", "department", "area", "progress", "status", "year")
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
        years = list(ActivityYear.objects.filter(activity=obj).order_by("year"))
        return {"years": years, "gaps": gaps,
                "done_warning": rules.done_warning(obj.progress, [(row.year, row.done) for row in years]),
                "units": obj.units.select_related("department").order_by("name"), "hidden": permissions.HIDDEN,
                **review_context(request.user, obj, request.GET.get(queues.FROM_QUEUE) == "1")}


def review_context(user, obj, from_queue: bool = False) -> dict:
    """What the review part of a page (``architecture/_review.html``) shows: the conversation, the transitions the
    user's roles allow, the comment form, what is missing before a submit; for a kegiatan waiting for the user's
    review, "open the next item of the queue" (ticked when the page was opened from the queue)."""
    transitions = workflow.available(obj, user)
    return {
        "events": workflow.conversation(obj) if workflow.can_read_history(user, obj) else None,
        "transitions": transitions,
        "in_queue": workflow.awaits_review_by(obj, transitions),
        "from_queue": from_queue,
        "can_comment": workflow.can_comment(user, obj),
        "comment_form": ReviewCommentForm(),
        "submit_problems": workflow.submit_problems(obj)
        if obj.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED) else [],
        "action_url": reverse("roadmap:activity_action", args=[obj.pk]),
    }


class ActivityActionView(DomainActionView):
    """POST a review transition (``action=ajukan|kembalikan|verifikasi|validasi``) or a comment
    (``action=komentar``) on a kegiatan: the architecture's view, on the roadmap's model."""

    model = Activity


class ActivityHistoryView(generic.ObjectHistoryView):
    model = Activity
    history_parts = ((ActivityYear, "activity"), (ActivityGap, "activity"))


# --- forms: sasaran, inisiatif, program ------------------------------------------------------------------------

class Stale(Exception):
    """A save over a version the editor did not read (rolls the transaction back)."""

    def __init__(self, current):
        super().__init__()
        self.current = current


class PlanEditView(generic.ObjectEditView):
    """Create or change a part of the plan; a new one's parent may come from the query string
    (``?target=<id>``, ``?initiative=<id>``), as the sasaran page's links give it. A save over someone else's
    change since the form was opened (``forms.version_of``) shows the latest values and keeps what was typed."""

    template_name = "roadmap/plan_edit.html"

    def save_form(self, form):
        obj = form.instance
        if obj.pk is not None:
            current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            if forms.version_of(current) != form.cleaned_data.get("read_version"):
                raise Stale(current)
        obj._history_user = self.request.user
        return form.save()

    def post(self, request, pk=None):
        try:
            return super().post(request, pk)
        except Stale as stale:
            return self.conflict(request, pk, stale.current)

    def conflict(self, request, pk, current):
        obj = self.resolve(request, pk)
        form = self.get_form(request, obj)
        form.is_valid()
        changed = []
        for name in form.Meta.fields:
            field = current._meta.get_field(name)
            mine = form.cleaned_data.get(name)
            theirs = getattr(current, field.attname)
            if getattr(mine, "pk", mine) != theirs and not (theirs in (None, "") and mine in (None, "")):
                shown = getattr(current, f"get_{name}_display")() if field.choices else getattr(current, name)
                changed.append((form.fields[name].label, shown))
        form.data = form.data.copy()
        form.data["read_version"] = forms.version_of(current)
        form.add_error(None, _(
            "Orang lain telah menyimpan perubahan pada data ini sejak Anda membukanya. Isian Anda tidak hilang: "
            "periksa nilai terbaru di bawah, lalu simpan lagi untuk menimpanya."))
        return self.render_form(request, form, obj, status=409, conflict=changed)

    def render_form(self, request, form, obj, status=200, **extra):
        context = self.base_context(form=form, object=obj, creating=obj.pk is None, **extra)
        return render(request, self.template_name, context, status=status)

    def base_context(self, **extra):
        context = super().base_context(**extra)
        context["list_url"] = context["list_url"] or reverse("roadmap:strategictarget_list")
        return context


class PlanDeleteView(generic.ObjectDeleteView):
    """Deletes a part of the plan that nothing hangs under; else says what does (409, nothing deleted)."""

    template_name = "roadmap/plan_delete.html"
    children: tuple = ()  # (related name, label)

    def blockers(self, obj) -> list[str]:
        found = []
        for name, label in self.children:
            count = getattr(obj, name).count()
            if count:
                found.append(f"{count} {label}")
        return found

    def get(self, request, pk):
        obj = self.resolve(request, pk)
        return render(request, self.template_name, self.base_context(object=obj, blockers=self.blockers(obj)))

    def post(self, request, pk):
        obj = self.resolve(request, pk)
        blockers = self.blockers(obj)
        if blockers:
            messages.error(request, _("“%(obj)s” tidak dihapus: masih memiliki %(children)s. Hapus atau pindahkan "
                                      "lebih dahulu.") % {"obj": obj, "children": ", ".join(blockers)})
            return render(request, self.template_name, self.base_context(object=obj, blockers=blockers), status=409)
        parent = self.parent_url(obj)
        response = super().post(request, pk)
        return redirect(parent) if parent and response.status_code == 302 else response

    def parent_url(self, obj):
        return None

    def base_context(self, **extra):
        context = super().base_context(**extra)
        context["list_url"] = context["list_url"] or reverse("roadmap:strategictarget_list")
        return context


class StrategicTargetEditView(PlanEditView):
    model = StrategicTarget
    form_class = forms.StrategicTargetForm


class StrategicTargetDeleteView(PlanDeleteView):
    model = StrategicTarget
    children = (("initiatives", _l("inisiatif")),)


class InitiativeEditView(PlanEditView):
    model = Initiative
    queryset = Initiative.objects.select_related("target")
    form_class = forms.InitiativeForm


class InitiativeDeleteView(PlanDeleteView):
    model = Initiative
    queryset = Initiative.objects.select_related("target")
    children = (("programs", _l("program")),)

    def parent_url(self, obj):
        return obj.target.get_absolute_url()


class ProgramEditView(PlanEditView):
    model = Program
    queryset = Program.objects.select_related("initiative__target")
    form_class = forms.ProgramForm


class ProgramDeleteView(PlanDeleteView):
    model = Program
    queryset = Program.objects.select_related("initiative__target")
    children = (("activities", _l("kegiatan")),)

    def parent_url(self, obj):
        return obj.initiative.target.get_absolute_url()


# --- the kegiatan form: its fields, its years (inline formset) and its gaps ----------------------------------

class ActivityEditView(generic.ObjectEditView):
    """Create and change a kegiatan with its years and gaps, with optimistic locking (``lock_version``): a save over
    someone else's change shows the latest values and keeps what was typed. Changing the plan of a verified or
    validated kegiatan sends it back to draft, recording its execution does not (``review.ActivityEdit``).
    ``?program=<id>`` and ``?gap=<kind slug>:<id>`` prefill a new one (the links “tambah kegiatan” of the sasaran
    page and of a gap)."""

    model = Activity
    queryset = Activity.objects.select_related("program__initiative__target", "department")
    form_class = forms.ActivityForm
    template_name = "roadmap/activity_edit.html"

    def get_initial(self, request, instance):
        initial = super().get_initial(request, instance)
        initial.pop("gap", None)
        return initial

    def get(self, request, pk=None):
        obj = self.resolve(request, pk)
        form = self.get_form(request, obj)
        if obj.pk is None and request.GET.get("gap"):
            forms.prefill_gap(form, request.GET["gap"])
        return self.render_form(request, form, obj, forms.YearFormSet(instance=obj, prefix="years"))

    def post(self, request, pk=None):
        obj = self.resolve(request, pk)
        edit = review.ActivityEdit(obj, request.user)  # before the form writes its values into obj
        form = self.get_form(request, obj)
        years = forms.YearFormSet(request.POST, instance=obj, prefix="years")
        form.years = years
        valid = form.is_valid()  # first: the years are checked against the kegiatan's years as edited
        if not (years.is_valid() and valid):
            return self.render_form(request, form, obj, years, status=400)
        action = permissions.ADD if obj.pk is None else permissions.CHANGE
        if not permissions.can(request.user, action, form.instance):
            form.add_error(None, _("Anda tidak berwenang menyimpan kegiatan ini untuk OPD tersebut."))
            return self.render_form(request, form, obj, years, status=403)
        result = edit.save(form.instance, form.cleaned_data.get("units") or [], years, form.chosen_gaps(),
                           form.cleaned_data.get("lock_version"))
        if result.outcome == review.Outcome.CONFLICT:
            return self.conflict(request, form, obj, years, result.current)
        if result.outcome == review.Outcome.UNCHANGED:
            messages.info(request, _("Tidak ada perubahan; tidak ada yang disimpan."))
        elif result.outcome == review.Outcome.CREATED:
            messages.success(request, _("Kegiatan “%(obj)s” ditambahkan sebagai draf.") % {"obj": result.obj})
        elif result.outcome == review.Outcome.REOPENED:
            messages.warning(request, _("Perubahan disimpan. Kegiatan yang sudah direview kembali menjadi draf dan "
                                        "perlu diajukan ulang."))
        else:
            messages.success(request, _("Perubahan disimpan."))
        return redirect(result.obj.get_absolute_url())

    def conflict(self, request, form, obj, years, current):
        """Someone saved since the form was opened: the form again with what was typed, the stored values that
        differ, and the stored version (saving again overwrites them knowingly)."""
        changed = []
        for name in form.Meta.fields:
            field = current._meta.get_field(name)
            if field.many_to_many or name not in form.cleaned_data:
                continue
            mine = form.cleaned_data[name]
            theirs = getattr(current, field.attname)
            if getattr(mine, "pk", mine) != theirs and not (theirs in (None, "") and mine in (None, "")):
                shown = getattr(current, f"get_{name}_display")() if field.choices else getattr(current, name)
                changed.append((form.fields[name].label, shown))
        form.data = form.data.copy()
        form.data["lock_version"] = current.lock_version
        form.add_error(None, _(
            "Orang lain telah menyimpan perubahan pada kegiatan ini sejak Anda membukanya. Isian Anda tidak hilang: "
            "periksa nilai terbaru di bawah, lalu simpan lagi untuk menimpanya."))
        return self.render_form(request, form, obj, years, status=409, conflict=changed)

    def render_form(self, request, form, obj, years=None, status=200, **extra):
        if years is None:
            years = forms.YearFormSet(instance=obj, prefix="years")
        context = self.base_context(form=form, object=obj, creating=obj.pk is None, years=years, formset=years,
                                    **extra)  # ``formset``: the error summary lists the years' errors too
        return render(request, self.template_name, context, status=status)


class ActivityDeleteView(generic.ObjectDeleteView):
    """Deletes a kegiatan with its years and the links to the gaps it closes (the gaps themselves stay)."""

    model = Activity
    queryset = Activity.objects.select_related("program__initiative__target")

    def post(self, request, pk):
        parent = self.resolve(request, pk).program.initiative.target.get_absolute_url()
        response = super().post(request, pk)
        return redirect(parent) if response.status_code == 302 else response
