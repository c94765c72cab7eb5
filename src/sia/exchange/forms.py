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


class SnapshotExportForm(forms.Form):
    """The instansi whose archive to write: those the user is admin of (a superuser: every active one)."""

    institution = forms.ModelChoiceField(queryset=Institution.objects.none(), label=_("Instansi"))
    credentials = forms.BooleanField(label=_("Sertakan hash kata sandi pengguna"), required=False, help_text=_(
        "Khusus superuser. Simpan dan kirim arsipnya seaman cadangan basis data."))

    def __init__(self, *args, user, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            pk__in=[inst.pk for inst in institutions]).order_by("name")
        if len(institutions) == 1:
            self.fields["institution"].initial = institutions[0].pk
        if not user.is_superuser:
            del self.fields["credentials"]


class SnapshotRestoreForm(forms.Form):
    """An archive to restore (superusers), with the restorer's decisions."""

    file = forms.FileField(label=_("Arsip cadangan instansi (.zip)"), help_text=_(
        "Arsip yang diekspor SIA. Seluruh arsip diperiksa dulu; bila ada yang rusak, tidak ada yang dipulihkan."))
    code = forms.CharField(label=_("Kode instansi baru"), max_length=20, required=False,
                           help_text=_("Kosongkan untuk memakai kode di arsip."))
    name = forms.CharField(label=_("Nama instansi baru"), max_length=200, required=False,
                           help_text=_("Kosongkan untuk memakai nama di arsip."))
    confirm_users = forms.BooleanField(label=_("Akun yang sudah ada sudah saya periksa"), required=False, help_text=_(
        "Akun dengan nama pengguna yang sama mendapat peran seperti di arsip. Tanpa centang ini, pemulihan berhenti "
        "dan menampilkan daftar akun itu untuk Anda periksa."))
    accept_password_hashes = forms.BooleanField(label=_("Pakai hash kata sandi di arsip"), required=False, help_text=_(
        "Tanpa ini akun baru dibuat tanpa kata sandi yang dapat dipakai (admin menetapkannya)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            file_input_attrs(max_bytes=settings.SIA_SNAPSHOT_MAX_BYTES, extensions={"zip"}))
