"""The apps' dependencies point one way (docs/architecture.md): each app imports only the apps
below it in LAYERS, at the top of a module or inside a function alike, so no two apps import
each other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom first. An app may import the apps before it, never one after it.
LAYERS = [
    "core",
    "search",
    "people",
    "versions",
    "documents",
    "curation",
    "importing",
    "reuse",
    "iiif",
    "releases",
    "folders",
    "alerts",
    "accounts",
    "oai",
    "archive",
]


def _imports(app: str) -> set[tuple[str, str]]:
    """(module path, imported app) for every import of another app in `app`'s code."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                target = name.split(".")[0]
                if target in LAYERS and target != app:
                    found.add((str(path.relative_to(ROOT)), target))
    return found


def test_every_app_is_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"core", "archive"}
    assert apps <= set(LAYERS), f"not placed in LAYERS: {sorted(apps - set(LAYERS))}"


@pytest.mark.parametrize("app", [app for app in LAYERS if (ROOT / app).is_dir()])
def test_an_app_imports_only_the_apps_below_it(app):
    below = set(LAYERS[: LAYERS.index(app)])
    upward = sorted((module, target) for module, target in _imports(app) if target not in below)
    assert upward == [], f"{app} imports apps above it: {upward}"
