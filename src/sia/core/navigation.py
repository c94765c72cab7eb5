"""Menu entries that each app declares; the menu shows a user only what they may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse

from . import permissions


@dataclass
class MenuItem:
    label: str
    url_name: str = ""  # empty: a heading over ``children`` (e.g. a kind group over its kinds)
    model: type | None = None
    allowed: Callable | None = None
    children: list["MenuItem"] = field(default_factory=list)  # sub-entries, shown under the entry

    def visible_to(self, user) -> bool:
        if not self.url_name:
            return any(child.visible_to(user) for child in self.children)
        if self.allowed is not None:
            return self.allowed(user)
        if self.model is not None:
            return permissions.can_anywhere(user, permissions.VIEW, self.model)
        return True


@dataclass
class MenuGroup:
    label: str
    order: int
    # The entries, or a function that lists them when the menu is drawn (entries that follow a registry).
    items: list[MenuItem] | Callable[[], list[MenuItem]] = field(default_factory=list)

    def entries(self) -> list[MenuItem]:
        return self.items() if callable(self.items) else self.items


_groups: list[MenuGroup] = []


def register_menu(label: str, order: int, items: list[MenuItem] | Callable[[], list[MenuItem]]) -> None:
    _groups.append(MenuGroup(label, order, items))
    _groups.sort(key=lambda g: g.order)


def _entry(item: MenuItem, user, current_path: str) -> dict:
    url = reverse(item.url_name) if item.url_name else ""
    children = [_entry(child, user, current_path) for child in item.children if child.visible_to(user)]
    active = bool(url) and current_path.startswith(url)
    return {"label": item.label, "url": url, "active": active, "children": children}


def menu_for(user, current_path: str = "") -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    menu = []
    for group in _groups:
        items = [_entry(item, user, current_path) for item in group.entries() if item.visible_to(user)]
        if items:
            menu.append({"label": group.label, "items": items})
    return menu
