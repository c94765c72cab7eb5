"""Pages of the architecture domains. Each domain gets the same pages, made from its DomainSpec."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.defaultfilters import truncatechars
from django.utils.timezone import template_localtime
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions
from sia.core.integers import db_id
from sia.core.tables import Column
from sia.core.views import generic
from sia.organizations.models import Department

from . import completeness, queues, usage, workflow
from .expiry import FILTER as EXPIRY_FILTER
from .editing import Edit, Outcome
from .choices import ReviewStatus
from .filtersets import filterset_for
from .forms import ReviewCommentForm, ValueListItemForm, form_for
from .links import incoming_links, outgoing_links
from .linkspec import link_spec
from .models import BusinessProcess, ValueListItem


# The gap fields (``sia.architecture.gap_catalog``) after the state they go with.
GAP_FIELDS = ("upgrades", "retiring", "retire_year")


def detail_fields(obj, reader: permissions.LinkReader) -> list[tuple]:
    """(label, value) pairs of the fields a domain declares, for the detail page; a reference to a
    row the reader may not see shows as “(tersembunyi)”."""
    rows = []
    for name in ("code", "department", "reference", "period", "state", *GAP_FIELDS, "status") + obj.spec.form_fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            continue
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        if field.is_relation and value is not None and not reader.shows(value):
            value = permissions.HIDDEN
        if isinstance(value, bool):
            value = _("Ya") if value else _("Tidak")
        rows.append((field.verbose_name, value))
    rows += [(label, getattr(obj, name)) for name, label in obj.spec.computed]
    return rows


def list_queryset(model):
    queryset = model.objects.select_related("department", "reference")
    for name in model.spec.list_columns:
        field = model._meta.get_field(name)
        if field.is_relation and not field.many_to_many:
            queryset = queryset.select_related(name)
    return queryset


# What a list (page, CSV, API) never reads of the rows every object is joined to: their timestamps and long texts. It
# names them (``str``), links them (ID) and decides whether the reader sees them (instansi, OPD, active). Left out of
# the join, they are not sent, parsed (three dates a row on SQLite) and set on the 150 joined objects of a page.
UNREAD_OF_JOINED = {
    "department": ("created", "updated", "duties", "head_position"),
    "institution": ("created", "updated", "logo"),
    "reference": ("created", "updated", "description", "source", "search_text", "search_description"),
}


def lean(queryset):
    """``queryset`` without what a list never reads of the joined OPD, instansi and reference (``UNREAD_OF_JOINED``)."""
    joined = queryset.query.select_related
    joined = joined if isinstance(joined, dict) else {}
    return queryset.defer(*(f"{name}__{field}" for name, fields in UNREAD_OF_JOINED.items() if name in joined
                            for field in fields))


def domain_columns(model) -> list[Column]:
    columns = [
        Column("code", link=True),
        Column("name", link=True),
        Column("department.abbreviation", _("OPD")),
        Column("reference.code", _("Referensi")),
    ]
    columns += [Column(name) for name in model.spec.list_columns]
    columns += [Column("state"), Column("status")]
    return columns


def select_box(obj):
    if obj.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        return ""
    return format_html(
        '<input type="checkbox" name="selected" value="{}" form="bulk-submit" aria-label="{}">', obj.pk, obj.code
    )


class DomainMixin:
    def get_queryset(self):
        return list_queryset(self.model)


class DomainListView(DomainMixin, generic.ObjectListView):
    template_name = "architecture/object_list.html"

    def get_queryset(self):
        return lean(super().get_queryset())

    def get(self, request):
        self.filterset_class = filterset_for(self.model)
        # Filters by code, never by internal number: ``?department=DINKES&parent=PB-DINKES-001``.
        self.filter_fields = ("q", "department", "status", "state", "reference", "period") + tuple(
            name for name in self.filterset_class.base_filters if name in self.model.spec.filter_fields
        ) + ((EXPIRY_FILTER,) if self.model.spec.expiry else ())
        self.columns = domain_columns(self.model)
        if workflow.can_submit_some(request.user, self.model):
            self.columns = [Column("pk", mark_safe('<span class="sr-only">Pilih</span>'), render=select_box,
                                  wrap=False)] + self.columns
        return super().get(request)

    def extra_context(self, request):
        return {
            "spec": self.model.spec,
            "bulk_submit_url": reverse(f"architecture:{self.model._meta.model_name}_bulk"),
            "can_submit": workflow.can_submit_some(request.user, self.model),
        }


class DomainView(DomainMixin, generic.ObjectView):
    template_name = "architecture/object.html"

    def object_actions(self, obj):
        actions = super().object_actions(obj)
        if not workflow.can_read_history(self.request.user, obj):
            actions["history_url"] = None
        return actions

    def extra_context(self, request, obj):
        user = request.user
        reader = permissions.LinkReader(user)
        transitions = workflow.available(obj, user)
        return {
            "spec": obj.spec,
            "fields": detail_fields(obj, reader),
            "outgoing": outgoing_links(obj, reader),
            "incoming": incoming_links(obj, reader),
            "events": workflow.conversation(obj) if workflow.can_read_history(user, obj) else None,
            "transitions": transitions,
            "in_queue": workflow.awaits_review_by(obj, transitions),
            "from_queue": request.GET.get(queues.FROM_QUEUE) == "1",
            "can_comment": workflow.can_comment(user, obj),
            "comment_form": ReviewCommentForm(),
            "submit_problems": workflow.submit_problems(obj) if obj.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED) else [],
            "action_url": reverse(f"architecture:{obj._meta.model_name}_action", args=[obj.pk]),
        }


class DomainHistoryView(DomainMixin, generic.ObjectHistoryView):
    def extra_context(self, request, obj):
        if not workflow.can_read_history(request.user, obj):
            raise PermissionDenied
        return super().extra_context(request, obj)

    def object_actions(self, obj):
        actions = super().object_actions(obj)
        if not workflow.can_read_history(self.request.user, obj):
            actions["history_url"] = None
        return actions


class DomainDeleteView(DomainMixin, generic.ObjectDeleteView):
    """Deletes only what no other object links to (``usage.delete``); otherwise lists what still uses it,
    as far as the user may see, and counts the rest."""

    template_name = "architecture/object_delete.html"

    def get(self, request, pk):
        obj = self.resolve(request, pk)
        return self.render_page(request, obj, usage.incoming(obj))

    def post(self, request, pk):
        try:
            return super().post(request, pk)
        except usage.InUse as refused:
            messages.error(request, _("“%(obj)s” tidak dihapus: masih dipakai objek lain.") % {"obj": refused.obj})
            return self.render_page(request, refused.obj, refused.holders, status=409)

    def perform_delete(self, obj):
        usage.delete(obj)

    def render_page(self, request, obj, holders, status=200):
        shown, hidden = usage.seen_by(holders, request.user)
        notes = [] if holders else usage.delete_notes(obj, request.user)  # what the delete does elsewhere
        context = self.base_context(object=obj, in_use=bool(holders), used_by=shown, hidden_count=hidden,
                                    delete_notes=notes)
        return render(request, self.template_name, context, status=status)


class DomainEditView(DomainMixin, generic.ObjectEditView):
    """Create and edit with optimistic locking: a save over someone else's change shows a conflict."""

    template_name = "architecture/object_edit.html"

    @property
    def form_class(self):
        return form_for(self.model)

    def post(self, request, pk=None):
        obj = self.resolve(request, pk)
        edit = Edit(obj, request.user)  # before the form writes its values into obj
        form = self.get_form(request, obj)
        if not form.is_valid():
            return self.render_form(request, form, obj, status=400)
        if not edit.may_save(form.instance):
            form.add_error(None, _("Anda tidak berwenang menyimpan data ini untuk OPD tersebut."))
            return self.render_form(request, form, obj, status=403)
        links = {f.name: form.cleaned_data.get(f.name) for f in self.model._meta.many_to_many if f.name in form.cleaned_data}
        result = edit.save(form.instance, links, form.cleaned_data.get("lock_version"))
        if result.outcome == Outcome.CONFLICT:
            return self.conflict(request, form, obj, result.current)
        if result.outcome == Outcome.UNCHANGED:
            messages.info(request, _("Tidak ada perubahan; tidak ada yang disimpan."))
            return redirect(obj.get_absolute_url())
        saved = result.obj
        if result.outcome == Outcome.CREATED:
            messages.success(request, _("%(model)s “%(obj)s” ditambahkan sebagai draf.") % {
                "model": self.model._meta.verbose_name, "obj": saved})
        elif result.outcome == Outcome.REOPENED:
            messages.warning(request, _("Perubahan disimpan. Objek yang sudah direview kembali menjadi draf dan perlu diajukan ulang."))
        else:
            messages.success(request, _("Perubahan disimpan."))
        return redirect(saved.get_absolute_url())

    def conflict(self, request, form, obj, current):
        changed = []
        for name, field in form.fields.items():
            if name == "lock_version" or name not in form.cleaned_data:
                continue
            model_field = current._meta.get_field(name)
            if model_field.many_to_many:
                continue
            theirs = getattr(current, model_field.attname)
            mine = form.cleaned_data[name]
            mine = getattr(mine, "pk", mine)
            if theirs != mine and not (theirs in (None, "") and mine in (None, "")):
                changed.append((field.label, getattr(current, name)))
        form.data = form.data.copy()
        form.data["lock_version"] = current.lock_version
        form.add_error(None, _(
            "Orang lain telah menyimpan perubahan pada objek ini sejak Anda membukanya. Isian Anda tidak hilang: "
            "periksa nilai terbaru di bawah, lalu simpan lagi untuk menimpanya."
        ))
        context = self.base_context(form=form, object=obj, creating=False, conflict=changed, spec=obj.spec)
        return render(request, self.template_name, context, status=409)

    def extra_context(self, request, form, obj):
        return {"spec": self.model.spec}


class DomainActionView(LoginRequiredMixin, View):
    """POST a review transition or a comment on one object."""

    model = None

    def post(self, request, pk):
        obj = get_object_or_404(permissions.visible(request.user, self.model.objects.all()), pk=pk)
        action = request.POST.get("action", "")
        text = request.POST.get("comment", "")
        waited_in = obj.status
        try:
            if action == "komentar":
                workflow.comment(obj, request.user, text)
                messages.success(request, _("Komentar dikirim."))
                return redirect(obj.get_absolute_url())
            workflow.apply(obj, action, request.user, text)
            messages.success(request, _("%(code)s: status sekarang %(status)s.") % {
                "code": obj.code, "status": obj.get_status_display()})
        except workflow.TransitionError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(obj.get_absolute_url())
        except PermissionDenied as error:
            messages.error(request, str(error) or _("Anda tidak berwenang melakukan tindakan ini."))
            return redirect(obj.get_absolute_url())
        if request.POST.get("next") == "queue" and waited_in in workflow.REVIEW_QUEUES:
            return redirect_to_next(request, waited_in, obj)
        back = request.POST.get("return_to", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect(obj.get_absolute_url())


def redirect_to_next(request, status, obj):
    """After a review action: the next item of the same queue, in the home page's order, or home when none."""
    following = queues.item_after(request.user, status, obj)
    if following is None:
        messages.info(request, _("Antrean selesai: tidak ada lagi objek yang menunggu."))
        return redirect("home")
    return redirect(queues.queue_url(following))


class DomainBulkSubmitView(LoginRequiredMixin, View):
    """Submits the selected drafts of a list page."""

    model = None

    def post(self, request):
        ids = [db_id(i) for i in request.POST.getlist("selected") if db_id(i) is not None]
        objects = permissions.visible(request.user, self.model.objects.filter(pk__in=ids))
        done, failed = workflow.bulk_apply(list(objects), workflow.A.SUBMIT, request.user)
        if done:
            messages.success(request, _("%(n)d objek diajukan.") % {"n": len(done)})
        for obj, message in failed:
            messages.error(request, f"{obj.code}: {message}")
        if not ids:
            messages.warning(request, _("Pilih dulu objek yang akan diajukan."))
        return redirect(list_url_with_filters(self.model, request.POST.get("query", "")))


class LinkSearchView(LoginRequiredMixin, View):
    """The objects a cross-OPD link of ``model`` may point to that match ``?q=`` (words in the code, the
    name or the OPD's abbreviation), for the search picker of its form (``forms.LinkPickerField``): JSON
    ``{"results": [{"id", "code", "name", "department", "label"}], "more"}``, the rows the form offers
    (``permissions.choices``), of the instansi ``?instansi=`` names."""

    model = None
    LIMIT = 20

    def get(self, request, field):
        link = link_spec(self.model, field)
        if link is None or not link.cross_opd or not self.model._meta.get_field(field).many_to_many:
            raise Http404
        target = link.target_model(self.model)
        words = request.GET.get("q", "").split()[:8]
        if not words:
            return JsonResponse({"results": [], "more": False})
        queryset = permissions.choices(request.user, target.objects.all())
        institution_id = db_id(request.GET.get("instansi"))
        if institution_id is not None:
            queryset = queryset.filter(institution_id=institution_id)
        for word in words:
            word = word[:60]
            queryset = queryset.filter(
                Q(code__icontains=word) | Q(name__icontains=word) | Q(department__abbreviation__iexact=word)
            )
        rows = list(queryset.select_related("department").order_by("code", "pk")[: self.LIMIT + 1])
        return JsonResponse({
            "results": [
                {"id": row.pk, "code": row.code, "name": row.name, "department": row.department.abbreviation,
                 "label": f"{row.code} {row.name} ({row.department.abbreviation})"}
                for row in rows[: self.LIMIT]
            ],
            "more": len(rows) > self.LIMIT,
        })


def list_url_with_filters(model, query: str) -> str:
    """The domain's list page with the filters it was showing (a page number is dropped: the list changed)."""
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    url = reverse(f"architecture:{model._meta.model_name}_list")
    return f"{url}?{params.urlencode()}" if params else url


@login_required
def process_tree(request):
    """An OPD's business processes as a tree (one query)."""
    departments = permissions.visible(request.user, Department.objects.filter(is_active=True)).order_by("name")
    department = None
    department_id = request.GET.get("department")
    if db_id(department_id) is not None:
        department = get_object_or_404(departments, pk=db_id(department_id))
    elif departments[:2].count() == 1:
        department = departments.first()
    roots, count = [], 0
    if department is not None:
        visible = permissions.visible(request.user, BusinessProcess.objects.filter(department=department))
        processes = list(visible.select_related("reference").only(*TREE_COLUMNS).order_by("code"))
        count = len(processes)
        functions = function_texts(visible)
        children = {}
        for process in processes:
            children.setdefault(process.parent_id, []).append(process)
        known = {p.pk for p in processes}
        for process in processes:
            process.tree_children = children.get(process.pk, [])
            process.tree_functions = functions.get(process.pk, ())
        roots = [p for p in processes if p.parent_id is None or p.parent_id not in known]
    return render(request, "architecture/process_tree.html", {
        "departments": departments, "department": department, "roots": roots, "count": count,
        "tree": tree_html(tree_steps(roots)),
    })


# What a node of the tree shows (tree_html): a whole row would read and convert every column of each process.
TREE_COLUMNS = ("code", "name", "status", "parent_id", "reference__code")


def function_texts(processes) -> dict[int, list[str]]:
    """The descriptions of the OPD functions each of ``processes`` (a queryset) carries out, in the functions' order,
    by process ID: one query of two columns (a prefetch made a manager, a queryset and a function per process)."""
    link = BusinessProcess.functions.through
    ordering = [f"departmentfunction__{name}" for name in link._meta.get_field("departmentfunction")
                .related_model._meta.ordering]
    texts = {}
    rows = (link.objects.filter(businessprocess__in=processes.values("pk"))
            .order_by(*ordering).values_list("businessprocess_id", "departmentfunction__description"))
    for process_id, description in rows:
        texts.setdefault(process_id, []).append(description)
    return texts


def short_text(text: str, length: int) -> str:
    """``truncatechars(text, length)``, without its walk over the characters when the text is short already (and in
    the normal form that filter gives)."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return truncatechars(text, length)


def tree_html(steps) -> str:
    """The walk of ``tree_steps`` as the items of ``<ul class="tree">``, written here as the template wrote them node
    by node (link, status badge, reference, functions), with the status labels looked up once."""
    labels = {value: str(label) for value, label in ReviewStatus.choices}
    parts = []
    for kind, node in steps:
        if kind != "node":
            parts.append("</ul></li>")
            continue
        reference = f'<small class="muted">{escape(node.reference.code)}</small>' if node.reference else ""
        functions = "".join(f'<small class="muted">· {escape(short_text(text, 60))}</small>'
                            for text in node.tree_functions)
        parts.append(
            f'<li><a href="{escape(node.get_absolute_url())}">{escape(node.code)} {escape(node.name)}</a>\n'
            f'  <small class="badge status-{escape(node.status)}">{escape(labels.get(node.status, node.status))}</small>\n'
            f'  {reference}\n  {functions}\n  {"<ul>" if node.tree_open else "</li>"}'
        )
    return mark_safe("".join(parts))


def tree_steps(roots) -> list[tuple]:
    """The tree as a flat walk the template renders in one loop (a recursive include parsed and rendered a template
    per node): ("node", process) opens an item (and its sub-list when it has children), ("close", None) ends a
    sub-list and the item that holds it. Each process is walked once."""
    steps, seen = [], set()
    stack = [("node", node) for node in reversed(roots)]
    while stack:
        kind, node = stack.pop()
        if kind == "node":
            if node.pk in seen:
                continue
            seen.add(node.pk)
            children = [child for child in node.tree_children if child.pk not in seen]
            node.tree_open = bool(children)
            steps.append((kind, node))
            if children:
                stack.append(("close", None))
                stack.extend(("node", child) for child in reversed(children))
        else:
            steps.append((kind, None))
    return steps


@login_required
def needs_action(request):
    """"Perlu tindakan": what waits for this user, whatever their role."""
    groups = workflow_queues(request.user)
    return render(request, "architecture/needs_action.html", {"groups": groups})


QUEUE_PAGE = 50


def workflow_queues(user):
    """The queues ``queues.needs_action_queues`` gives the user's roles, each with its first items per domain
    (``queues.waiting_by_kind``: one query per queue, however many domains), each item as its line of the page
    (``queue_line``: hundreds of items, each through the template engine, cost more than their figures). The
    lines are kept between requests as the queues are (``queues.keep``: the reader's grants, the generation, the
    language; never a verifikator's) and under the time zone their dates are written in; only read."""
    return queues.keep("needs_action", user, (timezone.get_current_timezone_name(), QUEUE_PAGE),
                       lambda: _workflow_queues(user))


def _workflow_queues(user) -> tuple:
    """Each queue's rows, one per kind with objects waiting. Each kind's row (its lines) is kept under that kind's
    part of the generation (``queues.keep_kinds``): after a change, only the changed kind's lines are made again."""
    groups = []
    zone = timezone.get_current_timezone_name()
    models = queues.queue_models()
    for label, status, own_only in queues.needs_action_queues(user):
        rows = queues.keep_kinds("needs_action_rows", user, models, (str(status), own_only, zone, QUEUE_PAGE),
                                 lambda stale, status=status, own_only=own_only: _queue_rows(user, status, own_only,
                                                                                            stale))
        groups.append((label, tuple(row for row in rows.values() if row is not None)))
    return tuple(groups)


def _queue_rows(user, status, own_only: bool, models: list) -> dict:
    """``{kind: (label, lines, how many wait, link to the rest)}`` of ``models`` (None: nothing waits)."""
    since, badge = _("sejak %(date)s"), format_html(' <span class="badge own">{}</span>', _("binaan Anda"))
    dates: dict = {}  # each date's "sejak ..." once per page
    rows = {queues.kind_key(model): None for model in models}
    for model, items, total in queues.waiting_by_kind(user, status, QUEUE_PAGE, own_only, models):
        more = queues.kind_url(model, "list") + f"?status={status}"
        rows[queues.kind_key(model)] = (queues.queue_label(model, plural=True),
                                        tuple(queue_line(item, since, badge, dates) for item in items), total, more)
    return rows


def queue_line(item, since: str, badge, dates: dict | None = None) -> str:
    """One waiting object on "Perlu tindakan": its link, OPD, a badge when the reader mentors the OPD, and since when
    it waits (the date in the reader's time zone and language, as the template's ``date:"j M Y"``; ``dates``: the
    texts made so far, by date)."""
    department = getattr(item, "department", None)
    day = template_localtime(item.entered).date()
    text = None if dates is None else dates.get(day)
    if text is None:
        text = escape(since % {"date": formats.date_format(day, "j M Y")})
        if dates is not None:
            dates[day] = text
    abbreviation = escape(department.abbreviation) if department is not None else ""
    mentored, own = (' data-mentored="1"', badge) if item.mentored else ("", "")
    return mark_safe(f'<li{mentored}><a href="{escape(item.get_absolute_url())}">{escape(str(item))}</a> '
                     f'<small class="muted">{abbreviation}{own} · {text}</small></li>')  # every value escaped


@login_required
def completeness_view(request):
    table = completeness.table_for(request.user)
    return render(request, "architecture/completeness.html", {"table": table})


class ValueListView(generic.ObjectListView):
    model = ValueListItem
    queryset = ValueListItem.objects.select_related("institution")
    columns = [Column("name", link=True), Column("kind"), Column("order"), Column("is_active"), Column("institution.name", _("Instansi"))]
    template_name = "generic/object_list.html"


class ValueListItemView(generic.ObjectView):
    model = ValueListItem
    template_name = "architecture/valuelistitem.html"


class ValueListItemEditView(generic.ObjectEditView):
    model = ValueListItem
    form_class = ValueListItemForm


class ValueListItemDeleteView(generic.ObjectDeleteView):
    model = ValueListItem


class ValueListItemHistoryView(generic.ObjectHistoryView):
    model = ValueListItem


def domain_view(base, model):
    """A view class of ``base`` bound to one domain model."""
    return type(f"{model.__name__}{base.__name__}", (base,), {"model": model})

