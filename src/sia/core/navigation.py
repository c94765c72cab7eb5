"""Menu entries that each app declares; the menu shows a user only what they may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse

from . import permissions


@dataclass
class MenuItem:
    label: str
    url_name: str
    model: type | None = None
    allowed: Callable | None = None

    def visible_to(self, user) -> bool:
        if self.allowed is not None:
            return self.allowed(user)
        if self.model is not None:
            return permissions.can_anywhere(user, permissions.VIEW, self.model)
        return True


@dataclass
class MenuGroup:
    label: str
    order: int
    items: list[MenuItem] = field(default_factory=list)


_groups: list[MenuGroup] = []


def register_menu(label: str, order: int, items: list[MenuItem]) -> None:
    _groups.append(MenuGroup(label, order, items))
    _groups.sort(key=lambda g: g.order)


def menu_for(user, current_path: str = "") -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    menu = []
    for group in _groups:
        items = []
        for item in group.items:
            if item.visible_to(user):
                url = reverse(item.url_name)
                items.append({"label": item.label, "url": url, "active": current_path.startswith(url)})
        if items:
            menu.append({"label": group.label, "items": items})
    return menu
