"""Imports point down: an app imports only the apps below it, whether at the top of a module or inside a function.

The order is the one of ``INSTALLED_APPS`` after the framework apps: core at the bottom, publishing at the top. An
app that needs something from an app above it offers an extension point (a registry, a hook) that the upper app
fills in its ``ready()``.
"""

import ast
from pathlib import Path

from django.conf import settings

import sia

SOURCE = Path(sia.__file__).parent
LAYERS = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("sia.")]


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The SIA apps a module imports (absolute ``sia.<app>`` or relative beyond its own app), with the line."""
    found = set()
    package = path.relative_to(SOURCE).parts[:-1]  # ("exchange", "api") for src/sia/exchange/api/views.py
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from ..x import y: resolved against the module's package
                base = package[: len(package) - node.level + 1]
                parts = list(base) + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [alias.name for alias in node.names]
            else:
                names = [node.module] if node.module else []
                names = [name.split(".")[1] for name in names if name.startswith("sia.") and name.count(".") >= 1]
            found.update((name, node.lineno) for name in names)
        elif isinstance(node, ast.Import):
            found.update((alias.name.split(".")[1], node.lineno) for alias in node.names
                         if alias.name.startswith("sia.") and alias.name.count(".") >= 1)
    return found


def test_the_layers_are_every_sia_app():
    apps = sorted(path.parent.name for path in SOURCE.glob("*/apps.py"))
    assert sorted(LAYERS) == apps
    assert LAYERS[0] == "core"


def test_every_import_points_down():
    upward = []
    for app in LAYERS:
        allowed = set(LAYERS[: LAYERS.index(app) + 1])
        for path in sorted((SOURCE / app).rglob("*.py")):
            if "migrations" in path.parts:  # migrations name other apps' migrations, by string
                continue
            for name, line in imported_apps(path):
                if name in LAYERS and name not in allowed:
                    upward.append(f"{path.relative_to(SOURCE)}:{line} imports sia.{name}")
    assert not upward, "imports pointing up:\n" + "\n".join(sorted(upward))


def test_the_check_sees_a_relative_import_beyond_the_app(monkeypatch):
    module = SOURCE / "core" / "views" / "example.py"  # not written: parsed from a path under core
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: "from ...roadmap import models\nimport sia.insights.graph\n")
    assert {name for name, _line in imported_apps(module)} == {"roadmap", "insights"}
