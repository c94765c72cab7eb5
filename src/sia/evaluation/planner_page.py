"""The planner page's form and its preset: what the user chose, read as a ``planner_presets.Preset``.

The page shows the efforts of every step (``e_<indicator>_<level>``, as before) filled from the preset in
force: the scheme (uniform / increasing), a factor per indicator (``f_<n>``), blocked indicators (``b_<n>``,
and ``block_external``: the indicators valued from another institution's index, blocked by default), the
safety margin; the step cap is ``PlannerForm.allow_jumps`` (one level per indicator, or two). The preset is checked by ``preset_from_dict`` (the one validation path; a bad
factor names its indicator) and can be saved with the assessment (``Assessment.planner_preset``).

Efforts: when the user edits the effort table of the preset it was drawn from, the typed efforts count (blank:
the step is left out); when the preset itself changed since the table was drawn (``table_preset``), the table
is redrawn from the new preset. A post without any effort field takes the preset's efforts.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import PlannerForm, decimal_input, localized_range_messages
from .framework_loader import LEVEL_MAX
from .planner_presets import INCREASING, UNIFORM, PlanError, Preset, preset_from_dict, preset_to_dict

DEFAULT_PAGE_PRESET = Preset(block_external=True)  # external indicators are not raised by the institution's own work


def saved_preset(assessment, indicators) -> tuple[Preset, str]:
    """The assessment's saved preset (the page default when none), and a message if the saved one is unusable."""
    if not assessment.planner_preset:
        return DEFAULT_PAGE_PRESET, ""
    try:
        return preset_from_dict(assessment.planner_preset, indicators), ""
    except PlanError as error:
        return DEFAULT_PAGE_PRESET, str(error)


def preset_key(preset: Preset) -> str:
    return json.dumps(preset_to_dict(preset), sort_keys=True)


def preset_efforts(preset: Preset, levels: dict[int, int], external) -> dict[str, Decimal | None]:
    """The effort field values a preset gives: {"e_<n>_<k>": effort or None (blocked)}."""
    blocked = preset.blocked_in(external)
    return {
        PlannerForm.effort_name(number, k): preset.effort(number, k, blocked)
        for number, level in levels.items() for k in range(level + 1, LEVEL_MAX + 1)
    }


class PlannerPageForm(PlannerForm):
    """``PlannerForm`` (target, efforts) with the preset, the margin and the step cap."""

    margin = forms.DecimalField(
        label=_("Margin keamanan"), required=False, min_value=Decimal(0), max_value=Decimal(1), max_digits=3,
        decimal_places=2, localize=True, widget=decimal_input("narrow"),
        help_text=_("Rencana mencapai target ditambah margin ini: asesor eksternal sering menurunkan nilai mandiri."),
    )
    scheme = forms.ChoiceField(
        label=_("Skema upaya"), required=False,
        choices=[(UNIFORM, _("sama: setiap kenaikan tingkat berupaya 1")),
                 (INCREASING, _("meningkat: langkah ke tingkat k berupaya k − 1"))],
    )
    block_external = forms.BooleanField(
        label=_("Indikator bernilai indeks instansi lain tidak dinaikkan"), required=False,
        help_text=_("SDI, SJIG, EPSS: nilainya dari indeks instansi lain, bukan dari bukti dukung sendiri."),
    )
    save_preset = forms.BooleanField(label=_("Simpan preset ini dengan penilaian"), required=False)
    table_preset = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, levels, numbers, external, preset: Preset, **kwargs):
        super().__init__(*args, levels=levels, **kwargs)
        self.numbers, self.external = list(numbers), set(external)
        self.fields["margin"].initial = preset.margin.normalize() if preset.margin else Decimal(0)
        self.fields["scheme"].initial = preset.scheme
        self.fields["block_external"].initial = preset.block_external
        self.fields["table_preset"].initial = preset_key(preset)
        for number in self.numbers:
            self.fields[self.factor_name(number)] = forms.CharField(
                label=_("Faktor upaya indikator %(n)s") % {"n": number}, required=False,
                initial=str(preset.factors.get(number, "")), widget=decimal_input("effort"),
            )
            self.fields[self.blocked_name(number)] = forms.BooleanField(
                label=_("Indikator %(n)s tidak dinaikkan") % {"n": number}, required=False,
                initial=number in preset.blocked,
            )
        for name, effort in preset_efforts(preset, levels, self.external).items():
            self.fields[name].initial = effort if effort is not None else ""
        localized_range_messages(self.fields["margin"])

    @staticmethod
    def factor_name(number: int) -> str:
        return f"f_{number}"

    @staticmethod
    def blocked_name(number: int) -> str:
        return f"b_{number}"

    def preset_dict(self) -> dict:
        """The chosen preset as the dict ``preset_from_dict`` checks (raw factors: it names a bad one)."""
        data = self.cleaned_data
        factors = {}
        for number in self.numbers:
            raw = (data.get(self.factor_name(number)) or "").strip().replace(",", ".")
            if raw:
                factors[str(number)] = raw
        return {
            "scheme": data.get("scheme") or UNIFORM,
            "factors": factors,
            "blocked": [n for n in self.numbers if data.get(self.blocked_name(n))],
            "block_external": bool(data.get("block_external")),
            "margin": str(data.get("margin") if data.get("margin") is not None else 0),
        }

    def rows(self, names, values=None):
        values = values or {}
        for row in super().rows(names):
            number = row["number"]
            yield row | {"value": values.get(number), "factor": self[self.factor_name(number)],
                         "blocked": self[self.blocked_name(number)], "external": number in self.external}


def redraw_efforts(data, preset: Preset, levels, external):
    """A copy of the posted ``data`` whose effort fields follow ``preset`` when the table was drawn from another."""
    if data is None or "table_preset" not in data or data.get("table_preset") == preset_key(preset):
        return data
    data = data.copy()
    for name, effort in preset_efforts(preset, levels, external).items():
        data[name] = "" if effort is None else str(effort)
    data["table_preset"] = preset_key(preset)
    return data
