"""The document form (its fields, its file checked like evaluation evidence) and its team members (inline)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.forms import ScopedModelForm
from sia.core.validators import file_input_attrs
from sia.evaluation.uploads import ALLOWED_MIMES

from .files import check_file
from .models import PolicyDocument, TeamMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyDocumentForm(ScopedModelForm):
    """A document of the register; ``file`` is checked by the evidence rules before anything is stored
    (``sia.governance.files.save_document`` stores it)."""

    file = forms.FileField(
        label=_("Berkas dokumen"), required=False,
        help_text=_("PDF atau dokumen Office (.docx, .odt); diperiksa dari isinya seperti bukti dukung. Wajib bila "
                    "statusnya bukan draf."),
    )

    class Meta:
        model = PolicyDocument
        fields = ["institution", "type", "number", "date", "title", "valid_from", "valid_until", "status",
                  "replaced_by", "indicators"]
        widgets = {"date": DATE, "valid_from": DATE, "valid_until": DATE}
        help_texts = {"indicators": _("Kosong pada dokumen baru: indikator bawaan jenis dokumennya (Indeks SPBE "
                                      "dan Indeks Pemdi).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(file_input_attrs(
            max_bytes=settings.SIA_EVIDENCE_MAX_BYTES, extensions={e for exts in ALLOWED_MIMES.values() for e in exts}))
        institution = self.fields["institution"]
        if self.user is not None:
            institution.queryset = institution.queryset.filter(pk__in=[
                pk for pk in institution.queryset.values_list("pk", flat=True)
                if permissions.can_in(self.user, permissions.ADD, PolicyDocument, pk)])
        if self.instance.pk:
            institution.disabled = True
            self.fields["replaced_by"].queryset = self.fields["replaced_by"].queryset.filter(
                institution_id=self.instance.institution_id).exclude(pk=self.instance.pk)
        elif len(ids := list(institution.queryset.values_list("pk", flat=True)[:2])) == 1 and \
                not self.initial.get("institution"):
            self.initial["institution"] = ids[0]
        indicators = self.fields["indicators"]
        indicators.queryset = indicators.queryset.select_related("framework").order_by("framework__code", "number")
        indicators.label_from_instance = lambda i: f"{i.framework.term('index')} {i.label}. {i.name}"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_file(upload)  # ValidationError: the message of the evidence check
            self.instance._pending_upload = True
        return upload


class TeamMemberForm(forms.ModelForm):
    """A row of the team; an empty order takes the row's place (an untouched empty row stays empty)."""

    class Meta:
        model = TeamMember
        fields = ["order", "name", "nip", "position", "role"]
        widgets = {"order": forms.NumberInput(attrs={"min": 1, "class": "narrow"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required, self.fields["order"].initial = False, None
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", field.label)

    def has_changed(self):
        """A row counts once a name, NIP or position is written (order and role have values on an empty row)."""
        return any(name in self.changed_data for name in ("name", "nip", "position"))

    def clean_order(self):
        order = self.cleaned_data.get("order")
        return order or int(self.prefix.rsplit("-", 1)[-1]) + 1


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if filled and not self.instance.forms_team:
            raise ValidationError(_("%(type)s tidak membentuk tim; anggota tim dicatat pada SK Tim Koordinasi SPBE "
                                    "atau SK Tim Evaluator/Asesor Internal.")
                                  % {"type": self.instance.get_type_display() or _("Dokumen ini")})


MemberFormSet = forms.inlineformset_factory(
    PolicyDocument, TeamMember, form=TeamMemberForm, formset=BaseMemberFormSet, extra=3, can_delete=True,
    max_num=60, validate_max=True,
)
