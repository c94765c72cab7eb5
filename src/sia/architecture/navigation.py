"""The Arsitektur menu: one entry per kind group (``sia.architecture.kindgroups``), a group of several
kinds as a heading over one sub-entry per kind (infrastruktur: server, jaringan, ...), then the pages
over every domain. Listed when the menu is drawn, so that it follows the registry."""

from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.navigation import MenuItem, register_menu
from sia.organizations.models import MentorAssignment

from .kindgroups import kind_groups, kind_label
from .models import BusinessProcess, ValueListItem


def _members(user):
    return permissions.can_anywhere(user, permissions.VIEW, BusinessProcess)


def _kind_entry(model, label=None) -> MenuItem:
    return MenuItem(label or kind_label(model), f"architecture:{model._meta.model_name}_list", model)


def domain_entries() -> list[MenuItem]:
    """One entry per kind group: the list of a domain of one kind, or the group over its kinds."""
    entries = []
    for group, kinds in kind_groups():
        if len(kinds) == 1 and group.slug == kinds[0].spec.slug:
            entries.append(_kind_entry(kinds[0], group.label))
        else:
            entries.append(MenuItem(group.label, children=[_kind_entry(model) for model in kinds]))
    return entries


def architecture_menu() -> list[MenuItem]:
    return domain_entries() + [
        MenuItem(_("Pohon proses bisnis"), "architecture:process_tree", allowed=_members),
        MenuItem(_("Integrasi aplikasi"), "architecture:applicationintegration_list", allowed=_members),
        MenuItem(_("Perlu tindakan"), "architecture:needs_action", allowed=_members),
        MenuItem(_("Kelengkapan per OPD"), "architecture:completeness", allowed=_members),
        MenuItem(_("Katalog kesenjangan"), "architecture:gap_catalog", allowed=_members),
        MenuItem(_("Beban mentor"), "architecture:mentor_load",
                 allowed=lambda user: permissions.can_anywhere(user, permissions.CHANGE, MentorAssignment)),
        MenuItem(_("Daftar nilai pilihan"), "architecture:valuelistitem_list",
                 allowed=lambda user: permissions.can_anywhere(user, permissions.ADD, ValueListItem)),
    ]


register_menu(_("Arsitektur"), 30, architecture_menu, key="architecture")
