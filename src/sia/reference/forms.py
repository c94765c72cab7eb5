from django import forms
from django.utils.translation import gettext_lazy as _

from sia.core.forms import ScopedModelForm
from sia.organizations.forms import limit_institutions

from .choices import Completeness
from .models import Catalog, ReferenceNode
from .widgets import ReferenceNodeField


class ReferenceNodeForm(ScopedModelForm):
    """An instansi's own node (level 4 and deeper) under a national or own node."""

    parent = ReferenceNodeField(
        min_level=3, max_level=6, label=_("Induk"),
        help_text=_("Simpul tingkat 3 nasional atau simpul instansi Anda; ketik kode atau kata dari namanya."),
    )

    class Meta:
        model = ReferenceNode
        fields = ["parent", "institution", "code", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].required = True
        limit_institutions(self, ReferenceNode)
        if self.instance.pk:
            # The parent stays as it is, even when it belongs to a version no longer in force.
            self.fields["parent"].queryset = ReferenceNode.objects.filter(pk=self.instance.parent_id)
            self.fields["parent"].disabled = True
            self.fields["institution"].disabled = True

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if parent is not None:
            self.instance.version = parent.version
            self.instance.parent = parent
        return cleaned

    def _get_validation_exclusions(self):
        # The version comes from the parent; keep it so that the unique constraints are checked.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("version")
        return exclusions


class ImportForm(forms.Form):
    """Upload of a catalog version (CSV or Excel) with what the version is."""

    catalog = forms.ModelChoiceField(Catalog.objects.all(), label=_("Katalog"), to_field_name="code")
    file = forms.FileField(
        label=_("Berkas"), required=False,
        help_text=_("CSV (UTF-8) atau Excel .xlsx dengan kolom code, name dan (opsional) description; induk dan tingkat diturunkan dari kode."),
    )
    name = forms.CharField(label=_("Nama versi"), max_length=200, help_text=_("Mis. Perpres 132/2022 (ralat 2025)."))
    source = forms.CharField(label=_("Sumber"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_date = forms.DateField(label=_("Tanggal berlaku"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    completeness = forms.ChoiceField(label=_("Kelengkapan"), choices=Completeness.choices, initial=Completeness.COMPLETE)
    notes = forms.CharField(label=_("Catatan kelengkapan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from sia.core.validators import file_input_attrs

        from .importer import ALLOWED_MIMES

        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(file_input_attrs(
            max_bytes=settings.SIA_IMPORT_MAX_BYTES, extensions={e for exts in ALLOWED_MIMES.values() for e in exts},
        ))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("token"):
            self.add_error("file", _("Pilih berkas CSV atau Excel."))
        return cleaned
