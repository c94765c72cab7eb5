from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sia.core.validators import file_input_attrs
from sia.organizations.models import Institution

from .services import institutions_for, may_upload


class UploadForm(forms.Form):
    """An Excel file for the instansi the user writes to (the choice shows only with several)."""

    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Templat atau ekspor SIA yang sudah diisi. Pratinjau dulu; tidak ada yang disimpan sebelum Anda "
                    "menekan Simpan semua."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    institution = forms.ModelChoiceField(queryset=Institution.objects.none(), label=_("Instansi"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            file_input_attrs(max_bytes=settings.SIA_IMPORT_MAX_BYTES, extensions={"xlsx"})
        )
        allowed = [inst.pk for inst in institutions_for(user) if may_upload(user, inst)]
        field = self.fields["institution"]
        field.queryset = Institution.objects.filter(pk__in=allowed).order_by("name")
        self.only = allowed[0] if len(allowed) == 1 else None
        if self.only is not None:
            field.initial, field.required, field.widget = self.only, False, forms.HiddenInput()

    def clean_institution(self):
        chosen = self.cleaned_data.get("institution")
        if chosen is None and self.only is not None:
            return self.fields["institution"].queryset.get(pk=self.only)
        return chosen
