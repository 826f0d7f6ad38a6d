"""Benchmark of the current-level recompute (STANDARDS §2, dynamic risk): 200,000 places with assessments
and a sprinkling of open major hazards, overdue rectifications and accidents with deaths; the set-based
recompute of every place (anjian.risk.levels.recompute_levels, one UPDATE … FROM statement) timed beside the same
rule written as a plain per-object ORM loop.

Runs against a throwaway database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it fills), never the working one. The data is bulk-inserted (not timed). The loop
is timed on a subset of the places (--loop-places, default 2,000) and extrapolated to all of them: at several
queries per place it would take many minutes on the full set, and the script says so when it extrapolates.
Both ways must agree on every place of the subset, or the script fails.

    .venv/bin/python benchmarks/risk_levels.py [--places 200000] [--loop-places 2000] [--runs 3]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_bench_risk .venv/bin/python benchmarks/risk_levels.py
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

LEVELS = ["red", "orange", "yellow", "blue"]
LEVEL_SHARES = [0.03, 0.12, 0.35, 0.50]
ASSESSED_SHARE = 0.9  # a tenth of the places are not assessed yet
HISTORY_SHARE = 0.2  # a fifth have an older assessment too (the latest must win)
MAJOR_OPEN_SHARE = 0.01
OVERDUE_SHARE = 0.03
CLOSED_HAZARD_SHARE = 0.10
FATAL_ACCIDENT_SHARE = 0.005


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()


def _bulk(model, rows, batch=5000) -> None:
    for start in range(0, len(rows), batch):
        model.objects.bulk_create(rows[start : start + batch], batch_size=1000)


def prepare(places: int):
    """Migrate, the cast, places, assessments, hazards and accidents (bulk, not timed)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from anjian.accidents.models import Accident
    from anjian.accounts.testing import build_cast
    from anjian.inspections.models import Hazard
    from anjian.registry.models import Site
    from anjian.risk.models import RiskAssessment

    cast = build_cast()
    rng = random.Random(2026)
    streets = [cast.street, cast.other_street, cast.park]
    sites = [
        Site(
            name=f"基准场所{i:06d}",
            external_id=f"BENCH-RISK-{i:06d}",
            district=cast.district,
            territory=streets[i % len(streets)],
        )
        for i in range(places)
    ]
    _bulk(Site, sites)
    ids = list(Site.objects.filter(external_id__startswith="BENCH-RISK-").values_list("pk", flat=True))
    today = timezone.localdate()
    now = timezone.now()
    assessments = []
    for pk in ids:
        if rng.random() >= ASSESSED_SHARE:
            continue
        if rng.random() < HISTORY_SHARE:
            assessments.append(
                RiskAssessment(
                    site_id=pk,
                    district=cast.district,
                    assessed_by=cast.safety_officer,
                    assessed_on=today - timedelta(days=rng.randint(400, 800)),
                    level=rng.choices(LEVELS, LEVEL_SHARES)[0],
                )
            )
        assessments.append(
            RiskAssessment(
                site_id=pk,
                district=cast.district,
                assessed_by=cast.safety_officer,
                assessed_on=today - timedelta(days=rng.randint(0, 365)),
                level=rng.choices(LEVELS, LEVEL_SHARES)[0],
            )
        )
    _bulk(RiskAssessment, assessments)
    hazards = []
    for n, pk in enumerate(ids):
        roll = rng.random()
        if roll < MAJOR_OPEN_SHARE:
            status, grade, deadline = "rectifying", "major", today + timedelta(days=20)
        elif roll < MAJOR_OPEN_SHARE + OVERDUE_SHARE:
            status, grade, deadline = "rectifying", "general", today - timedelta(days=rng.randint(1, 60))
        elif roll < MAJOR_OPEN_SHARE + OVERDUE_SHARE + CLOSED_HAZARD_SHARE:
            status, grade, deadline = "verified", rng.choice(["general", "major"]), today - timedelta(days=90)
        else:
            continue
        hazards.append(
            Hazard(
                number=f"BENCH{n:07d}",
                site_id=pk,
                district=cast.district,
                title="基准隐患",
                grade=grade,
                source="routine",
                status=status,
                deadline=deadline,
                reported_by=cast.street_officer,
                reported_at=now - timedelta(days=100),
            )
        )
    _bulk(Hazard, hazards)
    accidents = []
    for pk in rng.sample(ids, int(len(ids) * FATAL_ACCIDENT_SHARE)):
        moment = now - timedelta(days=rng.randint(1, 700))  # about half within the last 12 months
        accidents.append(
            Accident(
                district=cast.district,
                site_id=pk,
                category="production",
                accident_type="fall",
                occurred_at=moment,
                reported_at=moment,
                deaths=rng.randint(0, 2),
                summary="基准事故",
                created_by=cast.safety_officer,
            )
        )
    _bulk(Accident, accidents)
    return cast, ids, {"assessments": len(assessments), "hazards": len(hazards), "accidents": len(accidents)}


def loop_recompute(site_ids) -> None:
    """The same rule as a plain ORM loop: per place, read its latest assessment and test each rule, then save."""
    from datetime import timedelta as td

    from django.db.models import Q
    from django.utils import timezone

    from anjian.accidents.models import Accident
    from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES
    from anjian.inspections.models import Hazard
    from anjian.registry.models import Site
    from anjian.risk import levels

    now = timezone.now()
    today = timezone.localdate(now)
    since = now - td(days=365)
    for site in Site.objects.filter(pk__in=site_ids):
        latest = site.risk_assessments.order_by("-assessed_on", "-id").first()
        hazards = Hazard.objects.filter(site=site)
        flags = [
            hazards.filter(grade="major", status__in=OPEN_STATUSES).exists(),
            hazards.filter(
                Q(status__in=DEADLINE_STATUSES, deadline__lt=today)
                | Q(status__in=OPEN_STATUSES, escalations__reason="overdue")
            ).exists(),
            Accident.objects.filter(site=site, deaths__gt=0, occurred_at__gte=since, occurred_at__lte=now).exists(),
        ]
        assessed = latest.level if latest else ""
        site.risk_level = levels.level_for(assessed, flags)
        site.risk_reason = levels.reason_for(assessed, flags)
        site.save(update_fields=["risk_level", "risk_reason"])


def _vacuum(connection) -> None:
    """The reset above leaves a dead copy of every row; autovacuum would reclaim it between two nightly runs,
    so the timed run starts from a vacuumed table as it would in service (PostgreSQL only, not timed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name('registry_site')}")


def machine(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            server = f"SQLite {connection.Database.sqlite_version}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores; {platform.python_implementation()} {platform.python_version()}; {server}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=200_000)
    parser.add_argument("--loop-places", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="No directory at")

    scratch = tempfile.mkdtemp(prefix="anjian-bench-risk-")
    setup_django(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3")
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from anjian.registry.models import Site
    from anjian.risk import levels

    start = time.perf_counter()
    _cast, ids, sizes = prepare(args.places)
    setup = time.perf_counter() - start
    print(f"machine: {machine(connection)}")
    print(
        f"data: {len(ids):,} places, {sizes['assessments']:,} assessments, {sizes['hazards']:,} hazards, "
        f"{sizes['accidents']:,} accidents (prepared in {setup:.0f} s, not timed)"
    )

    # Cold: every place starts blank (reset, not timed), so each run writes all of them: the worst case.
    times = []
    for _run in range(args.runs):
        Site.objects.update(risk_level="", risk_reason="")
        _vacuum(connection)
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            written = levels.recompute_levels()
            times.append(time.perf_counter() - begin)
    set_based = statistics.median(times)
    print(
        f"set-based recompute of all places, every one changing: median {set_based:.2f} s of {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}), {written:,} places written, {len(queries)} SQL statements"
    )
    # Steady: the nightly run when little moved (here nothing): the same statement, no row written.
    begin = time.perf_counter()
    unchanged = levels.recompute_levels()
    print(f"set-based recompute again, nothing changing: {time.perf_counter() - begin:.2f} s, {unchanged} written")
    counts = dict(Site.objects.order_by().values_list("risk_level").annotate(n=Count("id")))
    print("levels: " + ", ".join(f"{level or 'unassessed'} {counts.get(level, 0):,}" for level in ["", *LEVELS]))

    subset = ids[: args.loop_places]
    expected = dict(Site.objects.filter(pk__in=subset).values_list("pk", "risk_reason"))
    Site.objects.filter(pk__in=subset).update(risk_level="", risk_reason="")
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    # A counter rather than CaptureQueriesContext, whose log keeps only the last 9,000 queries.
    with connection.execute_wrapper(count):
        begin = time.perf_counter()
        loop_recompute(subset)
        loop_time = time.perf_counter() - begin
    got = dict(Site.objects.filter(pk__in=subset).values_list("pk", "risk_reason"))
    if got != expected:
        raise SystemExit("the loop and the set-based recompute disagree")
    per_place = loop_time / len(subset)
    loop_full = per_place * len(ids)
    extrapolated = len(subset) < len(ids)
    print(
        f"per-object ORM loop: {len(subset):,} places in {loop_time:.2f} s ({per_place * 1000:.2f} ms and "
        f"{len(statements) / len(subset):.1f} queries per place)"
        + (f"; extrapolated to all {len(ids):,} places: {loop_full:.0f} s" if extrapolated else "")
    )
    print(f"ratio: the set-based recompute is {loop_full / set_based:.0f}× faster than the loop")


if __name__ == "__main__":
    main()
