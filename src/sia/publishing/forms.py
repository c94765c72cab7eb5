from django import forms
from django.utils.translation import gettext_lazy as _

from sia.architecture.models.base import current_period
from sia.core import permissions
from sia.organizations.models import Department

from sia.exchange.services import institutions_for
from .choices import DocumentContent, DocumentLanguage


class DocumentRequestForm(forms.Form):
    """The options of a Dokumen Arsitektur SPBE; ``jobs.request_document`` checks and validates them."""

    institution = forms.ModelChoiceField(queryset=None, label=_("Instansi"), empty_label=None)
    department = forms.ModelChoiceField(queryset=None, label=_("Perangkat daerah"), required=False,
                                        empty_label=_("Seluruh instansi"))
    content = forms.ChoiceField(label=_("Isi"), choices=DocumentContent.choices, initial=DocumentContent.VALIDATED,
                                widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Bahasa"), choices=DocumentLanguage.choices,
                                 initial=DocumentLanguage.INDONESIAN)
    period = forms.CharField(label=_("Periode"), max_length=9, required=False,
                             help_text=_("TTTT-TTTT, mis. 2025-2029; kosong: periode berjalan."))
    version = forms.CharField(label=_("Versi dokumen"), max_length=20, required=False, initial="1.0")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = institutions_for(user)
        self.fields["institution"].queryset = institutions
        self.fields["department"].queryset = permissions.visible(
            user, Department.objects.filter(institution__in=institutions, is_active=True)
        ).select_related("institution").order_by("institution__name", "name")
        self.fields["period"].widget.attrs["placeholder"] = current_period()
