"""Kind groups: a domain that holds several object kinds (infrastruktur: server, jaringan, ...; keamanan: ...)
declares one ``KindGroup`` and every kind names it in ``DomainSpec.group``. The kinds of a group share a
menu entry, a completeness column and a workbook (one sheet per kind); each kind keeps its own pages, API
resource, fields and links. A domain of one kind (aplikasi) needs no group: it is a group of its own.

Plain module: no model import at load time (``models.base`` imports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class KindGroup:
    slug: str  # URL segment and workbook name, Indonesian: "infrastruktur"
    label: str  # menu entry and completeness column: "Infrastruktur"
    order: int = 100
    # The ArchiMate element the group's objects are drawn as in diagrams (one colour and shape per domain: the ten
    # infrastruktur kinds as technology nodes); empty: each kind by its own ``DomainSpec.archimate_element``.
    archimate_element: str = ""


def kind_label(model) -> str:
    """A kind's own label (its list in the menu, its line under a group): "Server", "Aplikasi". A declared label is
    a lazy translation, taken without translating it here (``or`` would: every kind on every page's menu)."""
    label = model.spec.menu_label
    return label if isinstance(label, Promise) or label else model._meta.verbose_name_plural


def group_of(model) -> KindGroup:
    """The group a domain model belongs to; a kind that declares none is a group of one."""
    spec = model.spec
    if spec.group is not None:
        return spec.group
    return KindGroup(slug=spec.slug, label=kind_label(model), order=spec.order)


def kind_groups() -> list[tuple[KindGroup, list]]:
    """(group, its kinds in declaration order) for every domain, groups in order."""
    from .registry import domain_models

    groups: dict[str, tuple[KindGroup, list]] = {}
    for model in domain_models():
        group = group_of(model)
        groups.setdefault(group.slug, (group, []))[1].append(model)
    return sorted(groups.values(), key=lambda pair: (pair[0].order, pair[0].slug))
