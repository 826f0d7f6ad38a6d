"""The settings module refuses an unsafe production start and passes the deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ANJIAN_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_it_refuses_to_start_without_a_secret_key():
    result = _run(["check"], DEBUG="false", ALLOWED_HOSTS="anjian.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts():
    result = _run(["check"], DEBUG="false", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="x8#kQ2!vL9@pR4$wZ7^mN1&bT6*yH3(cF5)dJ0_gS-eA+uK=iO",
        ALLOWED_HOSTS="anjian.example.gov.cn",
        AUDIT_HMAC_KEYS="prod2026:" + "Zq7" * 16,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_the_audit_key_is_derived_from_the_secret_key():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="x8#kQ2!vL9@pR4$wZ7^mN1&bT6*yH3(cF5)dJ0_gS-eA+uK=iO",
        ALLOWED_HOSTS="anjian.example.gov.cn",
        AUDIT_HMAC_KEYS="",
    )
    assert result.returncode != 0
    assert "anjian.W001" in result.stderr and "AUDIT_HMAC_KEYS" in result.stderr


def test_it_refuses_to_start_with_a_malformed_or_short_audit_key():
    for value, reason in [
        ("no-colon-here", "'id:secret'"),
        ("k1:short", "shorter than 32"),
        ("sk-1:" + "a" * 40, "reserved"),
    ]:
        result = _run(["check"], DEBUG="true", AUDIT_HMAC_KEYS=value)
        assert result.returncode != 0
        assert "AUDIT_HMAC_KEYS" in result.stderr and reason in result.stderr


def test_sqlite_waits_for_locks_and_takes_the_write_lock_up_front():
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite options apply to the SQLite default only")
    assert database["OPTIONS"]["timeout"] >= 5
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    from django.conf import settings

    if os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("a broker is configured")
    assert settings.CELERY_TASK_ALWAYS_EAGER
    from anjian.core.tasks import verify_audit_chain

    assert verify_audit_chain.delay().get() == {"ok": True, "checked": 0, "broken_seq": None, "reason": ""}


# What `make run` gives the demo (DEMO_ENV in the Makefile): DEBUG off, a key of its own, plain HTTP at HOST:PORT.
DEMO_ENV = {
    "ANJIAN_DEMO": "true",
    "DEBUG": "false",
    "SECRET_KEY": "demo-" + "k7Q" * 16,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1],127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
}
_DEMO_PAGES = """
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1")
missing = client.get("/no-such-page/")
print("404", missing.status_code, "该页面不存在" in missing.content.decode(), "Traceback" in missing.content.decode())
style = client.get(staticfiles_storage.url("css/anjian-nav.css"))
print("static", style.status_code, b"nowrap" in b"".join(style.streaming_content))
login = client.get("/accounts/login/")
print("login", login.status_code, login.cookies["csrftoken"]["secure"] == "", "Strict-Transport-Security" in login)
"""


def test_the_demo_serves_the_chinese_error_pages_and_its_static_files_with_debug_off(tmp_path):
    """`make run` runs the demo with DEBUG off: a link a user may not follow meets the Chinese 404 page, not
    Django's English debug page; WhiteNoise serves the collected static files; the login works over plain HTTP."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "DEBUG=$${DEBUG:-false}" in makefile
    assert all(f"{name}=" in makefile for name in DEMO_ENV if name != "ANJIAN_DEMO")
    result = subprocess.run(
        [sys.executable, "-c", _DEMO_PAGES],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"ANJIAN_TESTING", "DJANGO_SETTINGS_MODULE"}},
            **DEMO_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # No database behind it: none of these pages may need one.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["404 404 True False", "static 200 True", "login 200 True False"], (
        result.stdout + result.stderr
    )
