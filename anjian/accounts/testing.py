"""The fixed cast of users and their jurisdictions, shared by every app's tests.

The cast (DESIGN.md): an in-scope street officer, an out-of-scope officer of another
street, a department officer, an enterprise account, a district leader, the district
safety office, a city administrator, and the three separated administrators; every
page and endpoint is tried by them and by an anonymous visitor. ``anjian/conftest.py``
builds it once for the tests that share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from anjian.accounts.services import create_user
from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.services import create_org_unit

CAST_PASSWORD = "Cast#Pass2026"  # noqa: S105


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
