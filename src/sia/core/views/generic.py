"""Generic views: a model's pages are declarations (queryset, filterset, form, columns, template)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from .. import paging, permissions
from ..forms import REFRESH_PARAM
from ..dashboard import panels_for_object
from ..history import history_entries
from ..tables import Table


def route_name(model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}:{meta.model_name}_{action}" if action else f"{meta.app_label}:{meta.model_name}"


def optional_url(model, action: str, *args) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse(route_name(model, action), args=args)
    except NoReverseMatch:
        return None


class ModelViewMixin(LoginRequiredMixin):
    model = None
    queryset = None

    def get_queryset(self):
        base = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return base.all()

    def visible_queryset(self, action=permissions.VIEW):
        return permissions.visible(self.request.user, self.get_queryset(), action)

    def get_object(self, pk):
        return get_object_or_404(self.visible_queryset(), pk=pk)

    def base_context(self, **extra):
        meta = self.model._meta
        context = {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": optional_url(self.model, "list"),
        }
        context.update(extra)
        return context


# Other formats a list page answers with ``?format=<name>`` (CSV, registered by the exchange app):
# ``render(view, request, queryset)`` gets the filtered, permission-scoped queryset and returns the response.
LIST_EXPORTS: dict = {}


def register_list_export(name: str, render) -> None:
    LIST_EXPORTS[name] = render


class ObjectListView(ModelViewMixin, View):
    filterset_class = None
    filter_fields: tuple | None = None  # the filters shown on the page (None: all); the API offers all
    columns: list = []
    template_name = "generic/object_list.html"
    paginate_by = 50
    actions = ("add",)

    def get(self, request):
        queryset = self.visible_queryset()
        if not queryset.ordered:
            queryset = queryset.order_by(*(self.model._meta.ordering or ["pk"]))
        filterset = None
        if self.filterset_class:
            shown = {} if self.filter_fields is None else {"form_fields": self.filter_fields}
            filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request, **shown)
            queryset = filterset.qs
        if filterset is not None and self.filter_fields is not None:
            for name in list(filterset.form.fields):
                if name not in self.filter_fields:
                    del filterset.form.fields[name]
        export = LIST_EXPORTS.get(request.GET.get("format", ""))
        if export is not None:
            return export(self, request, queryset)
        page = Paginator(paging.paged(queryset, request.user), self.paginate_by).get_page(request.GET.get("page"))
        rows = self.page_rows(list(page.object_list))
        table = Table(self.model, self.columns, rows, reader=permissions.LinkReader(request.user))
        query = request.GET.copy()
        query.pop("page", None)
        context = self.base_context(
            table=table,
            page=page,
            filter_form=filterset.form if filterset else None,
            querystring=query.urlencode(),
            export_formats=sorted(LIST_EXPORTS),
            add_url=optional_url(self.model, "add")
            if "add" in self.actions and permissions.can_anywhere(request.user, permissions.ADD, self.model)
            else None,
        )
        context.update(self.extra_context(request))
        template = "generic/_table.html" if request.htmx and request.htmx.target == "object-table" else self.template_name
        return render(request, template, context)

    def extra_context(self, request):
        return {}

    def page_rows(self, rows: list) -> list:
        """The page's rows before the table reads them: a view reads here, for the whole page at once, what its
        columns would otherwise read row by row."""
        return rows


class ObjectView(ModelViewMixin, View):
    template_name = None
    tab = "detail"

    def get(self, request, pk):
        obj = self.get_object(pk)
        context = self.base_context(object=obj, tab=self.tab, **self.object_actions(obj))
        if self.tab == "detail":
            context["object_panels"] = panels_for_object(request, obj)
        context.update(self.extra_context(request, obj))
        return render(request, self.template_name or "generic/object.html", context)

    def object_actions(self, obj):
        user = self.request.user
        return {
            "edit_url": optional_url(self.model, "edit", obj.pk) if permissions.can(user, permissions.CHANGE, obj) else None,
            "delete_url": optional_url(self.model, "delete", obj.pk) if permissions.can(user, permissions.DELETE, obj) else None,
            "history_url": optional_url(self.model, "history", obj.pk),
        }

    def extra_context(self, request, obj):
        return {}


class ObjectHistoryView(ObjectView):
    """The "Riwayat" tab: every change of the object with who, when and what changed."""

    template_name = "generic/object_history.html"
    tab = "history"
    history_parts: tuple = ()  # child models edited with the object: ((model, fk name), ...)

    def extra_context(self, request, obj):
        return {"entries": history_entries(obj, parts=self.history_parts, user=request.user)}


class ObjectEditView(ModelViewMixin, View):
    form_class = None
    template_name = "generic/object_edit.html"

    def get_form(self, request, instance):
        kwargs = {"instance": instance, "user": request.user}
        if request.method == "POST":
            kwargs.update(data=request.POST, files=request.FILES)
        else:
            kwargs["initial"] = self.get_initial(request, instance)
        return self.form_class(**kwargs)

    def get_initial(self, request, instance):
        if instance.pk is not None and REFRESH_PARAM not in request.GET:
            return {}  # a refresh of an edit form renders the dependent fields with the values as chosen
        return {
            key: values if len(values) > 1 else values[0] for key, values in request.GET.lists() if key != REFRESH_PARAM
        }

    def resolve(self, request, pk):
        if pk is None:
            if not permissions.can_anywhere(request.user, permissions.ADD, self.model):
                raise PermissionDenied
            return self.model()
        obj = self.get_object(pk)
        if not permissions.can(request.user, permissions.CHANGE, obj):
            raise PermissionDenied
        return obj

    def get(self, request, pk=None):
        obj = self.resolve(request, pk)
        form = self.get_form(request, obj)
        if REFRESH_PARAM in request.GET and hasattr(form, "refresh_fields"):
            return self.render_refresh(request, form, obj)
        return self.render_form(request, form, obj)

    def render_refresh(self, request, form, obj):
        """Only the fields that depend on the changed one (``HX-Trigger-Name``), as out-of-band swaps."""
        trigger = request.headers.get("HX-Trigger-Name", "")
        names = form.refresh_fields(trigger.removeprefix(form.prefix + "-") if form.prefix else trigger)
        context = self.base_context(form=form, object=obj, fields=[form[name] for name in names])
        return render(request, "generic/_form_refresh.html", context)

    def post(self, request, pk=None):
        obj = self.resolve(request, pk)
        creating = obj.pk is None
        form = self.get_form(request, obj)
        if form.is_valid():
            action = permissions.ADD if creating else permissions.CHANGE
            if not permissions.can(request.user, action, form.instance):
                form.add_error(None, _("Anda tidak berwenang menyimpan data ini di instansi/OPD tersebut."))
            else:
                with transaction.atomic():
                    obj = self.save_form(form)
                messages.success(
                    request,
                    (_("%(model)s “%(obj)s” ditambahkan.") if creating else _("%(model)s “%(obj)s” disimpan."))
                    % {"model": self.model._meta.verbose_name, "obj": obj},
                )
                return redirect(self.success_url(obj))
        return self.render_form(request, form, obj, status=400)

    def save_form(self, form):
        return form.save()

    def success_url(self, obj):
        return obj.get_absolute_url()

    def render_form(self, request, form, obj, status=200):
        context = self.base_context(form=form, object=obj, creating=obj.pk is None)
        context.update(self.extra_context(request, form, obj))
        return render(request, self.template_name, context, status=status)

    def extra_context(self, request, form, obj):
        return {}


class ObjectDeleteView(ModelViewMixin, View):
    """Deletes when nothing depends on the object; otherwise explains and offers deactivation."""

    template_name = "generic/object_delete.html"

    def resolve(self, request, pk):
        obj = self.get_object(pk)
        if not permissions.can(request.user, permissions.DELETE, obj):
            raise PermissionDenied
        return obj

    def get(self, request, pk):
        obj = self.resolve(request, pk)
        return render(request, self.template_name, self.base_context(object=obj))

    def post(self, request, pk):
        obj = self.resolve(request, pk)
        label = str(obj)
        try:
            with transaction.atomic():
                self.perform_delete(obj)
        except ProtectedError:
            message = _("“%(obj)s” tidak dapat dihapus karena masih memiliki data terkait.") % {"obj": label}
            if hasattr(obj, "is_active"):
                message += " " + _("Nonaktifkan saja.")
            messages.error(request, message)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("“%(obj)s” dihapus.") % {"obj": label})
        return redirect(optional_url(self.model, "list") or "home")

    def perform_delete(self, obj):
        obj.delete()


class ObjectToggleActiveView(ModelViewMixin, View):
    """Deactivates (or reactivates) an object that has an ``is_active`` flag."""

    def post(self, request, pk):
        obj = self.get_object(pk)
        if not permissions.can(request.user, permissions.CHANGE, obj):
            raise PermissionDenied
        if not hasattr(obj, "is_active"):
            raise Http404
        obj.is_active = not obj.is_active
        obj.save(update_fields=["is_active", "updated"])
        messages.success(
            request,
            (_("“%(obj)s” diaktifkan kembali.") if obj.is_active else _("“%(obj)s” dinonaktifkan.")) % {"obj": obj},
        )
        return redirect(obj.get_absolute_url())
