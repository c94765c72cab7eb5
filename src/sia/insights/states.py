"""Which architecture an insights page draws and lists: ``?arsitektur=as-is`` (what exists today), ``to-be`` (what
is planned and what of today stays: ``graph.view_admits``), ``keduanya`` (as-is and to-be side by side: two
diagrams, the lists of every object) or nothing, every object as before (the default: the pages show what is
recorded, and a reader who has entered no to-be object sees no difference).

A choice the page does not offer is bad input (``ChoiceError``, answered 400 with its reason). The choice is kept
in the page's links (``keep``) and shown as a row of tabs (``selector``) that keeps the page's other filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sia.architecture.choices import ArchitectureState

from .graph import AS_IS, TO_BE, VIEWS

PARAM = "arsitektur"
BOTH = "keduanya"
ALL = ""
LABELS = {
    ALL: gettext_lazy("Semua objek"),
    AS_IS: gettext_lazy("As-is"),
    TO_BE: gettext_lazy("To-be"),
    BOTH: gettext_lazy("Berdampingan"),
}
HEADINGS = {
    AS_IS: gettext_lazy("As-is: arsitektur saat ini"),
    TO_BE: gettext_lazy("To-be: arsitektur yang direncanakan"),
}
# Query parameters a link to another page of the same choice leaves behind (the page number of a list).
_DROPPED = ("page",)


class ChoiceError(ValueError):
    """An ``arsitektur`` value no page offers."""


@dataclass(frozen=True)
class Choice:
    value: str  # ALL, AS_IS, TO_BE or BOTH

    @property
    def view(self) -> str | None:
        """The graph view the page's lists show (``Graph.in_view``): None (every object) for ALL and BOTH."""
        return self.value if self.value in VIEWS else None

    @property
    def side_by_side(self) -> bool:
        return self.value == BOTH

    @property
    def keep(self) -> dict:
        """The query parameter links keep: nothing for the default."""
        return {PARAM: self.value} if self.value else {}

    @property
    def label(self) -> str:
        return str(LABELS[self.value])


def chosen(request) -> Choice:
    """The choice of ``?arsitektur=``; ``ChoiceError`` naming the value and the choices for any other."""
    raw = request.GET.get(PARAM, "").strip()
    if raw not in LABELS:
        raise ChoiceError(_("Pilihan arsitektur “%(value)s” tidak dikenal; pilih %(choices)s.") % {
            "value": raw[:40], "choices": ", ".join(value for value in LABELS if value)})
    return Choice(raw)


def with_choice(query, value: str) -> str:
    """``query`` (a QueryDict) with ``arsitektur`` set to ``value`` (removed for the default), as a query string."""
    query = query.copy()
    for name in (PARAM, *_DROPPED):
        query.pop(name, None)
    if value:
        query[PARAM] = value
    return query.urlencode()


def selector(request, choice: Choice) -> list[dict]:
    """The tabs of the choice: each with its label, this page's URL with that choice (the page's other filters
    kept) and whether it is the current one."""
    return [{"value": value, "label": label, "current": value == choice.value,
             "url": _url(request.path, with_choice(request.GET, value))}
            for value, label in LABELS.items()]


def _url(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def keep_query(choice: Choice, **params) -> str:
    """A query string of ``params`` (empty ones left out) and the choice."""
    params = {key: value for key, value in {**params, **choice.keep}.items() if value not in (None, "")}
    return urlencode(params)


def badge(node) -> str:
    """What a list says of an object's state beside its name: its to-be state, or that it is to be retired; nothing
    for an as-is object that stays."""
    if node.state != AS_IS:
        try:
            return str(ArchitectureState(node.state).label)
        except ValueError:
            return node.state
    return str(_("direncanakan dihentikan")) if node.retiring else ""


def replacements(graph, node) -> list:
    """The to-be upgrades in ``graph`` that develop ``node`` (an as-is object): what takes its place in the to-be
    view."""
    return sorted((other for other in graph.nodes.values()
                   if other.kind == node.kind and other.upgrades == node.pk and other.state != AS_IS),
                  key=lambda other: (other.code, other.pk))


def absence(graph, node, view: str) -> str:
    """Why ``node`` of ``graph`` (every object the reader sees) is not in ``view``, in words."""
    if view == AS_IS:
        return _("%(object)s belum ada: objek ini bagian dari arsitektur to-be.") % {"object": node.label}
    if node.retiring:
        return _("%(object)s direncanakan dihentikan: tidak ada di arsitektur to-be.") % {"object": node.label}
    upgrades = replacements(graph, node)
    if upgrades:
        return _("Di arsitektur to-be, %(object)s digantikan oleh pengembangannya: %(upgrades)s.") % {
            "object": node.label, "upgrades": ", ".join(other.label for other in upgrades)}
    return _("%(object)s tidak ada di arsitektur to-be.") % {"object": node.label}
