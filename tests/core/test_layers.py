"""Imports point down: an app imports only the apps below it, whether at the top of a module or inside a function.

The order is the one of ``INSTALLED_APPS`` after the framework apps: core at the bottom, publishing at the top. An
app that needs something from an app above it offers an extension point (a registry, a hook) that the upper app
fills in its ``ready()``.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

import sia

SOURCE = Path(sia.__file__).parent
LAYERS = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("sia.")]


def _sia_app(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [parts[1]] if parts[0] == "sia" and len(parts) > 1 else []


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The SIA apps a module reaches: ``import sia.<app>``, ``from sia.<app> import``, ``from sia import <app>``,
    a relative import beyond its own app, and the literal app names given to ``import_module("sia.<app>...")`` and
    ``apps.get_model("<app>", ...)`` / ``get_model("<app>.<Model>")``, which would otherwise dodge this check."""
    found = set()
    package = path.relative_to(SOURCE).parts[:-1]  # ("exchange", "api") for src/sia/exchange/api/views.py
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from ..x import y: resolved against the module's package
                base = package[: len(package) - node.level + 1]
                parts = list(base) + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [alias.name for alias in node.names]
            elif node.module == "sia":  # from sia import publishing
                names = [alias.name for alias in node.names]
            else:
                names = _sia_app(node.module or "")
            found.update((name, node.lineno) for name in names)
        elif isinstance(node, ast.Import):
            found.update((name, node.lineno) for alias in node.names for name in _sia_app(alias.name))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            literal = node.args[0].value
            if callee == "import_module" and isinstance(literal, str):
                found.update((name, node.lineno) for name in _sia_app(literal))
            elif callee == "get_model" and isinstance(literal, str):
                found.add((literal.split(".")[0], node.lineno))
    return found


URL_TAG = re.compile(r"""{%\s*url\s+['"]([\w-]+):""")


def template_apps(path: Path) -> set[tuple[str, int]]:
    """The apps whose URL names a template reverses (``{% url 'roadmap:timeline' %}``, ``'roadmap-api:...'``)."""
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        found.update((namespace.removesuffix("-api"), number) for namespace in URL_TAG.findall(line))
    return found


def test_the_layers_are_every_sia_app():
    apps = sorted(path.parent.name for path in SOURCE.glob("*/apps.py"))
    assert sorted(LAYERS) == apps
    assert LAYERS[0] == "core"


def upward(app: str, found: set[tuple[str, int]]) -> list[tuple[str, int]]:
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    return sorted((name, line) for name, line in found if name in LAYERS and name not in allowed)


def test_every_import_points_down():
    pointing_up = []
    for app in LAYERS:
        for path in sorted((SOURCE / app).rglob("*.py")):
            if "migrations" in path.parts:  # migrations name other apps' migrations, by string
                continue
            pointing_up += [f"{path.relative_to(SOURCE)}:{line} reaches sia.{name}"
                            for name, line in upward(app, imported_apps(path))]
    assert not pointing_up, "imports pointing up:\n" + "\n".join(pointing_up)


def test_templates_link_only_down():
    """An app's templates reverse URLs of its own app and of those below it; an app above adds its links through a
    registry (a menu entry, a panel) instead."""
    pointing_up = []
    for app in LAYERS:
        for path in sorted((SOURCE / app / "templates").rglob("*.html")):
            pointing_up += [f"{path.relative_to(SOURCE)}:{line} links to {name}"
                            for name, line in upward(app, template_apps(path))]
    assert not pointing_up, "template links pointing up:\n" + "\n".join(pointing_up)


@pytest.mark.parametrize("source, expected", [
    ("from ...roadmap import models\n", {"roadmap"}),
    ("import sia.insights.graph\n", {"insights"}),
    ("from sia import publishing, core\n", {"publishing", "core"}),
    ("from sia.exchange.cells import clean_text\n", {"exchange"}),
    ("def f():\n    from sia.roadmap import figures\n", {"roadmap"}),
    ("importlib.import_module('sia.portfolio.similarity')\n", {"portfolio"}),
    ("apps.get_model('roadmap', 'Activity')\n", {"roadmap"}),
    ("apps.get_model('evaluation.Assessment')\n", {"evaluation"}),
    ("from .. import permissions\nfrom .models import X\n", {"core"}),
])
def test_the_check_sees_every_way_to_reach_an_app(monkeypatch, source, expected):
    module = SOURCE / "core" / "views" / "example.py"  # not written: parsed from a path under core
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: source)
    assert {name for name, _line in imported_apps(module)} == expected


def test_the_template_check_sees_url_namespaces(monkeypatch):
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: "{% url 'roadmap:timeline' %}\n<a href=\"{% url \"publishing-api:document-list\" %}\">")
    assert template_apps(SOURCE / "core" / "templates" / "x.html") == {("roadmap", 1), ("publishing", 2)}
