"""Benchmark of the foundation: audit-chain appends and verification, scoped list pages.

Runs against a throwaway database (a temporary SQLite file, or the PostgreSQL database
named by BENCH_DATABASE_URL, which it fills), never the working one: audit rows cannot
be deleted. Prints the machine, the data size and the figures.

    make bench            # SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_bench make bench
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "20000"))
USERS = int(os.environ.get("BENCH_USERS", "2000"))


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="anjian-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from anjian.accounts.services import create_user
    from anjian.accounts.testing import build_cast
    from anjian.core import audit
    from anjian.organizations.choices import OrgUnitKind
    from anjian.organizations.services import create_org_unit

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, database {connection.vendor}"
    )
    cast = build_cast()

    start = time.perf_counter()
    for i in range(ROWS):
        audit.record(action="bench.event", object_repr=f"对象{i}", after={"i": i, "note": "基准测试"})
    elapsed = time.perf_counter() - start
    print(f"audit append: {ROWS} rows in {elapsed:.2f} s = {ROWS / elapsed:,.0f} rows/s (one transaction each)")

    start = time.perf_counter()
    report = audit.verify_chain()
    elapsed = time.perf_counter() - start
    total = report.checked
    print(f"audit verify: {total} rows in {elapsed:.2f} s = {total / elapsed:,.0f} rows/s, ok={report.ok}")

    streets = [
        create_org_unit(actor=None, name=f"基准街道{i}", kind=OrgUnitKind.STREET, parent=cast.district)
        for i in range(50)
    ]
    for i in range(USERS):
        create_user(
            actor=None, username=f"bench{i}", real_name=f"基准{i}", org_unit=streets[i % 50], role="street_officer"
        )
    client = Client()
    for member, url in [("leader", "/accounts/users/"), ("audit_admin", "/audit/"), ("leader", "/api/users/")]:
        client.force_login(getattr(cast, member))
        client.get(url)  # warm
        runs = 20
        start = time.perf_counter()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
        elapsed = (time.perf_counter() - start) / runs
        print(
            f"page {url} as {member}: {elapsed * 1000:.1f} ms, {len(queries)} queries "
            f"({USERS} users, {total} audit rows)"
        )


if __name__ == "__main__":
    main()
