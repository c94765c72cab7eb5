"""The upload form of the Peta Rencana workbook (the file is checked by ``sia.core.workbooks`` when it is read)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sia.core.validators import file_input_attrs


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Ekspor atau templat Peta Rencana yang sudah diisi. Pratinjau dulu; tidak ada yang disimpan sebelum "
                    "Anda menekan Simpan semua."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            file_input_attrs(max_bytes=settings.SIA_IMPORT_MAX_BYTES, extensions={"xlsx"}))
