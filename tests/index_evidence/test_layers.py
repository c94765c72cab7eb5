"""The evaluation learns about the records above it only through its registry, which the top app fills."""

from pathlib import Path

from django.conf import settings

import sia
from sia.evaluation import facts
from tests.core.test_layers import LAYERS, imported_apps

SOURCE = Path(sia.__file__).parent


def test_index_evidence_sits_above_every_app_it_reads():
    apps = [name for name in settings.INSTALLED_APPS if name.startswith("sia.")]
    assert apps.index("sia.index_evidence") == apps.index("sia.publishing") + 1  # the top of what it reads
    assert LAYERS.index("index_evidence") > LAYERS.index("publishing")


def test_the_registry_and_the_indicator_page_import_nothing_above_the_evaluation():
    below = set(LAYERS[: LAYERS.index("evaluation") + 1])
    for module in ("facts.py", "views.py"):
        found = {name for name, _line in imported_apps(SOURCE / "evaluation" / module)}
        assert found <= below, f"evaluation/{module} imports {sorted(found - below)}"


def test_a_provider_registered_twice_is_asked_once(monkeypatch):
    monkeypatch.setattr(facts, "_providers", {})
    monkeypatch.setattr(facts, "_exports", {})
    monkeypatch.setattr(facts, "_everywhere", [])  # providers of every indicator (sia.governance) are not asked here

    def provider(assessment, indicator, user):
        return [facts.Fact("Aplikasi", 3, export="x"), facts.Fact("Lain", "—", export="x")]

    facts.register_indicator_facts("uji", [1, 2])(provider)
    facts.register_indicator_facts("uji", [2])(provider)
    facts.register_export("x", "ekspor uji", lambda a, i, key: f"/lampirkan/{i.number}/{key}/")
    assert facts.providers_for("uji", 2) == [provider] and not facts.has_facts("uji", 3)

    class Stub:
        number = 2
        framework = type("F", (), {"code": "uji"})()

    found = facts.indicator_facts(Stub(), Stub(), None)
    assert [f.label for f in found.facts] == ["Aplikasi", "Lain"] and found.facts[0].is_number
    assert [(e.key, url) for e, url in found.exports] == [("x", "/lampirkan/2/x/")]  # an export offered once
