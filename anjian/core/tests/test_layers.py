"""DESIGN.md: the apps are layers; an app imports only apps above it in the list, so there are no import
circles and each app can be read knowing only what is above it. This reads every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYERS = ["core", "organizations", "accounts", "registry", "inspections", "accidents", "risk", "dashboards", "demo"]
ROOT = Path(__file__).resolve().parents[2]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[1] for name in names if name.startswith("anjian.") and name.count(".") >= 1}


def _violations(app: str) -> list[str]:
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        # Tests and their helpers (testing.py) may build fixtures from any app; migrations name models by
        # label, not by import.
        if "tests" in path.parts or "migrations" in path.parts or path.name == "testing.py":
            continue
        for imported in _imported_apps(path) - allowed:
            if imported in LAYERS:
                found.append(f"{path.relative_to(ROOT)} imports anjian.{imported}")
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_it_imports_only_apps_above_it(app):
    assert (ROOT / app).is_dir()
    assert _violations(app) == []


def test_it_knows_every_app_of_the_project():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)
