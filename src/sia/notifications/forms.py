from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    """The user's own e-mail preference (the user is the signed-in one, never a field)."""

    class Meta:
        model = NotificationPreference
        fields = ["delivery"]
        widgets = {"delivery": forms.RadioSelect}
