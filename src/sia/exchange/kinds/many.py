"""Kinds of cells naming several related rows, separated by ``;``: objects, fungsi, values, OPDs."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from ..cells import CellError, clean_text, normalize_key, split_list
from ..formats import join_list
from .base import FUNCTION_SHEET, Companion, SheetColumn, chunks, relation_to, relation_to_objects, target_labels


def _natural(value):
    return (len(str(value)), str(value)) if str(value).isdigit() else (0, str(value))


class ManyColumn(SheetColumn):
    """A many-to-many field: several targets separated by ``;``; links the user cannot see are kept."""

    many = True
    width = 30

    def target_label(self, target) -> str:
        raise NotImplementedError

    def dropdown_error(self) -> str:
        return _("Pilih satu nilai dari daftar, atau ketik beberapa dipisah titik koma; SIA memeriksa setiap nilai "
                 "saat diunggah.")

    def prefetch(self, objects, reader):
        field = self.field
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        pairs = defaultdict(list)
        for chunk in chunks([obj.pk for obj in objects]):
            for s, t in through.objects.filter(**{f"{source}__in": chunk}).values_list(source, target):
                pairs[s].append(t)
        wanted = {t for group in pairs.values() for t in group}
        return pairs, target_labels(self, wanted, reader)

    def export(self, obj, context=None):
        pairs, labels = context
        names = [labels[pk] for pk in pairs.get(obj.pk, []) if pk in labels]
        return join_list(sorted(names, key=_natural)) or None

    def targets(self, row, value, lookups) -> list:
        raise NotImplementedError

    def read(self, row, value, lookups) -> bool:
        current = lookups.current_links(row.model, self.name, row.instance)
        visible = lookups.link_visible.get((row.model, self.name), set())
        preserved = {pk for pk in current if pk not in visible}
        row.links[self.name] = (self.targets(row, value, lookups), preserved)
        return row.link_pks(self.name) != current

    def each(self, value, resolve) -> list:
        """``resolve(part)`` for every part of the cell, once per target; every part that does not
        resolve is named in one CellError."""
        targets, missing = [], []
        for part in split_list(value):
            try:
                target = resolve(part)
            except CellError as error:
                missing.append(str(error))
                continue
            if all(target is not other for other in targets):
                targets.append(target)
        if missing:
            raise CellError(" ".join(missing))
        return targets


class LinksColumn(ManyColumn):
    """Many architecture objects, by ID."""

    kind = "objects"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to_objects(field, many=True)

    def instructions(self) -> str:
        prefix = self.target.spec.code_prefix
        example = f"{prefix}-DISKOMINFOSAN-001; {prefix}-DISKOMINFOSAN-002"
        return _("Satu atau beberapa ID dipisah titik koma, mis. %(example)s; boleh ID baris lain di berkas ini.") % {
            "example": example}

    def target_label(self, target) -> str:
        return target.code

    def preload(self, lookups, model, cells, codes, references) -> None:
        codes[self.target].update(code.upper() for v in cells for code in split_list(v))

    def targets(self, row, value, lookups) -> list:
        return self.each(value, lambda code: lookups.linked_object(self.target, code))


class FunctionsColumn(ManyColumn):
    """Fungsi of the owning OPD, by their numbers in the ``Fungsi OPD`` sheet."""

    kind = "functions"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "organizations.DepartmentFunction", many=True)

    def instructions(self) -> str:
        return _("Nomor fungsi OPD (lihat lembar “%(sheet)s”) dipisah titik koma, mis. 1; 3.") % {
            "sheet": FUNCTION_SHEET}

    def target_label(self, target) -> str:
        return str(target.order)

    def companion(self, user, institution) -> Companion:
        from sia.core import permissions
        from sia.organizations.models import DepartmentFunction

        functions = permissions.visible(user, DepartmentFunction.objects.filter(department__institution=institution))
        rows = [(function.department.abbreviation, function.order, function.description)
                for function in functions.select_related("department").order_by("department__abbreviation", "order")]
        return Companion(FUNCTION_SHEET, (_("OPD"), _("Nomor"), _("Fungsi")), (18, 8, 100), rows)

    def targets(self, row, value, lookups) -> list:
        obj = row.instance
        return lookups.functions(value, obj.department if obj.department_id else None)


def _current(lookups, row, column) -> dict:
    """{normalised label: target} of the row's current links the user may see: a cell that names one keeps it
    even when it could not be chosen anew (an inactive value or OPD)."""
    return {normalize_key(column.target_label(t)): t for t in lookups.current_targets(row.model, column.name, row.instance)}


class ValueListsColumn(ManyColumn):
    """Several items of one of the instansi's editable value lists, by name (case and accents ignored)."""

    kind = "values"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "architecture.ValueListItem", many=True)

    def value_list(self):
        """The declared list the field picks from (``limit_choices_to`` as a dict or a Q), for the example."""
        from sia.architecture.checks import limited_kinds
        from sia.architecture.valuelists import declared_value_lists

        kinds = limited_kinds(self.field.get_limit_choices_to())
        return declared_value_lists().get(kinds[0]) if kinds else None

    def instructions(self) -> str:
        declared = self.value_list()
        example = "; ".join(declared.suggested[:2]) if declared and declared.suggested else _("Nilai 1; Nilai 2")
        return _("Satu atau beberapa nilai dari daftar pilihan, dipisah titik koma, mis. %(example)s.") % {
            "example": example}

    def options(self, user, institution) -> list[str]:
        from sia.architecture.models import ValueListItem
        from sia.core import permissions

        items = ValueListItem.objects.filter(institution=institution).complex_filter(self.field.get_limit_choices_to())
        return [i.name for i in permissions.visible(user, items)]

    def target_label(self, target) -> str:
        return target.name

    def preload(self, lookups, model, cells, codes, references) -> None:
        if self.field not in lookups.values:
            lookups.load_values(self.field)

    def targets(self, row, value, lookups) -> list:
        current = _current(lookups, row, self)
        return self.each(value, lambda name: current.get(normalize_key(name)) or lookups.value(self.field, name))


class DepartmentsColumn(ManyColumn):
    """Several OPDs of the instansi, by abbreviation."""

    kind = "departments"

    @classmethod
    def handles(cls, field) -> bool:
        return relation_to(field, "organizations.Department", many=True)

    def instructions(self) -> str:
        return _("Satu atau beberapa singkatan OPD dari daftar pilihan, dipisah titik koma, mis. DINKES; BAPPEDA.")

    def options(self, user, institution) -> list[str]:
        from sia.architecture import scopes

        return [d.abbreviation for d in scopes.allowed_departments(self.field, institution, user)]

    def target_label(self, target) -> str:
        return target.abbreviation

    def targets(self, row, value, lookups) -> list:
        current = _current(lookups, row, self)

        def resolve(text):
            return current.get(normalize_key(text)) or lookups.department(clean_text(text), owner=False)

        return self.each(value, resolve)
