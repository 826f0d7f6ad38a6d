"""Test helpers shared by every app: the fixed cast of users and their jurisdictions.

The cast (DESIGN.md): an in-scope street officer, an out-of-scope officer of another
street, a department officer, an enterprise account, a district leader, the district
safety office, a city administrator, and the three separated administrators; every
page and endpoint is tried by them and by an anonymous visitor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

CAST_PASSWORD = "Cast#Pass2026"  # noqa: S105


def in_ci() -> bool:
    """In CI a missing browser, database or broker fails the run instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class Cast:
    city: object
    district: object
    other_district: object
    safety_office: object
    leadership: object
    emergency: object  # 应急管理局: hazchem, fireworks, industry_trade by default
    housing: object  # 住建局
    street: object  # the in-scope street
    other_street: object  # another street of the same district
    park: object
    far_street: object  # a street of the other district
    street_officer: object
    other_street_officer: object
    department_officer: object
    inspector: object
    enterprise: object
    leader: object
    safety_officer: object
    city_admin: object
    system_admin: object
    security_admin: object
    audit_admin: object
    far_safety_officer: object


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.1, 30.1], [120.2, 30.1], [120.2, 30.2], [120.1, 30.2], [120.1, 30.1]]],
}


def build_cast() -> Cast:
    from anjian.accounts.services import create_user
    from anjian.organizations.choices import DepartmentType, OrgUnitKind
    from anjian.organizations.services import create_org_unit

    def unit(**fields):
        return create_org_unit(actor=None, **fields)

    city = unit(name="测试市", kind=OrgUnitKind.CITY)
    district = unit(name="甲区", kind=OrgUnitKind.DISTRICT, parent=city)
    other_district = unit(name="乙区", kind=OrgUnitKind.DISTRICT, parent=city)
    safety_office = unit(name="甲区安办", kind=OrgUnitKind.SAFETY_OFFICE, parent=district)
    leadership = unit(name="甲区领导", kind=OrgUnitKind.LEADERSHIP, parent=district)
    emergency = unit(
        name="甲区应急管理局", kind=OrgUnitKind.DEPARTMENT, parent=district, department_type=DepartmentType.EMERGENCY
    )
    housing = unit(
        name="甲区住建局", kind=OrgUnitKind.DEPARTMENT, parent=district, department_type=DepartmentType.HOUSING
    )
    street = unit(name="东街道", kind=OrgUnitKind.STREET, parent=district, population=50000, boundary=SQUARE)
    other_street = unit(name="西街道", kind=OrgUnitKind.STREET, parent=district, population=40000)
    park = unit(name="甲区园区", kind=OrgUnitKind.PARK, parent=district, population=3000)
    far_safety_office = unit(name="乙区安办", kind=OrgUnitKind.SAFETY_OFFICE, parent=other_district)
    far_street = unit(name="北街道", kind=OrgUnitKind.STREET, parent=other_district, population=30000)

    def user(username, role, org_unit, **extra):
        account, _password = create_user(
            actor=None,
            username=username,
            real_name=f"{username}姓名",
            org_unit=org_unit,
            role=role,
            password=CAST_PASSWORD,
            must_change_password=False,
            **extra,
        )
        return account

    return Cast(
        city=city,
        district=district,
        other_district=other_district,
        safety_office=safety_office,
        leadership=leadership,
        emergency=emergency,
        housing=housing,
        street=street,
        other_street=other_street,
        park=park,
        far_street=far_street,
        street_officer=user("street_in", "street_officer", street),
        other_street_officer=user("street_out", "street_officer", other_street),
        department_officer=user("dept", "department_officer", emergency),
        inspector=user("inspector", "inspector", emergency),
        enterprise=user("enterprise", "enterprise", district),
        leader=user("leader", "district_leader", leadership),
        safety_officer=user("anban", "safety_office", safety_office),
        city_admin=user("cityadmin", "city_admin", city),
        system_admin=user("sysadmin", "system_admin", city),
        security_admin=user("secadmin", "security_admin", city),
        audit_admin=user("auditor", "audit_admin", city),
        far_safety_officer=user("far_anban", "safety_office", far_safety_office),
    )


AUDIT_TABLES = ("core_auditentry", "core_auditchainhead")


def as_database_owner(*statements: tuple[str, list]) -> None:
    """Run raw SQL on the audit tables with their triggers lifted, as the database's owner can
    (PostgreSQL: ALTER TABLE … DISABLE TRIGGER USER; SQLite: drop the triggers, recreate them after).
    Tests of tampering use it to play the attacker the keyed chain and the checkpoints must expose."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for sql, params in statements:
                cursor.execute(sql, params)
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)", list(AUDIT_TABLES)
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for sql, params in statements:
            cursor.execute(sql, params)
        for _name, sql in triggers:
            cursor.execute(sql)
