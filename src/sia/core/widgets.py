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


class PickedValues(list):
    """The IDs a ``SearchPickerWidget`` submitted (its ticked boxes), with the codes typed into its code box."""

    def __init__(self, ids=(), codes: str = ""):
        super().__init__(ids)
        self.codes = codes


class SearchPickerWidget(forms.Widget):
    """A many-to-many choice among too many rows for a checklist (links across the OPDs of an instansi).

    Renders the chosen rows only, each a ticked checkbox (untick to remove), and a code box: without
    JavaScript the user types codes separated by commas, which the form field resolves and validates.
    ``sia/forms.js`` adds a search box asking ``search_url`` (``?q=``, a JSON answer ``{"results": [{"id",
    "label"}], "more"}``); a result chosen becomes one more ticked checkbox. The field sets ``queryset``
    (where the chosen rows are read) and ``describe`` (a row's label).
    """

    template_name = "core/widgets/search_picker.html"
    CODES_SUFFIX = "_codes"
    codes_label = _("Tambah dengan kode")
    codes_help = _("Ketik kode, pisahkan dengan koma (mis. %(example)s).")
    search_label = _("Cari untuk menambah (kode, nama atau OPD)")
    results_label = _("Hasil pencarian")
    chosen_label = _("Terpilih; hapus centang untuk melepas")
    none_chosen_label = _("Belum ada yang dipilih.")
    messages = {
        "none": _("Tidak ada yang cocok."),
        "more": _("Masih ada hasil lain; perinci pencarian."),
        "count": _("%(n)s hasil; pilih untuk menambah."),
        "added": _("%(label)s ditambahkan."),
        "taken": _("sudah dipilih"),
        "error": _("Pencarian gagal; ketik kodenya di kotak kode."),
    }

    def __init__(self, attrs=None, search_url: str = "", example: str = ""):
        super().__init__(attrs)
        self.search_url, self.example = search_url, example
        self.queryset = None
        self.describe = str

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(ids, (str, int)):
            ids = [ids]
        return PickedValues([i for i in ids if i not in (None, "")], (data.get(name + self.CODES_SUFFIX) or "").strip())

    def value_omitted_from_data(self, data, files, name):
        return False  # an unticked box sends nothing: nothing sent means "none chosen"

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, (list, tuple, set)) and not hasattr(value, "__iter__"):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v not in (None, "")]

    def chosen(self, ids) -> list:
        from sia.core.integers import db_id

        wanted = [db_id(i) for i in ids if db_id(i) is not None]
        if not wanted or self.queryset is None:
            return []
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted)}
        return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        rows = self.chosen(self.format_value(value))
        context["picker"] = {
            "id": widget_id,
            "chosen": [{"pk": row.pk, "label": self.describe(row), "id": f"{widget_id}_{n}"} for n, row in enumerate(rows)],
            "codes_name": name + self.CODES_SUFFIX,
            "codes": getattr(value, "codes", ""),
            "codes_label": self.codes_label,
            "codes_help": self.codes_help % {"example": self.example or "AB-OPD-001, AB-OPD-002"},
            "search_label": self.search_label, "chosen_label": self.chosen_label, "results_label": self.results_label,
            "none_chosen_label": self.none_chosen_label,
            "url": self.search_url, "messages": {k: str(v) for k, v in self.messages.items()},
        }
        return context

    def id_for_label(self, id_, index=None):
        # The field's label names the code box, the one input that works with and without JavaScript.
        return f"{id_}{self.CODES_SUFFIX}" if id_ else id_
