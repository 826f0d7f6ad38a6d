"""Benchmark of the place import (issue: registry, "Benchmark"): generate and import 100,000 places.

Runs against a throwaway database (a temporary SQLite file, or the PostgreSQL database
named by BENCH_DATABASE_URL, which it fills), never the working one. It creates a district
with twelve streets whose boundaries are irregular 48-vertex polygons, writes a realistic
.xlsx (or .csv) of places across all sectors with coordinates inside their street, and
imports it with the engine of the upload page as the district's safety office (every row
checked, scope applied, one transaction). The import runs in a child process so that the
peak memory printed is the import's own. Target: 100,000 rows < 60 s, < 500 MB.

    .venv/bin/python benchmarks/import_sites.py [--rows 100000] [--format xlsx|csv] [--reimport]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_imp_bench .venv/bin/python benchmarks/import_sites.py
"""

# Seeded pseudo-random data (S311) and a child process running this very script (S603) are intended.
# ruff: noqa: S311, S603

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STREETS = [
    "城东街道",
    "城西街道",
    "城南街道",
    "城北街道",
    "滨江街道",
    "新湖街道",
    "望江街道",
    "清波街道",
    "湖滨街道",
    "长庆街道",
    "文新街道",
    "翠苑街道",
]
ROADS = ["解放路", "延安路", "中山路", "凤起路", "庆春路", "建国路", "环城东路", "秋涛路", "文一路", "天目山路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
TRADES = ["化工", "物流", "商贸", "建设", "餐饮", "酒店", "燃气", "机械", "电梯", "烟花", "文化", "医疗"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()


def street_polygon(i: int) -> dict:
    """An irregular closed ring of 48 vertices around the street's centre, in a 4 × 3 grid of streets."""
    cx, cy = 121.0 + (i % 4) * 0.06, 31.0 + (i // 4) * 0.05
    rng = random.Random(i)
    ring = []
    for k in range(48):
        angle = 2 * math.pi * k / 48
        radius = 0.022 * (0.8 + 0.2 * rng.random())
        ring.append([round(cx + radius * math.cos(angle), 6), round(cy + radius * 0.9 * math.sin(angle), 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def prepare(rows: int, fmt: str, scratch: str) -> Path:
    """Migrate, create the cast and the streets, write the file (not timed)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from anjian.accounts.testing import build_cast
    from anjian.organizations.choices import OrgUnitKind
    from anjian.organizations.geo import Area
    from anjian.organizations.services import create_org_unit
    from anjian.registry.imports import HEADERS
    from anjian.registry.testing import credit_code

    cast = build_cast()
    areas = []
    for i, name in enumerate(STREETS):
        boundary = street_polygon(i)
        create_org_unit(actor=None, name=name, kind=OrgUnitKind.STREET, parent=cast.district, boundary=boundary)
        areas.append((name, Area(boundary), boundary))

    rng = random.Random(2026)

    def point(area_tuple):
        _name, area, _b = area_tuple
        x0, y0, x1, y1 = area.bbox
        while True:
            x, y = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
            if area.contains(x, y):  # tested as stored (6 decimals), so no point falls just outside
                return x, y

    def person() -> str:
        return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")

    enterprise_n = 0

    def generate():
        nonlocal enterprise_n
        current = None
        for n in range(rows):
            street = areas[n % len(areas)]
            lon, lat = point(street)
            road = rng.choice(ROADS)
            kind = rng.random()
            row = {
                "外部编号": f"BENCH-{n:07d}",
                "所属街镇/园区": street[0],
                "详细地址": f"{street[0]}{road}{rng.randint(1, 999)}号",
                "经度": lon,
                "纬度": lat,
                "状态": "正常经营" if rng.random() < 0.95 else "停产整顿",
            }
            if kind < 0.55:  # an enterprise's premises; a third of the enterprises have two places
                if current is None or rng.random() > 0.33:
                    enterprise_n += 1
                    trade = rng.choice(TRADES)
                    current = (credit_code(1_000_000 + enterprise_n), f"杭州{road[:2]}{trade}{enterprise_n}有限公司")
                sector, subtype, facts = rng.choice(
                    [
                        (
                            "危险化学品",
                            "储存",
                            {"建筑面积(㎡)": rng.randint(200, 20000), "从业人员数": rng.randint(5, 300)},
                        ),
                        (
                            "人员密集场所",
                            rng.choice(["商场", "宾馆", "饭店"]),
                            {
                                "设计容纳人数": rng.randint(50, 3000),
                                "建筑面积(㎡)": rng.randint(300, 50000),
                                "地上层数": rng.randint(1, 30),
                            },
                        ),
                        (
                            "工矿商贸",
                            "",
                            {"从业人员数": rng.randint(5, 800), "建筑面积(㎡)": round(rng.uniform(100, 9000), 2)},
                        ),
                        (
                            "建筑施工",
                            "房屋建筑工程",
                            {
                                "施工许可证号": f"330106{rng.randint(10**11, 10**12 - 1)}",
                                "施工面积(㎡)": rng.randint(1000, 200000),
                                "高危作业人数": rng.randint(1, 80),
                            },
                        ),
                        (
                            "烟花爆竹",
                            "临时零售点",
                            {
                                "烟花爆竹零售许可证号": f"烟零〔2026〕第{rng.randint(1, 9999):04d}号",
                                "许可有效期起": "2026-01-10",
                                "许可有效期止": "2026-02-28",
                            },
                        ),
                        ("特种设备", "电梯", {"从业人员数": rng.randint(2, 50)}),
                    ]
                )
                row.update(
                    {
                        "场所名称": f"{current[1].removesuffix('有限公司')}{street[0][:2]}{n}号场所",
                        "统一社会信用代码": current[0],
                        "企业名称": current[1],
                        "法定代表人": person(),
                        "主要负责人": person(),
                        "主要负责人手机": f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
                        "行业领域": sector if rng.random() < 0.8 else f"{sector}、高层建筑",
                        "细分类型": subtype,
                        **facts,
                    }
                )
            elif kind < 0.85:  # self-built houses and group rentals
                row.update(
                    {
                        "场所名称": f"{street[0][:2]}{road}{rng.randint(1, 300)}弄{n}号自建房",
                        "行业领域": "自建房" if rng.random() < 0.8 else "自建房、群租房",
                        "地上层数": rng.randint(1, 6),
                        "建筑面积(㎡)": rng.randint(60, 1200),
                        "建成年份": rng.randint(1970, 2020),
                        "结构类型": rng.choice(["砖混结构", "砖木结构", "框架结构"]),
                        "经营用途": rng.choice(["无经营（仅自住）", "餐饮", "商铺", "群租"]),
                    }
                )
            elif kind < 0.95:  # road sections
                start = round(rng.uniform(0, 30), 3)
                row.update(
                    {
                        "场所名称": f"{road}K{start:.0f}危险路段{n}",
                        "行业领域": "道路交通",
                        "细分类型": "危险路段",
                        "道路名称": road,
                        "起点桩号(公里)": start,
                        "止点桩号(公里)": round(start + rng.uniform(0.1, 3), 3),
                        "危险类型": rng.choice(["急弯", "陡坡", "临水临崖", "事故多发点段"]),
                    }
                )
            else:  # waterlogging points, municipal facilities
                row.update({"场所名称": f"{road}{n}号内涝点", "行业领域": rng.choice(["城市内涝点", "市政设施"])})
            yield [row.get(h) for h in HEADERS]

    path = Path(scratch) / f"places-{rows}.{fmt}"
    if fmt == "csv":
        import csv

        with open(path, "w", encoding="gb18030", newline="") as handle:  # what Chinese Excel writes
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for values in generate():
                writer.writerow(["" if v is None else v for v in values])
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("场所")
        sheet.append(HEADERS)
        for values in generate():
            sheet.append(values)
        workbook.save(path)
    return path


def run_import(path: Path) -> dict:
    """In the child process: import the file as the safety office and report."""
    from django.db import connection

    from anjian.accounts.models import User
    from anjian.organizations.models import OrgUnit
    from anjian.registry.imports import import_sites

    actor = User.objects.get(username="anban")
    district = OrgUnit.objects.get(name="甲区")
    start = time.perf_counter()
    result = import_sites(actor=actor, district=district, source=str(path), filename=path.name)
    elapsed = time.perf_counter() - start
    if not result.ok:
        for error in result.errors[:20]:
            print(error, file=sys.stderr)
        raise SystemExit(f"import failed: {result.error_count} errors")
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "enterprises": result.enterprises_created + result.enterprises_updated,
        "seconds": elapsed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "vendor": connection.vendor,
        "server": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--reimport", action="store_true", help="import the same file again (all rows updated)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(os.environ["DATABASE_URL"])
        print(json.dumps(run_import(Path(args.child))))
        return

    scratch = tempfile.mkdtemp(prefix="anjian-bench-import-")
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
    setup_django(database_url)
    from django.db import connection

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, database {connection.vendor}"
    )
    start = time.perf_counter()
    path = prepare(args.rows, args.format, scratch)
    print(
        f"generated {args.rows:,} rows as {args.format} ({path.stat().st_size / 2**20:.1f} MB) "
        f"in {time.perf_counter() - start:.1f} s (not timed below)"
    )
    connection.close()
    runs = [("import", path)] + ([("re-import", path)] if args.reimport else [])
    for label, file in runs:
        env = {**os.environ, "DATABASE_URL": database_url}
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(file)], env=env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
        stats = json.loads(output.strip().splitlines()[-1])
        rate = stats["rows"] / stats["seconds"]
        print(
            f"{label}: {stats['rows']:,} rows ({stats['created']:,} created, {stats['updated']:,} updated, "
            f"{stats['enterprises']:,} enterprises) in {stats['seconds']:.1f} s = {rate:,.0f} rows/s; "
            f"peak memory {stats['peak_mb']:.0f} MB (ru_maxrss of the importing process); "
            f"database {stats['vendor']} {stats['server']}"
        )


if __name__ == "__main__":
    main()
