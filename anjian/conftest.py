import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from anjian.accounts.testing import build_cast
from anjian.core.testing import in_ci
from anjian.core.testing_shared import ModuleData, RolledBack, ends_a_run, is_transactional, shared_names

# The test being set up, for the module-scoped fixtures below (a module fixture's request names only its module).
_running: dict = {"item": None}
# The shared data now open, at most one of each kind: the cast of the session, the module data of one module (inside
# the cast's transaction), the demo city of the session.
_open: dict = {"cast": None, "module": None, "demo": None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: the test that begins a new run of its module's shared data (see
    ``shared_names``) has that data built, in a transaction of its own, before the test's own savepoint opens."""
    _running["item"] = item
    module = _open["module"]
    if (
        module is not None
        and not module.is_open
        and module.module is item.getparent(pytest.Module)
        and not is_transactional(item)
        and shared_names(item)
    ):
        module.start(item, _the_cast(module.blocker))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test and the fixtures that end with it: the module's shared data is rolled back after the last test
    of its run (a transactional test cannot run inside its transaction; a test that asks for other shared data
    gets its own), the cast after the last test that asks for it, and the demo city's when its tests are done."""
    yield
    module = _open["module"]
    if module is not None and module.is_open and ends_a_run(item, nextitem):
        module.close()
    cast = _open["cast"]
    if cast is not None and cast.is_open and (nextitem is None or not _shares_the_cast(nextitem)):
        cast.close()
    demo = _open["demo"]
    if demo is not None and demo.is_open and (nextitem is None or "demo_city" not in nextitem.fixturenames):
        demo.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """pytest-django runs the tests inside a transaction first, then the transactional ones (which empty the
    database), then those without a database. The tests of the demo city are put together at the end of the
    first group, so that the city is seeded once, into a database that still has its migrated data. In the first
    group, the tests without the cast run first (they must not find it), then those with it, which share one cast;
    in each module, the tests that ask for the same shared data (the module's shared fixtures) run one after
    another, so that it is built once for them."""

    first_of_module: dict = {}
    first_asking: dict = {}
    for index, item in enumerate(items):
        module = item.getparent(pytest.Module)
        first_of_module.setdefault(module, index)
        first_asking.setdefault((module, shared_names(item)), index)

    def group(item) -> tuple:
        if is_transactional(item):
            return (2,)
        if "demo_city" in item.fixturenames:
            return (1,)
        if "db" in item.fixturenames or item.get_closest_marker("django_db"):
            # The tests without the cast first, then by module those asking for the same shared data together.
            module = item.getparent(pytest.Module)
            asks = shared_names(item)
            return (0, bool(asks), first_of_module[module], first_asking[(module, asks)])
        return (3,)

    items.sort(key=group)
    _keep_one_database_tests_on_theirs(config, items)


# Tests that CI runs on one database only (when it runs the suite on both, ANJIAN_TEST_BOTH_DATABASES=true):
# browser tests on SQLite, for they try pages, not SQL, and they are the slowest; the demo on SQLite, the database
# `make run` seeds it into; Celery worker tests on PostgreSQL, the database deployments run their workers against.
# Without that variable (`make test`) every test runs on the database configured.
ONE_DATABASE = {"browser": "sqlite", "demo": "sqlite", "worker": "postgresql"}


def _keep_one_database_tests_on_theirs(config, items) -> None:
    if os.environ.get("ANJIAN_TEST_BOTH_DATABASES", "").lower() not in {"1", "true", "yes"}:
        return
    from django.db import connection

    def elsewhere(item) -> bool:
        homes = {home for marker, home in ONE_DATABASE.items() if item.get_closest_marker(marker)}
        return bool(homes) and connection.vendor not in homes

    deselected = [item for item in items if elsewhere(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not elsewhere(item)]


def _cast_with_sectors():
    """The cast. A transactional test may have left a database the one before it emptied, so the migrated
    sectors are loaded again when they are gone."""
    from anjian.organizations.models import Sector
    from anjian.organizations.services import ensure_sectors

    if not Sector.objects.exists():
        ensure_sectors()
    return build_cast()


def _shares_the_cast(item) -> bool:
    return "cast" in item.fixturenames and not is_transactional(item)


def _the_cast(blocker):
    """The cast of the session, built once for every test that runs inside a transaction and asks for it (they run
    one after another, see pytest_collection_modifyitems) in a transaction rolled back after the last of them. Each
    run of a module's shared data starts from a copy of it, made by the function returned."""
    cast = _open["cast"]
    if cast is None or not cast.is_open:
        cast = RolledBack(blocker)
        cast.open()
        _open["cast"] = cast
        cast.build("cast", _cast_with_sectors)
    return lambda: cast.copy("cast", {})


@pytest.fixture(scope="module")
def module_data(django_db_setup, django_db_blocker):
    """The cast and the module's shared fixtures (``shared_fixture``), built once for each run of the module's tests
    that ask for the same of them, in a transaction (inside the cast's) rolled back after the run (see
    pytest_runtest_setup); not for a transactional test."""
    item = _running["item"]
    data = ModuleData(django_db_blocker, item.getparent(pytest.Module))
    if not is_transactional(item):
        _open["module"] = data
        data.start(item, _the_cast(django_db_blocker))
    yield data
    data.close()


def _seed_demo() -> str:
    import io

    from django.core.management import call_command
    from django.test import override_settings

    out = io.StringIO()
    with override_settings(ANJIAN_DEMO=True):
        call_command("seed_demo", "--inspections-size", "0", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city as `seed_demo --inspections-size 0` builds it (units, accounts, places, accidents, risk):
    seeded once for all the tests that use it, which run one after another (see pytest_collection_modifyitems),
    inside a transaction rolled back after the last of them. Its value is what the command printed."""
    state = _open["demo"]
    if state is None or not state.is_open:
        state = RolledBack(django_db_blocker)
        state.open()
        _open["demo"] = state
        state.build("output", _seed_demo)
    return state.values["output"]


@pytest.fixture
def shared_copies():
    """The memo of this test's deep copies of shared data."""
    return {}


@pytest.fixture
def cast(module_data, shared_copies, db):
    """The fixed cast of users and units (see anjian.accounts.testing): the session's, copied for this test, or
    built for this test alone when it is transactional."""
    if module_data.has("cast"):
        return module_data.copy("cast", shared_copies)
    return _cast_with_sectors()


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(settings, tmp_path):
    """verify_audit compares the database with every checkpoint in AUDIT_CHECKPOINT_DIR; each test's
    database starts anew, so does its checkpoint directory."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright. In CI a missing browser fails the run."""
    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must install Debian's chromium package")
        pytest.skip(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield instance
        instance.close()


# Run in every page before its own scripts: each Content-Security-Policy violation is kept in
# window.__cspViolations and reported to the test at once through the exposed binding.
_VIOLATION_LISTENER = """
(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      page: location.href, directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    };
    window.__cspViolations.push(violation);
    if (window.__reportCspViolation) { window.__reportCspViolation(violation); }
  }, true);
})();
"""
# What Chromium writes to the console when a policy refuses something or a policy header is malformed.
_POLICY_MESSAGES = ("Content Security Policy", "Content-Security-Policy", "Refused to", "Permissions-Policy")


class PolicyWatchingBrowser:
    """The browser as tests use it (``new_context``, ``new_page``), with every page watched for policy violations:
    the ``securitypolicyviolation`` events of the page and the console messages Chromium writes for them."""

    def __init__(self, browser):
        self._browser = browser
        self._contexts = []
        self.violations: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def _record(self, text: str) -> None:
        if text not in self.violations:
            self.violations.append(text)

    def _console(self, message) -> None:
        if any(marker in message.text for marker in _POLICY_MESSAGES):
            self._record(f"console: {message.text}")

    def new_context(self, **options):
        """A context as Playwright's, asking pages for reduced motion unless the test says otherwise: the pages'
        transitions and smooth scrolling are off, so Playwright need not wait for each element to stop moving before
        it clicks (about a second a click on the accident and hazard pages)."""
        options.setdefault("reduced_motion", "reduce")
        context = self._browser.new_context(**options)
        context.expose_binding("__reportCspViolation", lambda source, violation: self._record(repr(violation)))
        context.add_init_script(script=_VIOLATION_LISTENER)
        context.on("console", self._console)
        self._contexts.append(context)
        return context

    def new_page(self, **options):
        """A page in a context of its own, as ``Browser.new_page``; the context closes with the test."""
        return self.new_context(**options).new_page()

    def collect(self) -> list[str]:
        """Violations seen so far, with those still waiting in the open pages, then close the contexts."""
        from playwright.sync_api import Error

        for context in self._contexts:
            for page in context.pages:
                try:
                    for violation in page.evaluate("window.__cspViolations || []"):
                        self._record(repr(violation))
                except Error:  # a page closing or navigating: its violations were reported through the binding
                    pass
            context.close()
        return self.violations


@pytest.fixture
def browser(chromium):
    """The browser for one test. The Content-Security-Policy is on as in production: the test fails if any page
    it opened reported a violation (a refused inline script or style, a source outside the policy)."""
    watching = PolicyWatchingBrowser(chromium)
    yield watching
    violations = watching.collect()
    if violations:
        pytest.fail("Content-Security-Policy or Permissions-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


class _ServeThroughTheApp:
    """For `app_server`: let WhiteNoise serve /static/ as in production (hashed, compressed names), instead of
    the test server's finder-based handler that knows only the unhashed names."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@contextmanager
def _live_server():
    from types import SimpleNamespace

    from django.db import connections
    from django.test.testcases import LiveServerThread

    overrides = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("localhost", _ServeThroughTheApp, overrides, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield SimpleNamespace(url=f"http://localhost:{thread.port}")
    finally:
        thread.terminate()


@pytest.fixture
def app_server(transactional_db):
    """The app on a live port, for the browser. Transactional tests start from a flushed
    database, so the migrated reference data is loaded again first."""
    from anjian.organizations.services import ensure_sectors

    ensure_sectors()
    with _live_server() as server:
        yield server


@pytest.fixture(scope="module")
def module_app_server(django_db_setup, django_db_blocker):
    """The app on a live port for a module of browser tests that share data built once (in a module-scoped
    fixture that requests this one first). The database stays open for the whole module and is emptied after
    it, as a transactional test leaves it. The module overrides ``transactional_db`` with an autouse fixture
    that requests this one, so pytest-django creates the test database and orders the module's tests with the
    transactional ones, but does not empty the database after each test."""
    from django.core.management import call_command

    from anjian.organizations.services import ensure_sectors

    with django_db_blocker.unblock():
        ensure_sectors()
        try:
            with _live_server() as server:
                yield server
        finally:
            call_command("flush", interactive=False, verbosity=0)
