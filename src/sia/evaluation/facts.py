"""What SIA's own records say about an indicator: the facts shown on an indicator's page, and the exports that one
click attaches to it as evidence.

The evaluation sits below the apps that hold those records (architecture's consumers: the portfolio, the roadmap,
the Dokumen Arsitektur). An app above fills this registry in its ``AppConfig.ready()`` (``sia.index_evidence``):

- ``register_indicator_facts(framework_code, numbers)`` decorates ``provider(assessment, indicator, user)`` returning
  a list of ``Fact``: what the user may see of the assessment's instansi, with a link to where the figure comes
  from. One provider serves several indicators (and instruments); an indicator may have several providers, shown
  in the order they were registered.
- ``register_facts_everywhere(provider)``: the same for every indicator of every instrument (a record that names the
  indicators it evidences itself: a governance document), asked after the indicator's own providers.
- ``register_export(key, label, attach_url)``: an export that a ``Fact`` may name (``Fact.export``) to offer it as
  evidence; ``attach_url(assessment, indicator, key)`` is where the page posts to attach it.

``indicator_facts`` asks every provider of the indicator; the page shows the facts and, to those who may add
evidence while the stage is open, one button per export the facts name.

- ``register_team_source(source)``: ``source(assessment, day)`` returns the ``DecreeTeam`` the instansi's decree in
  force on ``day`` forms for the self-assessment (``sia.governance``: the SK of the Tim Evaluator / Tim Asesor
  Internal), or None; ``decree_team`` asks the sources in turn and the Berita Acara lists that team.
- ``register_team_source(source, team=COORDINATION)``: the same for the coordination team (the SK of the Tim
  Koordinasi), which the Berita Acara lists under the internal team as the team that acknowledges it
  (``coordination_team``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Provider = Callable[..., list]


@dataclass(frozen=True)
class Fact:
    """One figure SIA's records give about an indicator: ``label`` and ``value`` (a number or a short text),
    ``detail`` (how it breaks down), ``url`` (the page the figure comes from) and optionally ``export``: the key of
    a registered export that attaches as evidence of it."""

    label: str
    value: object
    detail: str = ""
    url: str = ""
    export: str = ""

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@dataclass(frozen=True)
class Export:
    """An export that attaches to an indicator as evidence (the application inventory, the roadmap, ...)."""

    key: str
    label: str
    attach_url: Callable[..., str]  # (assessment, indicator, key) -> URL the page posts to


@dataclass
class IndicatorFacts:
    """What the page shows: the facts of the providers, in their order, and the exports they name."""

    facts: list[Fact] = field(default_factory=list)
    exports: list[tuple[Export, str]] = field(default_factory=list)  # (export, attach URL)

    def __bool__(self) -> bool:
        return bool(self.facts)


_providers: dict[tuple[str, int], list[Provider]] = {}
_exports: dict[str, Export] = {}
_everywhere: list[Provider] = []


def register_indicator_facts(framework_code: str, numbers: Iterable[int]):
    """Decorator: ``provider(assessment, indicator, user) -> list[Fact]`` for the indicators ``numbers`` of the
    instrument ``framework_code``. Registering the same provider again for an indicator changes nothing."""

    numbers = tuple(numbers)

    def decorate(provider: Provider) -> Provider:
        for number in numbers:
            registered = _providers.setdefault((framework_code, int(number)), [])
            if provider not in registered:
                registered.append(provider)
        return provider

    return decorate


def register_facts_everywhere(provider: Provider) -> Provider:
    """``provider(assessment, indicator, user) -> list[Fact]`` asked on every indicator's page (once)."""
    if provider not in _everywhere:
        _everywhere.append(provider)
    return provider


def register_export(key: str, label, attach_url: Callable[..., str]) -> Export:
    """An export a ``Fact`` may offer as evidence (``Fact.export``); a key registered again replaces the earlier."""
    export = Export(key, label, attach_url)
    _exports[key] = export
    return export


def export_for(key: str) -> Export | None:
    return _exports.get(key)


def providers_for(framework_code: str, number: int) -> list[Provider]:
    return list(_providers.get((framework_code, number), ()))


def has_facts(framework_code: str, number: int) -> bool:
    return bool(_providers.get((framework_code, number)))


def indicator_facts(assessment, indicator, user) -> IndicatorFacts:
    """The facts of every provider of the indicator, as ``user`` may see them, and the exports they name (once)."""
    result = IndicatorFacts()
    for provider in providers_for(assessment.framework.code, indicator.number) + _everywhere:
        result.facts.extend(provider(assessment, indicator, user))
    seen = set()
    for fact in result.facts:
        export = _exports.get(fact.export) if fact.export else None
        if export is not None and export.key not in seen:
            seen.add(export.key)
            result.exports.append((export, export.attach_url(assessment, indicator, export.key)))
    return result


def exports_offered(assessment, indicator, user) -> set[str]:
    """The keys of the exports the indicator's facts offer (what the attach action accepts for it)."""
    return {export.key for export, _url in indicator_facts(assessment, indicator, user).exports}


@dataclass(frozen=True)
class DecreeMember:
    name: str
    nip: str
    position: str
    role: str  # the role's label as the decree writes it (Ketua, Sekretaris, Anggota)


@dataclass(frozen=True)
class DecreeTeam:
    """The internal team as a decree in force forms it: ``decree`` names it ("Keputusan Gubernur ... Nomor ...")."""

    decree: str
    members: tuple[DecreeMember, ...]


INTERNAL, COORDINATION = "internal", "coordination"  # the internal (evaluator/assessor) and coordination teams
_team_sources: dict[str, list[Callable]] = {INTERNAL: [], COORDINATION: []}


def register_team_source(source: Callable = None, *, team: str = INTERNAL) -> Callable:
    """``source(assessment, day) -> DecreeTeam | None`` for the internal team (or, with ``team=COORDINATION``, the
    coordination team); registering the same source again changes nothing. Usable as ``@register_team_source`` and
    ``@register_team_source(team=COORDINATION)``."""
    if source is None:
        return lambda fn: register_team_source(fn, team=team)
    if source not in _team_sources[team]:
        _team_sources[team].append(source)
    return source


def _first_team(team: str, assessment, day) -> DecreeTeam | None:
    for source in _team_sources[team]:
        found = source(assessment, day)
        if found is not None and found.members:
            return found
    return None


def decree_team(assessment, day) -> DecreeTeam | None:
    """The internal team of the first source that knows one with members for the assessment's instansi on
    ``day``."""
    return _first_team(INTERNAL, assessment, day)


def coordination_team(assessment, day) -> DecreeTeam | None:
    """The coordination team as the instansi's decree in force on ``day`` forms it, or None."""
    return _first_team(COORDINATION, assessment, day)
