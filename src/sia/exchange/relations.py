"""Sheets of links that carry attributes: one row per link, named by the IDs of the two objects it joins,
in the workbook of the domain that holds the link (``Integrasi Aplikasi`` in the Aplikasi workbook).
Every link a domain declares with ``LinkSpec(through=...)`` gets one; its columns are the link's two
ForeignKeys, its ``attributes`` and the through model's other editable fields.

A relation row has no ID of its own: an upload finds it by its key (source and target IDs), creates it
when the pair is new and updates its attributes otherwise. It is validated by the model's
``full_clean()`` (the rule the web form and the API apply) and written by whoever may write it under
the model's policy (an integration: whoever may change its source application).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sia.core import permissions

from .cells import clean_text, normalize_key
from .columns import SheetSpec, column_class, is_required

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"  # as sia.exchange.importer names them


@dataclass(frozen=True)
class RelationSheetSpec(SheetSpec):
    owner: type = None
    key: tuple[str, str] = ()

    relation: ClassVar[bool] = True

    @property
    def domain(self) -> str:
        return self.owner.spec.slug

    def aliases(self) -> set[str]:
        meta = self.model._meta
        return {normalize_key(self.title), normalize_key(meta.verbose_name), normalize_key(meta.verbose_name_plural),
                normalize_key(meta.model_name)} - {""}

    def code_of(self, obj) -> str:
        """``AP-DINKES-001 → AP-BAPPEDA-002``: how the preview names a row."""
        return " → ".join(getattr(obj, name).code if getattr(obj, f"{name}_id", None) else "—" for name in self.key)


def relation_sheets(models=None) -> list[RelationSheetSpec]:
    """The relation sheets of the workbook of ``models`` (every one when None)."""
    return [spec for spec in _relation_sheets(get_language()) if models is None or spec.owner in models]


def relation_fields(link) -> list:
    """The columns of a ``through`` link's sheet: its two ForeignKeys, its declared attributes, then the
    other fields a person edits (a description)."""
    model = link.through_model()
    names = list(link.through_fields) + [name for name in link.attributes if name not in link.through_fields]
    names += [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key and f.name not in names]
    return [model._meta.get_field(name) for name in names]


@lru_cache(maxsize=None)
def _relation_sheets(language) -> tuple[RelationSheetSpec, ...]:
    from sia.architecture.linkspec import attributed_links

    specs = []
    for holder, link in attributed_links():
        model = link.through_model()
        columns = tuple(
            column_class(model, field)(name=field.name, label=capfirst(str(field.verbose_name)),
                                       required=is_required(field), field=field, help=str(field.help_text or ""))
            for field in relation_fields(link)
        )
        specs.append(RelationSheetSpec(model=model, title=str(model._meta.verbose_name_plural)[:31], columns=columns,
                                       owner=holder, key=tuple(link.through_fields)))
    return tuple(specs)


# --- export -----------------------------------------------------------------------------------------
def export_queryset(spec: RelationSheetSpec, owners, user) -> list:
    """The links held by the exported ``owners`` (already scoped to the user) whose other end the user
    may see too: a row never names an object the reader may not see."""
    source, target = spec.key
    links = list(spec.model.objects.filter(**{f"{source}__in": owners.order_by().values("pk")})
                 .select_related(source, target).order_by(f"{source}__code", f"{target}__code"))
    reader = permissions.LinkReader(user)
    shown = set(reader.visible([getattr(link, target) for link in links]))
    return [link for link in links if getattr(link, target) in shown]


# --- import -----------------------------------------------------------------------------------------
def existing_links(lookups, spec: RelationSheetSpec) -> dict:
    """{(source pk, target pk): link} among the saved objects the upload names (one query, locked on commit)."""
    if spec.model not in lookups.relations:
        source, target = spec.key
        owners = [pk for pk, obj in lookups.by_pk[spec.owner].items() if obj is not None]
        found = {}
        for start in range(0, len(owners), 900):
            chunk = owners[start:start + 900]
            queryset = spec.model.objects.filter(**{f"{source}__in": chunk}).select_related(source, target)
            if lookups.lock:
                queryset = queryset.select_for_update(of=("self",))
            for link in queryset:
                found[(getattr(link, f"{source}_id"), getattr(link, f"{target}_id"))] = link
        lookups.relations[spec.model] = found
    return lookups.relations[spec.model]


def start_row(builder, sheet, number: int, values: tuple):
    """The row's link: the saved one with this key when the user may see both ends, else a new one."""
    from .importer import RowPlan, _snapshot

    spec, lookups = sheet.spec, builder.lookups
    codes = {}
    for position, column, _written in sheet.columns:
        if column.name in spec.key and position < len(values):
            codes[column.name] = clean_text(values[position]).upper()
    key = tuple(codes.get(name, "") for name in spec.key)
    ends = []
    for name in spec.key:
        obj, visible = lookups.find_object(spec.owner, codes.get(name, "")) if codes.get(name) else (None, False)
        ends.append(obj if visible else None)
    existing = existing_links(lookups, spec).get(tuple(end.pk for end in ends)) if all(ends) else None
    if existing is not None:
        row = RowPlan(sheet, number, existing, UPDATE, original=_snapshot(existing))
    else:
        row = RowPlan(sheet, number, spec.model(institution_id=builder.institution.pk), CREATE)
    builder.plan.rows.append(row)
    builder.values[id(row)] = values
    if all(key):
        first = builder.pairs.get((spec.model, key))
        if first is not None:
            builder.problem(row, sheet.header_of(spec.key[1]), _(
                "%(pair)s ganda: pasangan ini sudah ada di baris %(row)d.") % {"pair": " → ".join(key), "row": first.row})
        else:
            builder.pairs[(spec.model, key)] = row
    return row


def _reverse_problem(builder, row):
    """A row whose reverse pair an earlier row of the file names, one of them two-way: the model's rule against a
    redundant reverse reads the database, where neither row is yet."""
    spec, obj = row.sheet.spec, row.instance
    source, target = (getattr(obj, name) for name in spec.key)
    earlier = builder.pairs.get((spec.model, (target.code.upper(), source.code.upper())))
    two_way = getattr(obj, "two_way", False) or getattr(earlier.instance, "two_way", False) if earlier else False
    if earlier is None or earlier.row >= row.row or earlier.errors or not two_way:
        return None
    return _("Baris %(row)d sudah mencatat %(pair)s; integrasi dua arah cukup dicatat sekali, sebagai satu baris.") % {
        "row": earlier.row, "pair": spec.code_of(earlier.instance)}


def finish_row(builder, row) -> None:
    """Who may write the link (the model's policy: for an integration, whoever may change its source
    application, an operator in their own OPD), then the model's own rules."""
    obj, spec = row.instance, row.sheet.spec
    if row.action == UPDATE and not row.changed and not row.failed:
        row.action = UNCHANGED
        return
    holder_name = spec.key[0]
    holder = getattr(obj, holder_name) if getattr(obj, f"{holder_name}_id", None) is not None else None
    if holder is not None and holder.department_id is not None:
        obj.institution_id = holder.institution_id
        action = permissions.ADD if row.action == CREATE else permissions.CHANGE
        if not permissions.can(builder.user, action, obj):
            builder.problem(row, builder.header(row, holder_name), _(
                "Anda tidak berwenang mencatat %(model)s dari %(code)s (OPD %(opd)s, status %(status)s): %(holder)s "
                "harus milik OPD Anda dan masih dapat Anda ubah.") % {
                "model": spec.model._meta.verbose_name, "code": holder.code, "opd": holder.department.abbreviation,
                "status": holder.get_status_display().lower(),
                "holder": obj._meta.get_field(holder_name).verbose_name})
            return
    if all(getattr(obj, f"{name}_id", None) is not None for name in spec.key):
        problem = _reverse_problem(builder, row)
        if problem:
            builder.problem(row, builder.header(row, spec.key[1]), problem)
            return
    builder.validate(row)
