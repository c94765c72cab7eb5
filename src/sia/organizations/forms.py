from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.forms import ScopedModelForm

from sia.core.roles import Role

from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


def limit_institutions(form, model, action=permissions.ADD):
    """Offers only the instansi where the user may add ``model`` rows; preselects a lone one."""
    field = form.fields.get("institution")
    if field is None or form.user is None:
        return
    ids = permissions.institution_ids_for(form.user, action, model)
    if ids is not None:
        field.queryset = field.queryset.filter(pk__in=ids)
    if not form.instance.pk and not form.initial.get("institution"):
        choices = list(field.queryset.values_list("pk", flat=True)[:2])
        if len(choices) == 1:
            form.initial["institution"] = choices[0]


class InstitutionForm(ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "code", "logo", "is_active"]


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["institution", "name", "abbreviation", "code", "kind", "head_position", "duties", "is_active"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_institutions(self, Department)
        if self.instance.pk:
            self.fields["institution"].disabled = True


class DepartmentFunctionForm(forms.ModelForm):
    class Meta:
        model = DepartmentFunction
        fields = ["order", "description"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "narrow", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


DepartmentFunctionFormSet = inlineformset_factory(
    Department, DepartmentFunction, form=DepartmentFunctionForm, extra=3, can_delete=True
)


class WorkUnitForm(ScopedModelForm):
    class Meta:
        model = WorkUnit
        fields = ["department", "parent", "name", "echelon", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.instance.pk:
            self.fields["department"].queryset = permissions.visible(
                self.user, Department.objects.filter(is_active=True), permissions.ADD
            )
        self.fields["parent"].queryset = self.fields["parent"].queryset.select_related("department")
        self.fields["parent"].label_from_instance = lambda unit: f"{unit.department.abbreviation} / {unit.name}"


class MembershipForm(ScopedModelForm):
    validated_with = ("user",)

    class Meta:
        model = Membership
        fields = ["institution", "role", "department", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_institutions(self, Membership)
        self.fields["department"].queryset = self.fields["department"].queryset.filter(is_active=True)


class MemberCreateForm(MembershipForm):
    """Creates a user account and its membership in one step (koordinator adds an operator)."""

    username = forms.RegexField(
        label=_("Nama pengguna"), max_length=150, regex=r"^[\w.@+-]+$",
        help_text=_("Huruf, angka dan . @ + - _ saja, mis. operator.bappeda."),
    )
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"), required=False)
    password = forms.CharField(
        label=_("Kata sandi awal"), widget=forms.PasswordInput(render_value=False),
        help_text=_("Minimal 10 karakter; sampaikan kepada pengguna dan minta diganti setelah masuk."),
    )

    field_order = ["username", "first_name", "email", "password", "institution", "role", "department", "is_active"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def _post_clean(self):
        # The membership is validated against a user that does not exist yet.
        self.instance.user = get_user_model()(
            username=self.cleaned_data.get("username", ""), first_name=self.cleaned_data.get("first_name", ""),
            email=self.cleaned_data.get("email", ""),
        )
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance.user)
            except forms.ValidationError as error:
                self.add_error("password", error)

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("user")
        return exclusions

    def save(self, commit=True):
        user = self.instance.user
        user.set_password(self.cleaned_data["password"])
        user.save()
        self.instance.user = user
        return super().save(commit=commit)



class MentorAssignmentForm(ScopedModelForm):
    """Assigns an OPD to a verifikator of its instansi (the koordinator's form; moving is the same form)."""

    class Meta:
        model = MentorAssignment
        fields = ["department", "mentor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            return
        ids = permissions.institution_ids_for(self.user, permissions.ADD, MentorAssignment)
        departments = Department.objects.filter(is_active=True).select_related("institution")
        verifiers = Membership.objects.filter(role=Role.VERIFIER, is_active=True)
        if ids is not None:
            departments = departments.filter(institution_id__in=ids)
            verifiers = verifiers.filter(institution_id__in=ids)
        self.fields["department"].queryset = departments
        self.fields["mentor"].queryset = (
            get_user_model().objects.filter(pk__in=verifiers.values("user_id")).order_by("first_name", "username")
        )
        self.fields["mentor"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )
