"""Test data built once and shared: the cast of the session, each test module's own data built on it
(``shared_fixture``), and the demo city of the session.

Each is built inside a transaction on every database that is rolled back when its tests are done (a module's
inside the cast's). Every test
still runs in a savepoint of its own (pytest-django's ``db``) and receives deep copies of the shared Python
objects, as Django's TestCase does with ``setUpTestData``: no test sees what the one before it changed, in the
database or in memory. A transactional test (a live server, a real worker) cannot run inside that transaction:
it builds the same data for itself (see anjian/conftest.py).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable

import pytest

# What makes pytest-django run a test outside a transaction, emptying the database after it.
TRANSACTIONAL_FIXTURES = frozenset(
    {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)

# The shared fixtures each test module declares, in declaration order: module name -> [(name, builder, params)].
BUILDERS: dict[str, list[tuple[str, Callable, list[str]]]] = {}


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (the same rule as its own ordering)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        reset_sequences = marker.kwargs.get("reset_sequences", marker.args[1] if len(marker.args) > 1 else False)
        if transaction or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES.intersection(getattr(item, "fixturenames", ())))


class RolledBack:
    """A transaction on every database, opened for data that many tests share and rolled back after them.
    The values built inside it are handed out as deep copies (``copy``)."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self._atomics: list = []
        self.values: dict[str, object] = {}

    @property
    def is_open(self) -> bool:
        return bool(self._atomics)

    def open(self) -> None:
        from django.db import connections, transaction

        with self.blocker.unblock():
            for alias in connections:
                atomic = transaction.atomic(using=alias)
                atomic.__enter__()
                self._atomics.append((alias, atomic))

    def close(self) -> None:
        from django.db import transaction

        self.values.clear()
        with self.blocker.unblock():
            while self._atomics:
                alias, atomic = self._atomics.pop()
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)

    def build(self, name: str, builder: Callable, **arguments) -> object:
        with self.blocker.unblock():
            self.values[name] = builder(**arguments)
        return self.values[name]

    def has(self, name: str) -> bool:
        return self.is_open and name in self.values

    def copy(self, name: str, memo: dict) -> object:
        """A copy of the value for one test; one memo per test keeps the identities between its values
        (the place's district is the cast's district), as Django's TestData does."""
        return copy.deepcopy(self.values[name], memo)


def shared_names(item: pytest.Item) -> frozenset[str]:
    """The shared data a test asks for: the cast and those of its module's shared fixtures it names (directly or
    through another fixture). Tests that ask for the same are run one after another and share one build."""
    module = item.getparent(pytest.Module)
    declared = {"cast"} | {name for name, _builder, _params in BUILDERS.get(module.obj.__name__, ())}
    return frozenset(declared.intersection(getattr(item, "fixturenames", ())))


class ModuleData(RolledBack):
    """The module's shared fixtures, built on a copy of the session's cast for a run of the module's tests that run
    inside a transaction and ask for the same shared data (``shared_names``; pytest_collection_modifyitems puts them
    together), and rolled back after the last of them. Only what every test of the run asks for is built: a test
    must not find rows in the database that it did not ask for. The next run of the module builds its own."""

    def __init__(self, blocker, module: pytest.Module) -> None:
        super().__init__(blocker)
        self.module = module

    def start(self, item: pytest.Item, build_cast: Callable) -> None:
        """Open the transaction and build the shared data of the run that begins with this test; ``build_cast``
        gives the cast they are built on."""
        coming = coming_in_module(item)
        self.open()
        self.build_all(
            self.module.obj.__name__,
            build_cast,
            wanted=lambda name: all(name in other.fixturenames for other in coming),
        )

    def build_all(self, module_name: str, build_cast: Callable, wanted: Callable[[str], bool]) -> None:
        if not wanted("cast"):
            return
        self.build("cast", build_cast)
        for name, builder, params in BUILDERS.get(module_name, ()):
            if not wanted(name) or not all(param in self.values for param in params):
                continue
            self.build(name, builder, **{param: self.values[param] for param in params})


def ends_a_run(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    """Whether the shared data built for this test's run is rolled back after it: the next test is in another
    module, runs outside a transaction, or asks for other shared data."""
    return (
        nextitem is None
        or nextitem.getparent(pytest.Module) is not item.getparent(pytest.Module)
        or is_transactional(nextitem)
        or shared_names(nextitem) != shared_names(item)
    )


def coming_in_module(item: pytest.Item) -> list[pytest.Item]:
    """This test and those after it in the same module that run inside a transaction and ask for the same shared
    data, up to the first that does not (the order of the session, which pytest_collection_modifyitems settled)."""
    items = item.session.items
    coming = [item]
    for other in items[items.index(item) + 1 :]:
        if ends_a_run(coming[-1], other):
            break
        coming.append(other)
    return coming


def shared_fixture(builder: Callable) -> Callable:
    """Declare a module's fixture built once per module from the cast (and shared fixtures declared above it),
    inside the module's transaction; each test gets a deep copy. A transactional test gets it built for itself.
    The builder names its arguments like fixtures: ``cast`` and the shared fixtures above it."""
    name = builder.__name__
    params = list(inspect.signature(builder).parameters)
    BUILDERS.setdefault(builder.__module__, []).append((name, builder, params))

    def fixture(request, module_data, shared_copies, cast):
        if module_data.has(name):
            return module_data.copy(name, shared_copies)
        return builder(**{param: request.getfixturevalue(param) for param in params})

    fixture.__doc__ = builder.__doc__
    return pytest.fixture(name=name)(fixture)
