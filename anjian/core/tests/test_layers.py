"""DESIGN.md: the apps are layers; an app imports only apps above it in the list, so there are no import
circles and each app can be read knowing only what is above it. No app imports another app's private (``_x``)
name, and the modules inside an app import each other without circles either. This reads every module's
imports (those inside functions too: a deferred import is still a dependency)."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

LAYERS = ["core", "organizations", "accounts", "registry", "inspections", "accidents", "risk", "dashboards", "demo"]
ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path, root: Path = ROOT) -> str:
    """``anjian.registry.imports.columns`` for ``<root>/registry/imports/columns.py``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([root.name, *parts])


@functools.cache
def _parsed(source: str) -> ast.Module:
    """A module's syntax tree, parsed once for the three checks (which only read it)."""
    return ast.parse(source)


def imports_of(source: str, module: str, *, is_package: bool = False) -> Iterator[tuple[str, list[str], int]]:
    """Every (imported module, names taken from it, line) in a module's source, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(_parsed(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [alias.name for alias in node.names], node.lineno


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "anjian" else None


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _python_files(app_dir: Path) -> Iterator[Path]:
    for path in sorted(app_dir.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def layer_violations(app: str, files: dict[str, tuple[str, bool]]) -> list[str]:
    """Imports of an app's non-test modules (``testing.py`` helpers included) that reach an app below it."""
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    found = []
    for module, (source, is_package) in files.items():
        if ".tests" in module:
            continue
        for target, _names, line in imports_of(source, module, is_package=is_package):
            imported = _app_of(target)
            if imported in LAYERS and imported not in allowed:
                found.append(f"{module}:{line} imports anjian.{imported}")
    return found


def _other_apps_modules_by_alias(tree: ast.AST, app: str) -> dict[str, str]:
    """Local names bound to another app's module: ``import anjian.registry.imports as engine``,
    ``from anjian.registry import imports``."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and _app_of(alias.name) not in (None, app):
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _app_of(node.module or "") not in (None, app):
            for alias in node.names:
                if alias.name[:1].islower():
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def private_violations(app: str, files: dict[str, tuple[str, bool]]) -> list[str]:
    """Uses, in any module of the app (tests included), of a private name or module of another app: imported by
    name, or reached as an attribute of the other app's module (``engine._read_rows``)."""
    found = []
    for module, (source, is_package) in files.items():
        for target, names, line in imports_of(source, module, is_package=is_package):
            other = _app_of(target)
            if other is None or other == app:
                continue
            if any(_is_private(part) for part in target.split(".")):
                found.append(f"{module}:{line} imports the private module {target}")
            found.extend(
                f"{module}:{line} imports the private name {target}.{name}" for name in names if _is_private(name)
            )
        tree = _parsed(source)
        aliases = _other_apps_modules_by_alias(tree, app)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _is_private(node.attr)
            ):
                found.append(f"{module}:{node.lineno} uses the private name {aliases[node.value.id]}.{node.attr}")
    return found


def circles(files: dict[str, tuple[str, bool]]) -> list[list[str]]:
    """Import cycles between the non-test modules of one app (each cycle once, as the modules on it)."""
    modules = {module for module in files if ".tests" not in module}
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for module in modules:
        source, is_package = files[module]
        for target, names, _line in imports_of(source, module, is_package=is_package):
            # ``from package import submodule`` depends on the submodule; ``from module import name`` on the module.
            candidates = [f"{target}.{name}" for name in names] + [target]
            for candidate in candidates:
                if candidate in modules and candidate != module:
                    graph[module].add(candidate)
                    break
    # Tarjan's strongly connected components: every component of more than one module is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@functools.cache
def _files_of(app: str) -> dict[str, tuple[str, bool]]:
    """The app's modules and their sources, read once for the three checks."""
    return {
        module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in _python_files(ROOT / app)
    }


@pytest.mark.parametrize("app", LAYERS)
def test_it_imports_only_apps_above_it(app):
    assert (ROOT / app).is_dir()
    assert layer_violations(app, _files_of(app)) == []


@pytest.mark.parametrize("app", LAYERS)
def test_it_imports_no_private_name_of_another_app(app):
    assert private_violations(app, _files_of(app)) == []


@pytest.mark.parametrize("app", LAYERS)
def test_its_modules_import_each_other_without_circles(app):
    assert circles(_files_of(app)) == []


def test_it_knows_every_app_of_the_project():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)


class TestTheCheckerRefuses:
    """The checks above would be worthless if they could not fail: each is shown a module that breaks its rule."""

    def test_an_import_of_an_app_below(self):
        files = {"anjian.registry.views": ("from anjian.inspections.services import close_hazard\n", False)}
        assert layer_violations("registry", files) == ["anjian.registry.views:1 imports anjian.inspections"]

    def test_a_deferred_import_in_a_testing_helper(self):
        source = "def build():\n    from anjian.accounts.services import create_user\n"
        files = {"anjian.core.testing": (source, False)}
        assert layer_violations("core", files) == ["anjian.core.testing:2 imports anjian.accounts"]

    def test_a_test_may_import_any_app(self):
        files = {"anjian.core.tests.test_x": ("from anjian.risk.models import Assessment\n", False)}
        assert layer_violations("core", files) == []

    def test_a_private_name_or_module_of_another_app(self):
        source = (
            "from anjian.registry.imports import _read_rows, check_rows\n"
            "from anjian.registry.tests._places import cast_places\n"
            "from anjian.accidents.models import __doc__\n"
        )
        files = {"anjian.accidents.tests.test_y": (source, False)}
        assert private_violations("accidents", files) == [
            "anjian.accidents.tests.test_y:1 imports the private name anjian.registry.imports._read_rows",
            "anjian.accidents.tests.test_y:2 imports the private module anjian.registry.tests._places",
        ]

    def test_a_private_name_reached_through_another_apps_module(self):
        source = (
            "from anjian.registry import imports as engine\n"
            "import anjian.registry.services as registry_services\n"
            "engine._read_rows()\n"
            "registry_services._check()\n"
            "engine.check_rows()\n"
        )
        files = {"anjian.accidents.imports": (source, False)}
        assert private_violations("accidents", files) == [
            "anjian.accidents.imports:3 uses the private name anjian.registry.imports._read_rows",
            "anjian.accidents.imports:4 uses the private name anjian.registry.services._check",
        ]

    def test_its_own_private_names_are_the_apps_business(self):
        files = {"anjian.registry.views": ("from anjian.registry.services import _helper\nfrom . import _x\n", False)}
        assert private_violations("registry", files) == []

    def test_a_circle_through_a_deferred_and_a_relative_import(self):
        files = {
            "anjian.registry.models": ("def f():\n    from anjian.registry import services\n", False),
            "anjian.registry.services": ("from .imports import read\n", False),
            "anjian.registry.imports": ("from anjian.registry.models import Site\n", True),
            "anjian.registry.views": ("from anjian.registry.services import create\n", False),
        }
        assert circles(files) == [["anjian.registry.imports", "anjian.registry.models", "anjian.registry.services"]]
