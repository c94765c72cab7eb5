"""Panels that upper apps add to the pages of an object of a lower app, without the lower app knowing them.

The portfolio shows "similar existing applications" on the form and the detail page of an Aplikasi, yet
``sia.architecture`` never imports ``sia.portfolio``: the page includes ``{% object_panels object "edit" %}``
(``sia.core.templatetags.sia_panels``) and the portfolio registers, in its ``AppConfig.ready()``::

    @register_object_page_panel(Application, "edit", order=10)
    def similar(request, obj, form=None):
        return {"template": "portfolio/_similar_panel.html", ...}   # or None: nothing to show

Places: ``"detail"`` (the object's page) and ``"edit"`` (its create or edit form; ``obj`` is unsaved on a
create and ``form`` is the bound or unbound form). A panel answers a context dict with its ``template`` or
None. The home dashboard's per-object panels (``sia.core.dashboard.register_object_panel``) are older and
detail-only; new panels belong here.
"""

from __future__ import annotations

from typing import Callable

PLACES = ("detail", "edit")

_panels: list[tuple[int, int, type, str, Callable]] = []


def register_object_page_panel(model, place: str, order: int = 100):
    """Decorator for ``panel(request, obj, form=None) -> {"template": ..., **context} | None`` shown on the
    ``place`` page of ``model`` objects (subclasses included), in ``order``."""
    if place not in PLACES:
        raise ValueError(f"unknown panel place {place!r}; one of {PLACES}")

    def decorator(func):
        _panels.append((order, len(_panels), model, place, func))
        _panels.sort(key=lambda item: item[:2])
        return func

    return decorator


def panels_for(request, obj, place: str, form=None) -> list[dict]:
    """The panels of ``obj``'s ``place`` page that have something to show, in order."""
    result = []
    for _order, _sequence, model, where, func in _panels:
        if where == place and isinstance(obj, model):
            panel = func(request, obj, form=form)
            if panel:
                result.append(panel)
    return result


_list_actions: list[tuple[int, int, type, Callable]] = []


def register_list_actions(model, order: int = 100):
    """Decorator for ``actions(request, model, querystring) -> [{"label", "url", "data": {...}}]``: buttons an app
    above adds to the list page of ``model`` (and of its subclasses), after the page's own (the Excel template,
    export and upload of ``sia.exchange`` on every architecture list). ``querystring`` is the list's current
    filter; ``data`` become ``data-*`` attributes."""

    def decorator(func):
        _list_actions.append((order, len(_list_actions), model, func))
        _list_actions.sort(key=lambda item: item[:2])
        return func

    return decorator


def list_actions_for(request, model, querystring: str = "") -> list[dict]:
    """``model``: the list's model, or an instance of it (a template calls the class it is given)."""
    model = model if isinstance(model, type) else type(model)
    result = []
    for _order, _sequence, base, func in _list_actions:
        if issubclass(model, base):
            result.extend(func(request, model, querystring))
    return result
