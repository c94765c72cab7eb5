from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.forms import ScopedModelForm
from sia.core.validators import file_input_attrs
from sia.organizations.models import Institution

from .framework_loader import LEVEL_MAX, LEVEL_MIN, LEVELS
from .models import Assessment, AssessmentTeamMember, FrameworkVersion, IndicatorScore
from .planner import DEFAULT_MAX_STEP
from .terms import team_role_choices


def framework_label(framework) -> str:
    """An instrument as a choice: its name, its index's name and the years it is in force for."""
    years = f"{framework.first_year or ''}–{framework.last_year or ''}"
    return _("%(name)s · %(index)s · berlaku %(years)s") % {
        "name": framework.name, "index": framework.term("index"), "years": years}


class AssessmentForm(ScopedModelForm):
    class Meta:
        model = Assessment
        fields = ["institution", "year", "framework", "with_site_visit", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "year": forms.NumberInput(attrs={"class": "narrow"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = self.fields["institution"]
        ids = permissions.institution_ids_for(self.user, permissions.ADD, Assessment) if self.user else []
        if ids is not None:
            institutions.queryset = Institution.objects.filter(pk__in=ids, is_active=True)
        if not self.instance.pk and institutions.queryset.count() == 1:
            institutions.initial = institutions.queryset.first().pk
        frameworks = self.fields["framework"]
        if self.instance.pk:
            for name in self.instance.fixed_fields():  # the rule itself is in Assessment.clean()
                if name in self.fields:
                    self.fields[name].disabled = True
        else:
            frameworks.queryset = FrameworkVersion.objects.filter(is_active=True)
            year = self.data.get("year") or self.initial.get("year") or self.fields["year"].initial or timezone.now().year
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = timezone.now().year
            in_force = FrameworkVersion.in_force_for(year) or frameworks.queryset.first()
            if in_force is not None and not self.initial.get("framework"):  # the instrument in force for the year
                frameworks.initial = self.initial["framework"] = in_force.pk  # (the new instance's own is None)
            frameworks.label_from_instance = framework_label
            frameworks.help_text = _(
                "Bawaan: instrumen yang berlaku untuk tahun penilaian (%(year)s: %(name)s). Instrumen aktif lain "
                "dapat dipilih; tahun berlakunya tertulis di setiap pilihan."
            ) % {"year": year, "name": in_force.name if in_force else "—"}

    def save(self, commit=True):
        """A new assessment is saved by ``services.create_assessment``: its creator leads its team."""
        if self.instance.pk is None and commit:
            from .services import create_assessment

            return create_assessment(self.instance, user=self.user)
        return super().save(commit)


class TeamMemberForm(forms.ModelForm):
    """Adds a member of the instansi to the assessment team."""

    class Meta:
        model = AssessmentTeamMember
        fields = ["user", "role"]

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        taken = assessment.team.values_list("user_id", flat=True)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__institution=assessment.institution, memberships__is_active=True, is_active=True
            )
            .exclude(pk__in=taken)
            .distinct()
            .order_by("username")
        )
        self.fields["user"].widget.attrs["class"] = "select"
        self.fields["role"].choices = team_role_choices(assessment.framework)  # the instrument's names


class ScoreForm(forms.ModelForm):
    """The value of one indicator in the current stage, with fakta, analisis and justifikasi.

    Whole-level instruments (PermenPANRB 59/2020): a level 1-5 as radio buttons. Continuous ones (8/2026): a
    value 1,00-5,00 typed with a decimal comma or point, checked by ``values.check_value`` (the one rule).
    An indicator valued from another institution's index (SDI, SJIG, EPSS/IPS) also takes that index and its
    year; the value is then converted (or, where the conversion is unknown, entered by the assessor).
    The checks that need the instrument run in ``services.resolve_value``, called here.
    """

    class Meta:
        model = IndicatorScore
        fields = ["fakta", "analisis", "justifikasi"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("fakta", "analisis", "justifikasi")}

    def __init__(self, *args, level_names=None, spec=None, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec, self.number = spec, number
        indicator = spec.indicator(number) if spec is not None and number is not None else None
        self.external = indicator.external if indicator is not None and indicator.value_source == "external" else None
        score = self.instance if self.instance.pk else None
        fields = {}
        required = {"required": _("Indikator %(n)s: isi nilainya.") % {"n": indicator.label}} if indicator else {}
        if self.external is not None and self.external.automatic:
            pass  # the value is the converted source index: nothing to enter
        elif spec is not None and spec.continuous:
            fields["value"] = forms.CharField(
                label=_("Nilai"), required=self.external is None, max_length=12, widget=decimal_input("narrow"),
                help_text=_("1,00 sampai 5,00, paling banyak dua desimal (koma atau titik: 2,75)."),
                initial=number_format(score.value, 2) if score is not None and score.value is not None else None,
                error_messages=required,
            )
        else:
            names = level_names or {}
            fields["level"] = forms.TypedChoiceField(
                label=_("Tingkat"), coerce=int, widget=forms.RadioSelect(attrs={"class": "levels"}),
                choices=[(n, f"{n} · {names[n]}" if names.get(n) else str(n)) for n in LEVELS],
                required=self.external is None, initial=score.level if score is not None else None,
                error_messages={**required, "invalid_choice": _("Pilih tingkat %(min)s sampai %(max)s.") % {"min": LEVEL_MIN, "max": LEVEL_MAX}},
            )
        if self.external is not None:
            from .terms import short_index

            index = short_index(self.external)
            if fields:  # conversion unknown: the assessor enters the value
                next(iter(fields.values())).help_text = (
                    _("Konversi %(index)s tidak diketahui dari instrumen: asesor mengisi nilai ini.") % {"index": index}
                )
            fields["source_value"] = forms.CharField(
                label=_("Nilai %(index)s") % {"index": index}, required=False, max_length=12,
                widget=decimal_input("narrow"),
                help_text=_("%(name)s. Kosong: indeks sumber belum ada, nilai indikator dihitung 1,00.")
                % {"name": self.external.source_index},
                initial=number_format(score.source_value.normalize(), use_l10n=True)
                if score is not None and score.source_value is not None else None,
            )
            fields["source_year"] = forms.IntegerField(
                label=_("Tahun %(index)s") % {"index": index}, required=False, min_value=2000, max_value=2100,
                widget=forms.NumberInput(attrs={"class": "narrow"}),
                initial=score.source_year if score is not None else None,
            )
        self.fields = {**fields, **self.fields}

    def clean(self):
        data = super().clean()
        checked = ("value", "level", "source_value", "source_year")
        if self.spec is None or self.number is None or any(k in self.errors for k in checked):
            return data
        from .services import resolve_value

        value = data.get("value") if self.spec.continuous else data.get("level")
        year = self.instance.assessment.year if self.instance.assessment_id else None  # else set_value checks it
        try:
            data["resolved"] = resolve_value(
                self.spec, self.number, value, source_value=data.get("source_value"), source_year=data.get("source_year"),
                year=year,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class EvidenceForm(forms.Form):
    """A file or a link as bukti dukung of one indicator."""

    title = forms.CharField(
        label=_("Judul dokumen"), max_length=200, required=False,
        help_text=_("Dipakai untuk nama berkas sesuai ketentuan (Indikator11a-Judul.pdf). Kosong: nama berkas."),
    )
    file = forms.FileField(
        label=_("Berkas"), required=False,
        help_text=_("PDF, gambar (PNG/JPEG) atau dokumen Office (.docx, .xlsx, .pptx, .odt, .ods, .odp)."),
    )
    url = forms.URLField(label=_("atau tautan"), required=False, max_length=500, assume_scheme="https")
    # Any code is taken here and checked by ``evidence_items.item_for`` (then ``Evidence.clean``): an item of another
    # indicator, level or instrument gets the message naming it, as when assigning later, and nothing is written.
    item = forms.CharField(
        label=_("Butir bukti dukung"), required=False, max_length=40,
        help_text=_("Opsional: butir yang dipenuhi berkas ini; dapat juga ditetapkan kemudian."),
    )
    item_level = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)  # the level documented

    def __init__(self, *args, items=(), level_names=None, level=None, **kwargs):
        """``items``: the indicator's evidence items (8/2026), offered grouped by level; ``level``: the level the
        team documents (from the items panel's link of a level): only its items are offered."""
        from django.conf import settings

        from .uploads import ALLOWED_MIMES

        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(file_input_attrs(
            max_bytes=settings.SIA_EVIDENCE_MAX_BYTES, extensions={e for exts in ALLOWED_MIMES.values() for e in exts},
        ))
        items = [item for item in items if level is None or item.level == level]
        if not items:  # no items (59/2020): nothing to pick; a code sent anyway is still checked (and refused)
            self.fields["item"].widget = forms.HiddenInput()
            return
        names = level_names or {}
        groups = {}
        for item in items:
            groups.setdefault(item.level, []).append((item.code, item_label(item)))
        self.fields["item"].widget = forms.Select(choices=[("", _("— tanpa butir —"))] + [
            (_("Tingkat %(level)s%(name)s") % {"level": number, "name": f" · {names[number]}" if names.get(number) else ""},
             choices)
            for number, choices in groups.items()
        ])
        if level is not None:
            self.fields["item_level"].initial = level


def item_label(item) -> str:
    """An evidence item as a choice: "I13-L2-01 — Dokumen arsitektur …" (the text cut at 90 characters)."""
    text = " ".join(item.text.split())
    return f"{item.code} — {text[:89] + '…' if len(text) > 90 else text}"

    def clean(self):
        data = super().clean()
        if "file" in self.errors or "url" in self.errors:
            return data  # the field's own error (e.g. "Berkas kosong.") says what is wrong
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Isi salah satu: unggah berkas atau tuliskan tautan."))
        return data


def decimal_input(css_class: str) -> forms.TextInput:
    """A text box for a decimal written as the page writes it (2,6 in Indonesian, 2.6 in English).

    A browser's number box shows and reads decimals by the browser's own language, not the page's:
    Chromium shows 2.6 beside a page that says 2,60 and turns a typed "2,7" into 27.
    """
    return forms.TextInput(attrs={"inputmode": "decimal", "class": css_class, "autocomplete": "off", "size": 6})


def localized_range_messages(field: forms.DecimalField) -> None:
    """Range errors that write their bounds as the page writes numbers (0,01 in Indonesian, not 0.01)."""
    if field.min_value is not None:
        field.error_messages["min_value"] = _("Isi paling kecil %(limit)s.") % {
            "limit": number_format(field.min_value, use_l10n=True)
        }
    if field.max_value is not None:
        field.error_messages["max_value"] = _("Isi paling besar %(limit)s.") % {
            "limit": number_format(field.max_value, use_l10n=True)
        }


class PlannerForm(forms.Form):
    """Target and the effort of every step that can still be taken (blank: the step is left out).

    Decimals are localized both ways: shown with the page's separator and read with either.
    """

    target = forms.DecimalField(
        label=_("Target indeks"), min_value=Decimal(LEVEL_MIN), max_value=Decimal(LEVEL_MAX), max_digits=6,
        decimal_places=4, localize=True, widget=decimal_input("narrow"),
    )
    allow_jumps = forms.BooleanField(
        label=_("Izinkan lompatan dua tingkat"), required=False,
        help_text=_("Bawaan: setiap indikator naik paling banyak satu tingkat dalam rencana."),
    )

    def __init__(self, *args, levels: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for number, level in sorted(levels.items()):
            for to_level in range(level + 1, LEVEL_MAX + 1):
                self.fields[self.effort_name(number, to_level)] = forms.DecimalField(
                    label=_("Upaya indikator %(n)s ke tingkat %(level)s") % {"n": number, "level": to_level},
                    required=False, min_value=Decimal("0.01"), max_digits=8, decimal_places=2, initial=1,
                    localize=True, widget=decimal_input("effort"),
                )
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                localized_range_messages(field)

    @staticmethod
    def effort_name(number: int, to_level: int) -> str:
        return f"e_{number}_{to_level}"

    def max_step(self) -> int:
        """Levels one indicator may rise in the plan: two if asked for, one by default."""
        return 2 if self.cleaned_data.get("allow_jumps") else DEFAULT_MAX_STEP

    def efforts(self) -> dict[tuple[int, int], Decimal | None]:
        result = {}
        for number, level in self.levels.items():
            for to_level in range(level + 1, LEVEL_MAX + 1):
                result[(number, to_level)] = self.cleaned_data.get(self.effort_name(number, to_level))
        return result

    def rows(self, names: dict[int, str]):
        """Per indicator: number, name, level and the bound fields of the steps above it (5 slots)."""
        for number, level in sorted(self.levels.items()):
            cells = [
                self[self.effort_name(number, to_level)] if to_level > level else None
                for to_level in range(LEVEL_MIN + 1, LEVEL_MAX + 1)
            ]
            yield {"number": number, "name": names.get(number, ""), "level": level, "cells": cells}
