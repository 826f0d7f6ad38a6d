import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from anjian.core.testing import build_cast, in_ci


@pytest.fixture
def cast(db):
    """The fixed cast of users and units (see anjian.core.testing). A transactional test may start from a
    database the one before it emptied, so the migrated sectors are loaded again when they are gone."""
    from anjian.organizations.models import Sector
    from anjian.organizations.services import ensure_sectors

    if not Sector.objects.exists():
        ensure_sectors()
    return build_cast()


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
