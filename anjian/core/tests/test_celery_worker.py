"""A real Celery worker, over the real Redis broker, runs the nightly audit-chain check.

This is the deployment mode (`celery -A config worker -B`); without a broker the same
task runs in-process (see test_settings).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from anjian.core import audit
from anjian.core.testing import in_ci

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{settings['NAME']}"


def start_worker(*, pool: str = "solo", env: dict[str, str] | None = None):
    """A Celery worker process over the test Redis and the test database, consuming its own fresh queue.

    Returns (client, queue, process); the caller stops the process (see ``stop_worker``)."""
    if not _redis_available():
        if in_ci():
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI needs it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "DATABASE_URL": _database_url(),
        **(env or {}),
    }
    pool_args = ["--pool", pool] + (["--concurrency", "1"] if pool == "prefork" else [])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *pool_args,
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Not the current app: tasks this test process sends by .delay() stay eager, as in every other test.
    client = Celery("anjian-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    return client, queue, process


def stop_worker(client, process) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
    client.close()


@pytest.fixture
def worker(transactional_db):
    client, queue, process = start_worker()
    try:
        yield client, queue, process
    finally:
        stop_worker(client, process)


def _run(client, queue, process, timeout=90):
    result = client.send_task("anjian.core.tasks.verify_audit_chain", queue=queue)
    deadline = time.monotonic() + timeout
    while not result.ready():
        if process.poll() is not None:
            pytest.fail("the worker died:\n" + (process.stdout.read() if process.stdout else ""))
        if time.monotonic() > deadline:
            pytest.fail("the worker did not answer in time")
        time.sleep(0.2)
    return result.get(timeout=5)


def test_the_worker_verifies_the_audit_chain_over_redis(worker):
    client, queue, process = worker
    for i in range(3):
        audit.record(action="test.event", object_repr=f"对象{i}")
    assert _run(client, queue, process) == {"ok": True, "checked": 3, "broken_seq": None, "reason": ""}

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_update_delete")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
        cursor.execute("UPDATE core_auditentry SET object_repr = %s WHERE seq = 2", ["篡改"])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_no_update_delete")
    report = _run(client, queue, process)
    assert report["ok"] is False and report["broken_seq"] == 2
