"""The governance register's pages: list (filters by type and status), a document with its team, its form with the
members, its file (permission-checked), history and delete; and the attach action of an indicator's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic
from sia.evaluation.evidence_items import item_by_code
from sia.evaluation.models import Assessment, Indicator

from . import files, filtersets, forms
from .evidence import attach_documents
from .models import PolicyDocument, TeamMember


class PolicyDocumentListView(generic.ObjectListView):
    model = PolicyDocument
    queryset = PolicyDocument.objects.select_related("institution")
    filterset_class = filtersets.PolicyDocumentFilterSet
    filter_fields = ("q", "type", "status", "in_force")
    columns = [Column("get_type_display", _l("Jenis")), Column("number", link=True), Column("title", link=True),
               Column("date"), Column("valid_until"), Column("status")]


class PolicyDocumentView(generic.ObjectView):
    """A document: its fields, file, the indicators it evidences, what replaced it, and its team."""

    model = PolicyDocument
    queryset = PolicyDocument.objects.select_related("institution", "replaced_by", "blob")
    template_name = "governance/policydocument.html"

    def extra_context(self, request, obj):
        indicators = obj.indicators.select_related("framework").order_by("framework__code", "number")
        replaces = permissions.visible(request.user, PolicyDocument.objects.filter(replaced_by=obj))
        replaced_by = obj.replaced_by if obj.replaced_by_id and permissions.can(
            request.user, permissions.VIEW, obj.replaced_by) else None
        return {"members": list(TeamMember.objects.filter(document=obj).order_by("order", "pk")),
                "indicators": [(i.framework.term("index"), i) for i in indicators], "replaces": list(replaces),
                "replaced_by": replaced_by, "in_force": obj.is_in_force(),
                "download_url": reverse("governance:policydocument_file", args=[obj.pk]) if obj.blob_id else None}


class PolicyDocumentHistoryView(generic.ObjectHistoryView):
    model = PolicyDocument
    history_parts = ((TeamMember, "document"),)


class PolicyDocumentEditView(generic.ObjectEditView):
    """Create and change a document with its file and, for the decrees forming a team, its members."""

    model = PolicyDocument
    form_class = forms.PolicyDocumentForm
    template_name = "governance/policydocument_edit.html"

    def get(self, request, pk=None):
        obj = self.resolve(request, pk)
        return self.render_form(request, self.get_form(request, obj), obj)

    def post(self, request, pk=None):
        obj = self.resolve(request, pk)
        creating = obj.pk is None
        form = self.get_form(request, obj)
        valid = form.is_valid()  # first: writes the form's values into the instance the members are checked with
        members = forms.MemberFormSet(request.POST, instance=form.instance, prefix="members")
        if not (members.is_valid() and valid):
            return self.render_form(request, form, obj, members, status=400)
        if not permissions.can(request.user, permissions.ADD if creating else permissions.CHANGE, form.instance):
            form.add_error(None, _("Anda tidak berwenang menyimpan data ini di instansi tersebut."))
            return self.render_form(request, form, obj, members, status=403)
        try:
            document = files.save_document(form.instance, upload=form.cleaned_data.get("file") or None,
                                           indicators=form.cleaned_data.get("indicators"))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(request, form, obj, members, status=400)
        members.instance = document
        members.save()
        messages.success(request, (_("%(model)s “%(obj)s” ditambahkan.") if creating else
                                   _("%(model)s “%(obj)s” disimpan.")) % {"model": self.model._meta.verbose_name,
                                                                          "obj": document})
        return redirect(document.get_absolute_url())

    def render_form(self, request, form, obj, members=None, status=200):
        if members is None:
            members = forms.MemberFormSet(instance=obj, prefix="members")
        context = self.base_context(form=form, object=obj, creating=obj.pk is None, members=members,
                                    formset=members)
        return render(request, self.template_name, context, status=status)


class PolicyDocumentDeleteView(generic.ObjectDeleteView):
    model = PolicyDocument

    def perform_delete(self, obj):
        blob_id = obj.blob_id
        obj.delete()
        files.drop_if_unused(blob_id)


class PolicyDocumentFileView(LoginRequiredMixin, View):
    """The document's file, to those who may read the document (404 otherwise, or without a file)."""

    def get(self, request, pk):
        document = get_object_or_404(permissions.visible(request.user, PolicyDocument.objects.select_related("blob")),
                                     pk=pk)
        if document.blob_id is None:
            raise Http404(_("Dokumen ini belum memiliki berkas."))
        return files.download_response(document)


class AttachDocumentsView(LoginRequiredMixin, View):
    """POST from an indicator's page: the files of the documents in force that evidence it become its evidence
    (optionally on one of its evidence items, ``item``); back to its evidence."""

    http_method_names = ["post"]

    def post(self, request, pk, number):
        assessment = get_object_or_404(
            permissions.visible(request.user, Assessment.objects.select_related("institution", "framework")
                                .prefetch_related("locks")), pk=pk)
        indicator = get_object_or_404(Indicator, framework=assessment.framework, number=number)
        target = reverse("evaluation:assessment_indicator", args=[assessment.pk, indicator.number]) + "#bukti"
        code = (request.POST.get("item") or "").strip()
        try:
            item = item_by_code(assessment, code) if code else None
            attached = attach_documents(assessment, indicator, user=request.user, item=item)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages), extra_tags="answer")
        else:
            messages.success(request, _("Dilampirkan sebagai bukti dukung: %(names)s.") % {
                "names": "; ".join(f"“{e.title}” ({e.file_name})" for e in attached)}, extra_tags="answer")
        return redirect(target)
