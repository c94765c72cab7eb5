"""A form field that picks a reference node: type a code or words, choose a node, see its full path.

Usage in a domain form (a ModelForm whose model has ``reference = ForeignKey(ReferenceNode)``)::

    from sia.reference.widgets import ReferenceNodeField

    class BusinessProcessForm(ScopedModelForm):
        reference = ReferenceNodeField(catalog="RAB", min_level=3, label=_("Referensi RAB"))

        class Meta:
            model = BusinessProcess
            fields = ["name", "reference", ...]

The declared field replaces the default select. It offers the versions in force (pass
``queryset=`` for another version, ``max_level=`` to cap the depth); ``ScopedModelForm`` narrows
it to the nodes the user may see (national nodes and their own instansi's level-4+ nodes).

The widget renders a search box that asks ``reference:picker`` through htmx for matching
nodes (with their paths) and a hidden input that holds the chosen node's ID;
``reference/picker.js`` (a few lines) copies a chosen option into both. Without JavaScript, a
code typed into the box (``RAB.09.06.06`` or ``RAB.09.06.06 Penyelenggaraan Kearsipan``) is
resolved on the server by :func:`sia.reference.lookup.resolve_reference`. Templates that render
``{{ form.media }}`` load the script once; the widget also includes it itself.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from sia.core.integers import db_id
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .codes import normalize_code
from .lookup import ReferenceNotFound, resolve_reference, split_reference
from .models import ReferenceNode
from .tree import path_label


class ReferencePickerWidget(forms.Widget):
    template_name = "reference/widgets/picker.html"
    TEXT_SUFFIX = "_text"

    class Media:
        js = ["reference/picker.js"]

    def __init__(self, attrs=None, catalog=None, min_level=1, max_level=None, roots=()):
        super().__init__(attrs)
        self.catalog, self.min_level, self.max_level, self.roots = catalog, min_level, max_level, tuple(roots)
        self.queryset = None

    def value_from_datadict(self, data, files, name):
        chosen = (data.get(name) or "").strip()
        text = (data.get(name + self.TEXT_SUFFIX) or "").strip()
        if not chosen and not text:
            return None
        return {"id": chosen, "text": text}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.TEXT_SUFFIX not in data

    def _node(self, value):
        if isinstance(value, ReferenceNode):
            return value
        if isinstance(value, dict):
            value = value.get("id")
        if db_id(value) is None:
            return None
        queryset = self.queryset if self.queryset is not None else ReferenceNode.objects.all()
        return queryset.filter(pk=value).first()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        node = self._node(value)
        if node is not None:
            text, path = f"{node.code} {node.name}", path_label(node)
        else:
            text, path = (value.get("text", "") if isinstance(value, dict) else ""), ""
        query = {"field": name + self.TEXT_SUFFIX, "min_level": self.min_level}
        if self.catalog:
            query["catalog"] = self.catalog
        if self.max_level:
            query["max_level"] = self.max_level
        if self.roots:
            query["roots"] = ",".join(self.roots)
        context["picker"] = {
            "node": node,
            "text": text,
            "path": path,
            "text_name": name + self.TEXT_SUFFIX,
            "url": reverse("reference:picker") + "?" + urlencode(query),
            "placeholder": _("Ketik kode (mis. %(example)s) atau kata dari nama")
            % {"example": f"{self.catalog or 'RAB'}.09.06"},
        }
        return context


class ReferenceNodeField(forms.ModelChoiceField):
    """A ModelChoiceField over reference nodes with a search-as-you-type picker.

    ``catalog`` ("RAB" ...) and ``min_level``/``max_level`` limit the nodes offered; ``roots`` (codes:
    ``("RAI.03.01.01",)``) limits what the picker searches to their sub-trees. Whether a chosen node lies in
    them is the model's rule (``reference_problem``), so a node typed outside them gets the model's message.
    """

    widget = ReferencePickerWidget
    default_error_messages = {
        "invalid_choice": _("Simpul referensi ini tidak tersedia untuk pilihan ini."),
    }

    def __init__(self, catalog: str | None = None, min_level: int = 1, max_level: int | None = None, queryset=None,
                 roots=(), **kwargs):
        self.catalog = str(catalog).upper() if catalog else None
        self.min_level, self.max_level, self.roots = min_level, max_level, tuple(roots)
        if queryset is None:
            queryset = ReferenceNode.objects.current()
        if self.catalog:
            queryset = queryset.of_catalog(self.catalog)
        if min_level > 1 or max_level:
            queryset = queryset.at_levels(min_level, max_level)
        kwargs.setdefault("widget", ReferencePickerWidget(
            catalog=self.catalog, min_level=min_level, max_level=max_level, roots=self.roots,
        ))
        super().__init__(queryset=queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, ReferenceNode):
            return super().to_python(value.pk)
        chosen, text = (value.get("id", ""), value.get("text", "")) if isinstance(value, dict) else ("", str(value))
        if not chosen and db_id(text) is not None:
            chosen, text = text, ""
        if chosen:
            node = self.queryset.filter(pk=db_id(chosen)).first() if db_id(chosen) is not None else None
            if node is not None and (not text or self._names(node, text)):
                return node
        if not text:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return resolve_reference(text, self.catalog, queryset=self.queryset)
        except ReferenceNotFound as error:
            raise ValidationError(self._explain(text) or str(error), code="invalid_choice")

    def _explain(self, text):
        """Says why an existing code cannot be chosen here (its level), rather than "not found"."""
        code, _name = split_reference(text)
        if not code:
            return None
        existing = ReferenceNode.objects.current().filter(code=code).first()
        if existing is None:
            return None
        if existing.level < self.min_level or (self.max_level and existing.level > self.max_level):
            catalog = existing.version.catalog
            return _("Simpul %(code)s bertingkat %(level)d (%(got)s); di sini pilih simpul tingkat %(min)d (%(name)s)%(max)s.") % {
                "code": code, "level": existing.level, "min": self.min_level, "got": catalog.level_name(existing.level),
                "name": catalog.level_name(self.min_level),
                "max": _(" sampai %(n)d") % {"n": self.max_level} if self.max_level else _(" ke bawah"),
            }
        return None

    @staticmethod
    def _names(node, text) -> bool:
        code, _name = split_reference(text)
        return code == node.code or normalize_code(text) == normalize_code(str(node))

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = getattr(initial, "pk", initial)
        return str(initial_pk or "") != str(getattr(new, "pk", "") or "")

    def prepare_value(self, value):
        if isinstance(value, (ReferenceNode, dict)):
            return value
        return super().prepare_value(value)
