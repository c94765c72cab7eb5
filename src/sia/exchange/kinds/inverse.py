"""The arrows of the circulating AS-IS templates (``Domain Arsitektur Infrastruktur - AS IS.xlsx``): on a kind
group's sheet a link the row's object holds is headed ``→ <target kind> (Dependency)`` (what it depends on), and
``← <source kind>`` columns list what uses the object: the IDs of the objects of other kinds (or the same kind)
whose declared links point at it (on the Server sheet, ``← Aplikasi``: the applications that run on the server).

A ``←`` column is filled from the other sheets and the other domains on export and ignored on upload (a link is
changed where it is held); the kinds of another kind group share one column, headed by the group's label
(``← Keamanan``: every security object protecting the row's object), so a sheet stays readable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..cells import normalize_key
from ..formats import join_list
from .base import INVERSE, SheetColumn, chunks, header_key

FORWARD = "→"
DEPENDENCY = "(Dependency)"  # as the templates in circulation write it, in Indonesian files too


def kind_label(model) -> str:
    return capfirst(str(model._meta.verbose_name))


def dependency_header(target_label: str, detail: str = "") -> str:
    """``→ Fasilitas Komputasi (Dependency)``; ``detail`` (the field's own label) when a sheet holds several
    links to the same kind."""
    middle = f"{target_label}: {detail}" if detail else target_label
    return f"{FORWARD} {middle} {DEPENDENCY}"


@dataclass(frozen=True)
class InverseColumn(SheetColumn):
    """``← <source kind>``: the IDs of the objects whose links (``sources``, fields of other kinds pointing at this
    sheet's kind) name the row's object. Export only."""

    sources: tuple = ()  # fields of the source kinds, each a foreign key or many-to-many to this sheet's kind

    kind = "inverse"
    width = 30
    imported = False

    @classmethod
    def handles(cls, field) -> bool:
        return False  # not a field of the sheet's kind: ``columns`` adds these columns to a kind group's sheets

    @property
    def header(self) -> str:
        return self.label

    def aliases(self) -> set[str]:
        return {header_key(self.label), normalize_key(self.name)} | {header_key(alias) for alias in self.also}

    def instructions(self) -> str:
        kinds = ", ".join(dict.fromkeys(kind_label(field.model) for field in self.sources))
        return _("Diisi SIA dari lembar dan domain lain: ID %(kinds)s yang menautkan objek baris ini. Hanya "
                 "informasi; diabaikan saat diunggah (ubah tautannya pada objek %(kinds)s).") % {"kinds": kinds}

    def prefetch(self, objects, reader):
        """{row pk: [source IDs]} of the sources the reader may see: per source kind, one query for the links (a
        foreign key: the sources themselves) and one for the sources, whatever the number of rows."""
        pks = [obj.pk for obj in objects]
        found = defaultdict(set)  # (source model, source pk) -> row pks
        for field in self.sources:
            if field.many_to_many:
                through = field.remote_field.through
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                for chunk in chunks(pks):
                    links = through.objects.filter(**{f"{target}__in": chunk}).values_list(source, target)
                    for source_pk, row_pk in links:
                        found[(field.model, source_pk)].add(row_pk)
            else:
                for chunk in chunks(pks):
                    rows = field.model.objects.filter(**{f"{field.attname}__in": chunk})
                    for source_pk, row_pk in rows.values_list("pk", field.attname):
                        found[(field.model, source_pk)].add(row_pk)
        wanted = defaultdict(set)
        for model, source_pk in found:
            wanted[model].add(source_pk)
        codes = defaultdict(set)
        for model, source_pks in wanted.items():
            for chunk in chunks(source_pks):
                for source in reader.visible(model.objects.filter(pk__in=chunk)):
                    for row_pk in found[(model, source.pk)]:
                        codes[row_pk].add(source.code)
        return codes

    def export(self, obj, context=None):
        return join_list(sorted(context.get(obj.pk, ()))) or None


def inverse_columns(model) -> list[InverseColumn]:
    """The ``←`` columns of a kind's sheet: one per kind whose declared links point at ``model`` (its own group's
    kinds and ungrouped domains), one per other kind group; in domain order. The sheet of an ungrouped (business)
    domain keeps its own template's shape: it gets only the columns of the kind groups linking to it (``← Keamanan``
    on the Aplikasi and Data sheets), what business domains hold is on their own sheets."""
    from sia.architecture.linkspec import field_links

    own = model.spec.group
    grouped: dict[str, list] = {}
    labels, names = {}, {}
    for holder, link in field_links():
        field = holder._meta.get_field(link.field)
        if field.related_model is not model or link.field in holder.COMMON_FORM_FIELDS:
            continue  # ``upgrades`` (every kind's): shown on the detail pages, not a use of the object
        group = holder.spec.group
        if own is None and group is None:
            continue
        if group is not None and group != own:
            key, label, name = f"group:{group.slug}", str(group.label), group.slug.replace("-", "_")
        else:
            key, label, name = holder._meta.label, kind_label(holder), holder._meta.model_name
        grouped.setdefault(key, []).append(field)
        labels[key], names[key] = label, name
    return [
        InverseColumn(name=f"used_by_{names[key]}", label=f"{INVERSE} {labels[key]}", required=False,
                      field=sources[0], sources=tuple(sources))
        for key, sources in grouped.items()
    ]
