"""The gap catalog page (``/arsitektur/kesenjangan/``): the gaps of ``sia.architecture.gap_catalog`` with the
filters OPD, domain and kind of gap, counted per OPD and domain; each row links to its object and, for an
upgrade, to the as-is object it develops. Apps above architecture add columns through
``gap_catalog.register_gap_annotator`` (the roadmap: the kegiatan closing each gap, or a warning)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .gap_catalog import GapKind, annotate_gaps, counts, departments_of, gap_catalog, institutions_for, totals
from .kindgroups import kind_groups


class GapFilterForm(forms.Form):
    """The page's filters; a value that names nothing known is an error on its field (the catalog is not cut)."""

    instansi = forms.TypedChoiceField(label=_("Instansi"), required=False, coerce=int, empty_value=None)
    opd = forms.TypedChoiceField(label=_("OPD"), required=False, coerce=int, empty_value=None)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    jenis = forms.ChoiceField(label=_("Jenis kesenjangan"), required=False)

    def __init__(self, *args, institutions, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].choices = [(i.pk, i.name) for i in institutions]
        self.fields["opd"].choices = [("", _("Semua OPD"))] + [(d.pk, d.name) for d in departments]
        self.fields["domain"].choices = [("", _("Semua domain"))] + [(g.slug, g.label) for g, _kinds in kind_groups()]
        self.fields["jenis"].choices = [("", _("Semua jenis"))] + GapKind.choices()
        if len(institutions) < 2:
            del self.fields["instansi"]


@login_required
def gap_catalog_view(request):
    institutions = list(institutions_for(request.user))
    if not institutions:
        raise Http404(_("Anda belum anggota instansi mana pun."))
    chosen = request.GET.get("instansi")
    institution = next((i for i in institutions if str(i.pk) == chosen), institutions[0])
    departments = departments_of(request.user, institution)
    form = GapFilterForm(request.GET or None, institutions=institutions, departments=departments)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    gaps = [] if form.is_bound and form.errors else gap_catalog(
        request.user, institution, department=values.get("opd"), group=values.get("domain") or None,
        kind=values.get("jenis") or None)
    found = totals(gaps)
    annotators = annotate_gaps(request.user, institution, gaps)
    return render(request, "architecture/gap_catalog.html", {
        "form": form, "institution": institution, "gaps": gaps, "counts": counts(gaps), "annotators": annotators,
        "totals": [(label, found[key]) for key, label in GapKind.choices()],
        "gap_kinds": GapKind.choices(),
    })
