"""Pages of application integrations (``ApplicationIntegration``: a link with attributes between two
applications, declared on ``Application.spec.links`` with ``through``): list, detail, add (from an
application's page, the source preset), edit, delete and history, on the generic views.

Who may do what is ``IntegrationPolicy`` (``sia.architecture.policies``): it follows the source
application. Every rule on the pair is the model's ``clean()``, the one the API applies too.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.filtersets import CodeOrIdFilter, SearchFilterSet
from sia.core.forms import ScopedModelForm
from sia.core.integers import db_id, in_db_range
from sia.core.tables import Column
from sia.core.views import generic

from .choices import IntegrationChannel, IntegrationDirection
from .models import ApplicationIntegration


def integration_queryset():
    return ApplicationIntegration.objects.select_related(
        "institution", "source__department", "target__department",
    )


class IntegrationFilterSet(SearchFilterSet):
    """``?application=AP-DINKES-001`` (either end, code or ID), ``?channel=splp``, ``?direction=dua-arah``."""

    search_fields = ("data_exchanged", "description", "source__name", "source__code", "target__name", "target__code")
    application = CodeOrIdFilter(method="filter_application", label=_("Aplikasi (sumber atau tujuan)"))
    source = CodeOrIdFilter(field_name="source", label=_("Aplikasi sumber"))
    target = CodeOrIdFilter(field_name="target", label=_("Aplikasi tujuan"))
    channel = django_filters.MultipleChoiceFilter(choices=IntegrationChannel.choices, label=_("Jalur"))
    direction = django_filters.MultipleChoiceFilter(choices=IntegrationDirection.choices, label=_("Arah"))

    class Meta:
        model = ApplicationIntegration
        fields = ["q", "application", "source", "target", "channel", "direction"]

    def filter_application(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q(source__code__iexact=value) | Q(target__code__iexact=value)
        if value.isascii() and value.isdigit() and in_db_range(int(value)):
            q |= Q(source_id=int(value)) | Q(target_id=int(value))
        return queryset.filter(q)


class IntegrationForm(ScopedModelForm):
    """Source: the applications the user may change; target: any application of the instansi they see
    (an integration may cross OPDs). ``clean()`` of the model decides the pair."""

    class Meta:
        model = ApplicationIntegration
        fields = ["source", "target", "direction", "channel", "data_exchanged", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        target = self.fields["target"]
        if self.user is not None:
            source.queryset = permissions.visible(self.user, source.queryset, permissions.CHANGE)
        source.queryset = source.queryset.select_related("department").order_by("code")
        target.queryset = target.queryset.select_related("department").order_by("code")
        if self.instance.pk:
            # The source decides who owns the integration: it is not moved to another application.
            source.disabled = True
        source_id = self.instance.source_id or self.initial.get("source")
        if source_id and not self.is_bound:
            target.queryset = target.queryset.exclude(pk=source_id)


class IntegrationMixin:
    model = ApplicationIntegration

    def get_queryset(self):
        return integration_queryset()


class IntegrationListView(IntegrationMixin, generic.ObjectListView):
    filterset_class = IntegrationFilterSet
    filter_fields = ("q", "application", "channel", "direction")
    columns = [
        Column("source", link=True),
        Column("direction", render=lambda row: row.arrow),
        Column("target"),
        Column("channel"),
        Column("data_exchanged"),
        Column("source.department.abbreviation", _("OPD")),
    ]


class IntegrationView(IntegrationMixin, generic.ObjectView):
    template_name = "architecture/integration.html"

    def object_actions(self, obj):
        actions = super().object_actions(obj)
        if not permissions.can(self.request.user, permissions.HISTORY, obj):
            actions["history_url"] = None
        return actions

    def extra_context(self, request, obj):
        reader = permissions.LinkReader(request.user)
        return {"target_hidden": not reader.shows(obj.target)}


class IntegrationEditView(IntegrationMixin, generic.ObjectEditView):
    form_class = IntegrationForm
    template_name = "architecture/integration_edit.html"

    def extra_context(self, request, form, obj):
        """The source application (to go back to it): the stored one, or the one the add page was opened from."""
        if obj.source_id:
            return {"source": obj.source}
        source_id = db_id(form["source"].value())
        return {"source": form.fields["source"].queryset.filter(pk=source_id).first() if source_id else None}


class IntegrationDeleteView(IntegrationMixin, generic.ObjectDeleteView):
    pass


class IntegrationHistoryView(IntegrationMixin, generic.ObjectHistoryView):
    def extra_context(self, request, obj):
        if not permissions.can(request.user, permissions.HISTORY, obj):
            raise PermissionDenied
        return super().extra_context(request, obj)


def add_url_for(application) -> str:
    """The “Tambah integrasi” page with ``application`` as the source."""
    from django.urls import reverse

    return f"{reverse('architecture:applicationintegration_add')}?source={application.pk}"

