"""Benchmark of the hazard lists (issue 4, "Benchmark"): 100,000 hazards in one district, the list page
/hazards/ and the API list /api/hazards/ timed for three users and several filters.

Runs against a throwaway database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it fills), never the working one. It creates the test cast, ten streets and
parks, about 5,000 places across sectors and 100,000 hazards in every state (bulk inserts, not timed),
then requests each list N times after a warm-up with Django's test client and prints, per request, the
median and 95th percentile of the server time and the number of SQL queries (the same for every filter
and every page: the lists run a constant number of queries).

    .venv/bin/python benchmarks/hazards.py [--hazards 100000] [--places 5000] [--runs 30]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_bench_hz .venv/bin/python benchmarks/hazards.py
"""

# Seeded pseudo-random data (S311) is intended.
# ruff: noqa: S311

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTRA_STREETS = ["南街道", "中街道", "新城街道", "滨湖街道", "江北街道", "长安镇", "临港园区"]
# (sector, share of the places): the emergency bureau supervises hazchem, fireworks and industry_trade.
SECTORS = [
    ("crowded_place", 0.30),
    ("self_built_house", 0.20),
    ("industry_trade", 0.15),
    ("three_in_one", 0.10),
    ("construction", 0.08),
    ("hazchem", 0.05),
    ("high_rise", 0.07),
    ("fireworks", 0.05),
]
TITLES = [
    "疏散通道堆放杂物",
    "安全出口上锁",
    "电动自行车在楼道内充电",
    "灭火器压力不足",
    "燃气泄漏报警装置失效",
    "私拉乱接电线",
    "临边洞口未设置防护",
    "危险化学品未专库储存",
]
# Share of hazards per status: mostly verified, a few thousand open in every state.
STATUSES = [
    ("verified", 0.72),
    ("rectifying", 0.12),
    ("notice_issued", 0.04),
    ("submitted", 0.04),
    ("fixed_on_spot", 0.03),
    ("reported", 0.03),
    ("closed_with_site", 0.02),
]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.conf import settings

    # Pages name their static files; without a collected manifest (no collectstatic in a scratch run) the
    # plain storage resolves the same names at the same cost.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def prepare(hazards: int, places: int):
    """Migrate, the cast, streets, places and hazards (bulk, not timed). Returns the cast and the streets."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from anjian.accounts.testing import build_cast
    from anjian.inspections.models import Campaign, Hazard, Rectification
    from anjian.organizations.choices import OrgUnitKind
    from anjian.organizations.services import create_org_unit
    from anjian.registry.models import Site, SiteSector

    cast = build_cast()
    streets = [cast.street, cast.other_street, cast.park]
    for name in EXTRA_STREETS:
        kind = OrgUnitKind.PARK if name.endswith("园区") else OrgUnitKind.STREET
        streets.append(create_org_unit(actor=None, name=name, kind=kind, parent=cast.district))
    rng = random.Random(2026)
    codes = [code for code, _share in SECTORS]
    weights = [share for _code, share in SECTORS]
    sites = [
        Site(
            name=f"基准场所{i:05d}",
            external_id=f"BENCH-HZ-{i:05d}",
            district=cast.district,
            territory=streets[i % len(streets)],
            address=f"甲区基准路{i}号",
        )
        for i in range(places)
    ]
    Site.objects.bulk_create(sites, batch_size=1000)
    site_sector = {}
    rows = []
    for site in sites:
        code = rng.choices(codes, weights)[0]
        site_sector[site.pk] = code
        rows.append(SiteSector(site=site, sector_id=code))
    SiteSector.objects.bulk_create(rows, batch_size=1000)

    campaign = Campaign.objects.create(
        name="基准专项整治",
        district=cast.district,
        organizer=cast.safety_office,
        starts_on=timezone.localdate() - timedelta(days=120),
        ends_on=timezone.localdate() - timedelta(days=30),
        deadline=timezone.localdate() + timedelta(days=30),
    )
    reporters = [cast.street_officer, cast.other_street_officer, cast.department_officer, cast.safety_officer]
    now = timezone.now()
    today = timezone.localdate()
    states = [name for name, _share in STATUSES]
    shares = [share for _name, share in STATUSES]
    batch = []
    submitted = []
    for i in range(hazards):
        site = sites[rng.randrange(places)]
        status = rng.choices(states, shares)[0]
        reported = now - timedelta(minutes=rng.randint(60, 730 * 24 * 60))
        reporter = rng.choice(reporters)
        deadline = None
        if status in ("notice_issued", "rectifying", "submitted", "verified") and rng.random() < 0.9:
            # About a tenth of the open deadline hazards are overdue.
            deadline = today + timedelta(days=rng.randint(-30, 90)) if status != "verified" else reported.date()
        hazard = Hazard(
            number=f"YH{timezone.localtime(reported):%Y}{i + 1:07d}",
            site=site,
            district=cast.district,
            sector_id=site_sector[site.pk],
            campaign=campaign if rng.random() < 0.2 else None,
            title=rng.choice(TITLES),
            grade="major" if rng.random() < 0.04 else "general",
            source="routine",
            status=status,
            deadline=deadline,
            reported_by=reporter,
            reporting_unit_id=reporter.org_unit_id,
            reported_at=reported,
            escalated_at=reported if rng.random() < 0.05 else None,
            closed_at=reported + timedelta(days=10) if status in ("verified", "closed_with_site") else None,
        )
        batch.append(hazard)
        if status == "submitted":
            submitted.append(hazard)
        if len(batch) == 5000:
            Hazard.objects.bulk_create(batch, batch_size=1000)
            batch = []
    Hazard.objects.bulk_create(batch, batch_size=1000)
    Rectification.objects.bulk_create(
        [Rectification(hazard=h, description="已整改", submitted_by=cast.street_officer) for h in submitted],
        batch_size=1000,
    )
    return cast, streets, campaign


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _warm in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, counts = [], set()
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.add(len(queries))
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95, max(counts), len(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static files here

    scratch = tempfile.mkdtemp(prefix="anjian-bench-hazards-")
    setup_django(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3")
    from django.db import connection
    from django.test import Client

    from anjian.inspections.models import Hazard

    start = time.perf_counter()
    cast, streets, campaign = prepare(args.hazards, args.places)
    setup = time.perf_counter() - start
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("ANALYZE")
            server = f"SQLite {connection.Database.sqlite_version}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.machine()
    print(
        f"machine: {cpu}, {os.cpu_count()} cores; {platform.python_implementation()} {platform.python_version()}; "
        f"database {server}"
    )
    district_total = Hazard.objects.filter(district=cast.district).count()
    print(
        f"data: {district_total:,} hazards in one district over {args.places:,} places, {len(streets)} streets/parks "
        f"(prepared in {setup:.0f} s, not timed); {args.runs} timed requests each after 3 warm-up requests"
    )
    users = [
        ("safety office", cast.safety_officer),
        ("street officer", cast.street_officer),
        ("department officer", cast.department_officer),
    ]
    filters = [
        ("first page", ""),
        ("page 20", "page=20"),
        ("status=rectifying", "status=rectifying"),
        ("overdue=true", "overdue=true"),
        ("sector=industry_trade", "sector=industry_trade"),
        ("one street", f"territory={cast.street.pk}"),
        ("campaign", f"campaign={campaign.pk}"),
    ]
    print(f"{'list':<18} {'user':<19} {'filter':<22} {'rows':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, user in users:
        client = Client()
        client.force_login(user)
        from anjian.inspections.selectors import hazards_for
        from anjian.organizations.models import OrgUnit

        visible = hazards_for(user)
        last_page = max(1, -(-visible.count() // 50))
        for name, query in filters:
            if query.startswith("page="):
                name, query = f"page {min(20, last_page)}", f"page={min(20, last_page)}"
            if query.startswith("territory=") and not OrgUnit.objects.visible_to(user).filter(pk=cast.street.pk):
                continue  # the street filter offers only streets the user sees (a department sees none)
            for kind, base in (("page /hazards/", "/hazards/"), ("API /api/hazards/", "/api/hazards/")):
                url = f"{base}?{query}" if query else base
                rows = _rows(visible, query, cast)
                median, p95, queries, distinct = measure(client, url, args.runs)
                varied = "" if distinct == 1 else " (varied)"
                print(f"{kind:<18} {label:<19} {name:<22} {rows:>7,} {median:>10.1f} {p95:>8.1f} {queries:>8}{varied}")


def _rows(visible, query: str, cast) -> int:
    """How many hazards the filter matches for the user (what the list paginates)."""
    from django.db.models import Q
    from django.utils import timezone

    if not query or query.startswith("page="):
        return visible.count()
    name, value = query.split("=", 1)
    if name == "overdue":
        return visible.filter(Q(status__in=["notice_issued", "rectifying"], deadline__lt=timezone.localdate())).count()
    if name == "territory":
        return visible.filter(site__territory_id=value).count()
    if name == "sector":
        return visible.filter(sector_id=value).count()
    if name == "campaign":
        return visible.filter(campaign_id=value).count()
    return visible.filter(**{name: value}).count()


if __name__ == "__main__":
    main()
