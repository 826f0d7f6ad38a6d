import os
from pathlib import Path

import pytest

from anjian.core.testing import build_cast, in_ci


@pytest.fixture
def cast(db):
    """The fixed cast of users and units (see anjian.core.testing)."""
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
def browser():
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


@pytest.fixture
def app_server(transactional_db):
    """The app on a live port, for the browser. Transactional tests start from a flushed
    database, so the migrated reference data is loaded again first."""
    from types import SimpleNamespace

    from anjian.organizations.services import ensure_sectors

    ensure_sectors()

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
