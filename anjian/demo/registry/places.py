"""Demo places of the demo city (issue: registry, item 7): about 3,000 in 滨江区, a few hundred elsewhere.

Everything is generated from a seeded ``random.Random``, so two databases seeded alike hold the
same places. Rows are written with ``bulk_create`` in batches (a service call per place would
take minutes) and the whole seed leaves one audit record that summarises it.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anjian.core import audit
from anjian.demo.registry.generator import Spec, generate
from anjian.demo.registry.geometry import random_point_in
from anjian.demo.registry.vocabulary import DEMO_ENTERPRISE, ROADS, SUBSTANCES, person
from anjian.organizations.choices import TERRITORIAL_KINDS, DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import ChemicalUnitKind, OverrideEffect, SiteStatus
from anjian.registry.models import (
    ChemicalInventory,
    ChemicalUnit,
    Enterprise,
    ResponsibilityDispute,
    Site,
    SiteSector,
    SiteStatusChange,
    SupervisionOverride,
)
from anjian.registry.testing import credit_code

BATCH = 500
DEMO_ENTERPRISE_USERNAME = "qiye"


def _prefix(district: OrgUnit) -> str:
    return f"demo-{district.code or district.pk}-"


def _write(district: OrgUnit, specs: list[Spec], *, rng: random.Random, code_base: int) -> dict:
    """Bulk-write the places with their sectors, status history, enterprises and chemical inventories."""
    enterprises: dict[str, Enterprise] = {}
    for spec in specs:
        if spec.enterprise and spec.enterprise not in enterprises:
            enterprises[spec.enterprise] = Enterprise(
                name=spec.enterprise,
                credit_code=credit_code(code_base + len(enterprises) + 1),
                legal_representative=person(rng),
                principal=person(rng),
                principal_mobile=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
            )
    Enterprise.objects.bulk_create(enterprises.values(), batch_size=BATCH)
    if enterprises and any(e.pk is None for e in enterprises.values()):  # databases without RETURNING
        ids = dict(Enterprise.objects.filter(name__in=list(enterprises)).values_list("credit_code", "pk"))
        for enterprise in enterprises.values():
            enterprise.pk = ids[enterprise.credit_code]

    prefix = _prefix(district)
    sites = []
    for index, spec in enumerate(specs, start=1):
        polygon = spec.territory.boundary if spec.territory else None
        longitude, latitude = random_point_in(polygon, rng) if polygon else (None, None)
        sites.append(
            Site(
                name=spec.name[:200],
                external_id=f"{prefix}{index:05d}",
                enterprise=enterprises.get(spec.enterprise) if spec.enterprise else None,
                district=district,
                territory=spec.territory,
                address=spec.address,
                longitude=longitude,
                latitude=latitude,
                status=spec.status_path[-1] if spec.status_path else SiteStatus.OPERATING,
                **spec.fields,
            )
        )
    Site.objects.bulk_create(sites, batch_size=BATCH)
    if any(s.pk is None for s in sites):
        ids = dict(Site.objects.filter(external_id__startswith=prefix).values_list("external_id", "pk"))
        for site in sites:
            site.pk = ids[site.external_id]

    sectors, changes, units, unit_rows = [], [], [], []
    for site, spec in zip(sites, specs, strict=True):
        sectors.extend(SiteSector(site=site, sector_id=code, subtype=sub) for code, sub in spec.sectors)
        changes.append(SiteStatusChange(site=site, from_status="", to_status=SiteStatus.OPERATING))
        previous = SiteStatus.OPERATING
        for status in spec.status_path:
            reason = {
                SiteStatus.SUSPENDED: "存在重大事故隐患，责令停产停业整顿",
                SiteStatus.CLOSED: "整改不到位，经区政府批准依法关闭取缔",
                SiteStatus.DEMOLISHED: "列入城中村改造，已拆除",
            }[status]
            changes.append(SiteStatusChange(site=site, from_status=previous, to_status=status, reason=reason))
            previous = status
        for unit_name, kind, rows in spec.chemicals:
            unit = ChemicalUnit(site=site, name=unit_name, kind=kind)
            units.append(unit)
            unit_rows.append((unit, rows))
    SiteSector.objects.bulk_create(sectors, batch_size=BATCH)
    SiteStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    ChemicalUnit.objects.bulk_create(units, batch_size=BATCH)
    if any(u.pk is None for u in units):
        ids = {(u.site_id, u.name): u.pk for u in ChemicalUnit.objects.filter(site__external_id__startswith=prefix)}
        for unit in units:
            unit.pk = ids[(unit.site_id, unit.name)]
    inventory = [
        ChemicalInventory(
            unit=unit,
            substance=substance,
            cas_number=SUBSTANCES[substance][0],
            max_quantity_t=Decimal(f"{quantity:.3f}"),
        )
        for unit, rows in unit_rows
        for substance, quantity in rows
    ]
    ChemicalInventory.objects.bulk_create(inventory, batch_size=BATCH)
    _backdate_history(changes, rng)
    return {
        "places": len(sites),
        "enterprises": len(enterprises),
        "sectors": len(sectors),
        "chemical_units": len(units),
        "inventory_rows": len(inventory),
        "sites": sites,
    }


def _backdate_history(changes: list[SiteStatusChange], rng: random.Random) -> None:
    """The few places whose status moved get a plausible past: registered, then suspended or closed."""
    now = timezone.now()
    by_site: dict[int, list[SiteStatusChange]] = {}
    for change in changes:
        by_site.setdefault(change.site_id, []).append(change)
    for site_changes in by_site.values():
        if len(site_changes) < 2:
            continue  # only registered: keeps today's date, no update needed
        days = rng.randint(200, 700)
        for change in site_changes:
            SiteStatusChange.objects.filter(pk=change.pk).update(changed_at=now - timedelta(days=days))
            days = max(1, days - rng.randint(20, 150))


def _demo_district_extras(district: OrgUnit, sites: list[Site], rng: random.Random) -> dict:
    """The demo enterprise and its account, deliberate gaps and one open dispute (see the issue)."""
    from anjian.accounts.models import User

    units = {u.department_type: u for u in OrgUnit.objects.filter(district=district, kind=OrgUnitKind.DEPARTMENT)}
    territories = {t.name: t for t in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS)}
    park = territories.get("滨江经济技术开发区") or next(iter(territories.values()))
    port = territories.get("临港物流园区") or park

    # 临江宏达化工有限公司: the enterprise account's own places, one unit above its critical quantity.
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=credit_code(1),
        defaults={
            "name": DEMO_ENTERPRISE,
            "legal_representative": "何宏达",
            "principal": "何文斌",
            "principal_mobile": "13905710088",
        },
    )
    account = User.objects.filter(username=DEMO_ENTERPRISE_USERNAME).first()
    if account is not None:
        enterprise.accounts.add(account)
    own = [
        (
            "临江宏达化工有限公司生产厂区",
            park,
            "production",
            "滨江区园区一路66号",
            [
                ("合成氨生产装置", ChemicalUnitKind.PRODUCTION, [("液氨", 18.5), ("氢", 1.2)]),
                ("甲醇储罐区", ChemicalUnitKind.STORAGE, [("甲醇", 820.0), ("甲苯", 120.0)]),
            ],
        ),
        (
            "临江宏达化工有限公司临港仓库",
            port,
            "storage",
            "滨江区临港大道188号",
            [("甲类仓库", ChemicalUnitKind.STORAGE, [("氯", 6.0), ("丙酮", 45.0)])],
        ),
    ]
    extra_sites = []
    for name, territory, subtype, address, chem in own:
        longitude, latitude = random_point_in(territory.boundary, rng)
        site = Site.objects.create(
            name=name,
            external_id=f"{_prefix(district)}hd-{subtype}",
            enterprise=enterprise,
            district=district,
            territory=territory,
            address=address,
            longitude=longitude,
            latitude=latitude,
            floor_area=Decimal("36800") if subtype == "production" else Decimal("5200"),
            floors=3 if subtype == "production" else 1,
            employees=260 if subtype == "production" else 18,
            year_built=2008 if subtype == "production" else 2015,
        )
        SiteSector.objects.create(site=site, sector_id="hazchem", subtype=subtype)
        SiteStatusChange.objects.create(site=site, from_status="", to_status=SiteStatus.OPERATING)
        for unit_name, kind, rows in chem:
            unit = ChemicalUnit.objects.create(site=site, name=unit_name, kind=kind)
            for substance, quantity in rows:
                ChemicalInventory.objects.create(
                    unit=unit,
                    substance=substance,
                    cas_number=SUBSTANCES[substance][0],
                    max_quantity_t=Decimal(f"{quantity:.3f}"),
                )
        extra_sites.append(site)

    # Places whose street or park is not settled (属地不明): a gap of 属地管理.
    houses = [s for s in sites if s.name.endswith("自建房")]
    orphans = rng.sample(houses, min(6, len(houses)))
    for site in orphans:
        roads = rng.sample(ROADS["滨江区"], 2)
        no = rng.randint(1, 300)
        site.territory = None
        site.name = f"{roads[0]}{no}号自建房"
        site.address = f"滨江区{roads[0]}{no}号（与{roads[1]}交叉口附近，属地待明确）"
        Site.objects.filter(pk=site.pk).update(territory=None, name=site.name, address=site.address)

    # A market the commerce bureau is excluded from (recorded): its 商圈商超 sector is left unsupervised.
    commerce = units.get(DepartmentType.COMMERCE)
    market = next((s for s in sites if s.name.endswith("农贸市场")), None)
    if commerce and market:
        SupervisionOverride.objects.create(
            site=market,
            sector_id="commercial",
            department=commerce,
            effect=OverrideEffect.EXCLUDE,
            reason="商务局认为农贸市场由市场监管部门管理，移出本局监管清单，待区安办协调明确",
        )

    # One open dispute: 应急管理局 says a warehouse is the commerce bureau's (推诿扯皮 made visible).
    emergency = units.get(DepartmentType.EMERGENCY)
    warehouse = next((s for s in sites if s.name.endswith("仓库") and s.territory_id == port.pk), None)
    warehouse = warehouse or next((s for s in sites if s.name.endswith("仓库")), None)
    disputes = 0
    if emergency and warehouse:
        dispute = ResponsibilityDispute.objects.create(
            site=warehouse,
            sector_id="industry_trade",
            raised_by_unit=emergency,
            raised_by=User.objects.filter(username="yingji").first(),
            reason="该场所为冷链仓储物流企业，不涉及危险化学品储存，日常经营由商务部门管理，"
            "建议由商务局履行行业安全监管职责。",
            proposed_unit=commerce,
        )
        ResponsibilityDispute.objects.filter(pk=dispute.pk).update(created_at=timezone.now() - timedelta(days=9))
        disputes = 1
    return {
        "demo_enterprise_places": len(extra_sites),
        "without_territory": len(orphans),
        "exclusions": 1 if commerce and market else 0,
        "disputes": disputes,
    }


# Credit-code series per district, so codes never collide between districts (the demo enterprise is n=1).
CODE_BASES = {"990102": 10_000_000, "990103": 20_000_000, "990104": 30_000_000}
OTHER_DISTRICT_SHARE = 0.1


def seed_places(*, demo_district_code: str, stdout=None) -> dict:
    """Add the demo places to every district of the demo city that has none yet; one audit record."""
    demo_district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=demo_district_code)
    districts = list(
        OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city_id=demo_district.city_id).order_by("order", "id")
    )
    summary: dict[str, dict] = {}
    with transaction.atomic():
        for index, district in enumerate(districts):
            if Site.objects.filter(external_id__startswith=_prefix(district)).exists():
                continue
            territories = list(
                OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, boundary__isnull=False).order_by(
                    "order", "id"
                )
            )
            if not territories:
                continue
            is_demo = district.pk == demo_district.pk
            seed = 20261128 + index
            rng = random.Random(seed * 7)
            specs = generate(district, territories, seed=seed, share=1.0 if is_demo else OTHER_DISTRICT_SHARE)
            base = CODE_BASES.get(district.code, 40_000_000 + index * 1_000_000)
            result = _write(district, specs, rng=rng, code_base=base)
            sites = result.pop("sites")
            if is_demo:
                result.update(_demo_district_extras(district, sites, rng))
            summary[district.name] = result
            if stdout is not None:
                stdout.write(f"  {district.name}: {result['places']} places")
        if summary:
            audit.record(
                actor=None,
                action="registry.demo.seed",
                object_type="organizations.orgunit",
                object_id=str(demo_district.city_id),
                object_repr=str(demo_district.city),
                after=summary,
            )
    return summary
