"""Widgets every app's forms share.

``ChecklistWidget`` is the default widget of every many-to-many choice on a ``ScopedModelForm``
(``sia.core.forms``): a scrollable list of checkboxes with full, wrapped option labels, the ticked
ones first. ``sia/forms.js`` adds a search box that filters the list; without JavaScript it is a
plain checkbox list that submits the ticked values like a multiple select.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ChecklistWidget(forms.CheckboxSelectMultiple):
    template_name = "core/widgets/checklist.html"
    option_template_name = "core/widgets/checklist_option.html"
    search_label = _("Cari pilihan")
    empty_label = _("Tidak ada pilihan yang cocok.")
    no_choices_label = _("Belum ada pilihan.")

    def optgroups(self, name, value, attrs=None):
        """The ticked options first (in their own order), then the others."""
        groups = super().optgroups(name, value, attrs)
        options = [option for _group, subgroup, _index in groups for option in subgroup]
        options.sort(key=lambda option: not option["selected"])
        for number, option in enumerate(options):
            option["index"] = str(number)
            option_id = (attrs or {}).get("id")
            if option_id:
                option["attrs"]["id"] = f"{option_id}_{number}"
        return [(None, options, 0)] if options else []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["checklist"] = {
            "search_label": self.search_label, "empty_label": self.empty_label,
            "no_choices_label": self.no_choices_label,
            "selected": sum(1 for _g, options, _i in context["widget"]["optgroups"] for o in options if o["selected"]),
        }
        return context

    def id_for_label(self, id_, index=None):
        # The <label> of the field points at the list's first checkbox (Django leaves it empty).
        return f"{id_}_0" if id_ and index is None else super().id_for_label(id_, index)
