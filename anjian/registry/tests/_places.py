"""Places of the cast used by the page, API and scope tests of the registry."""

from __future__ import annotations

from decimal import Decimal

from anjian.registry import services
from anjian.registry.models import ChemicalInventory, ChemicalUnit
from anjian.registry.testing import credit_code, make_site


def cast_places(cast) -> dict:
    """chem: a hazchem store in the in-scope street, owned by the cast's enterprise account;
    works: a construction site in the other street; far: a hazchem plant in the other district."""
    chem = services.create_site(
        actor=None,
        fields={
            "name": "东化工仓库",
            "district": cast.district,
            "territory": cast.street,
            "address": "东街道工业路1号",
            "longitude": Decimal("120.150000"),
            "latitude": Decimal("30.150000"),
            "floor_area": Decimal("1200"),
        },
        sectors=[("hazchem", "storage")],
        enterprise={
            "name": "东化工有限公司",
            "credit_code": credit_code(1),
            "legal_representative": "张三",
            "principal": "李四",
            "principal_mobile": "13812345678",
        },
    )
    chem.enterprise.accounts.add(cast.enterprise)
    unit = ChemicalUnit.objects.create(site=chem, name="1号储罐区", kind="storage")
    ChemicalInventory.objects.create(unit=unit, substance="氨", cas_number="7664-41-7", max_quantity_t=Decimal("12"))
    works = make_site(
        name="西工地",
        district=cast.district,
        territory=cast.other_street,
        sectors=[("construction", "building")],
        longitude=Decimal("120.120000"),
        latitude=Decimal("30.120000"),
    )
    far = make_site(
        name="北化工厂",
        district=cast.other_district,
        territory=cast.far_street,
        sectors=[("hazchem", "production")],
        longitude=Decimal("121.000000"),
        latitude=Decimal("31.000000"),
    )
    return {"chem": chem, "works": works, "far": far}


# Who sees which of the places above (DESIGN.md scoping rules).
VISIBLE = {
    "street_officer": {"chem"},
    "other_street_officer": {"works"},
    "department_officer": {"chem"},
    "inspector": {"chem"},
    "enterprise": {"chem"},
    "leader": {"chem", "works"},
    "safety_officer": {"chem", "works"},
    "city_admin": {"chem", "works", "far"},
    "far_safety_officer": {"far"},
    "system_admin": set(),
    "audit_admin": set(),
}
WRITERS = {
    "street_officer",
    "other_street_officer",
    "department_officer",
    "inspector",
    "safety_officer",
    "city_admin",
    "far_safety_officer",
}
