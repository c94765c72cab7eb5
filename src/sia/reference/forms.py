from django import forms
from django.utils.translation import gettext_lazy as _

from sia.core.forms import ScopedModelForm
from sia.organizations.forms import limit_institutions

from .choices import Completeness
from .models import Catalog, CatalogVersion, ReferenceNode
from .widgets import ReferenceNodeField


class ReferenceNodeForm(ScopedModelForm):
    """An instansi's own node under the deepest national node, under its own node, at the top of a
    catalog without national codes (RAK), or in a gap of a partial catalog's numbering (RAI.01)."""

    parent = ReferenceNodeField(
        queryset=ReferenceNode.objects.current().taking_institution_children(), label=_("Induk"), required=False,
        help_text=_(
            "Simpul nasional terdalam (mis. RAB.09.06.06, RAA.01.01) atau simpul instansi Anda; ketik kode atau kata "
            "dari namanya. Kosongkan hanya untuk simpul tingkat 1 di katalog tanpa kode nasional (RAK) atau pada nomor "
            "yang tidak terbit di katalog parsial (RAI.01 di samping RAI.03)."
        ),
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
        elif not self.instance.pk:
            version = top_level_version(cleaned.get("code", ""))
            if version is None:
                self.add_error("parent", _("Pilih induknya."))
            else:
                self.instance.version = version
        return cleaned

    def _get_validation_exclusions(self):
        # The version comes from the parent; keep it so that the unique constraints are checked
        # (unless no version could be found: the form has already said why).
        exclusions = super()._get_validation_exclusions()
        if self.instance.version_id is not None:
            exclusions.discard("version")
        return exclusions


def top_level_version(code: str):
    """The version in force of the catalog a code is written in (a node without parent: RAK.01), or None."""
    from .codes import CodeError, parse_code

    try:
        prefix = parse_code(code).prefix
    except CodeError:
        return None
    return CatalogVersion.objects.filter(catalog__code=prefix, is_current=True).first()


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
