"""Menu entries that each app declares; the menu shows a user only what they may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from . import permissions


@dataclass
class MenuItem:
    label: str
    url_name: str = ""  # empty: a heading over ``children`` (e.g. a kind group over its kinds)
    model: type | None = None
    allowed: Callable | None = None
    children: list["MenuItem"] = field(default_factory=list)  # sub-entries, shown under the entry
    # What the entry offers, in a sentence: shown where a page of the group lists the entries apps above add to it.
    description: str = ""

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
    label: str | Callable  # a text, or a function of the user giving it when the menu is drawn (data-driven names)
    order: int
    # The entries, or a function that lists them when the menu is drawn (entries that follow a registry).
    items: list[MenuItem] | Callable[[], list[MenuItem]] = field(default_factory=list)
    key: str = ""
    # Entries an app above the group's own adds to it (``extend_menu``), after the group's own.
    extra: list[MenuItem] = field(default_factory=list)

    def entries(self) -> list[MenuItem]:
        own = self.items() if callable(self.items) else self.items
        return list(own) + self.extra


_groups: list[MenuGroup] = []


def register_menu(label: str | Callable, order: int, items: list[MenuItem] | Callable[[], list[MenuItem]], key: str = "") -> None:
    """A top-level menu group. ``key`` lets apps above this one add entries to it (``extend_menu``)
    instead of a group of their own: the top bar has room for few groups on a laptop screen."""
    _groups.append(MenuGroup(label, order, items, key))
    _groups.sort(key=lambda g: g.order)


def extend_menu(key: str, items: list[MenuItem]) -> None:
    """Adds ``items`` at the end of the group registered with ``key``."""
    for group in _groups:
        if group.key == key:
            group.extra.extend(items)
            return
    raise LookupError(f"no menu group with key {key!r}")


def added_entries(key: str, user) -> list[dict]:
    """The entries apps above added to the group ``key`` (``extend_menu``) that ``user`` may open, for the group's
    own page to offer them (label, url, description) without naming those apps."""
    for group in _groups:
        if group.key == key:
            return [{"label": item.label, "url": reverse(item.url_name), "description": item.description}
                    for item in group.extra if item.url_name and item.visible_to(user)]
    return []


# The menu's URLs (names without arguments) by name, script prefix and URLconf: reversed once, not on every page.
_urls: dict[tuple, str] = {}


def _where() -> tuple:
    """What a reversed URL depends on besides its name: the script prefix and the URLconf of this thread."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def menu_url(url_name: str, where: tuple | None = None) -> str:
    key = (url_name, *(where or _where()))
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(url_name)
    return url


def _entry(item: MenuItem, user, current_path: str, where: tuple) -> dict:
    url = menu_url(item.url_name, where) if item.url_name else ""
    children = [_entry(child, user, current_path, where) for child in item.children if child.visible_to(user)]
    active = bool(url) and current_path.startswith(url)
    return {"label": item.label, "url": url, "active": active, "children": children}


def menu_for(user, current_path: str = "") -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    menu = []
    where = _where()  # read once: each read of the thread's prefix and URLconf goes through asgiref's Local
    for group in _groups:
        items = [_entry(item, user, current_path, where) for item in group.entries() if item.visible_to(user)]
        if items:
            label = group.label(user) if callable(group.label) else group.label
            menu.append({"label": label, "items": items})
    return menu
