"""Masking of the personal data of a place's enterprise (个人信息保护法: minimum necessary).

Who sees the full name and mobile of the legal representative and the principal:

* the enterprise account — its own data (it only ever sees its own places);
* the safety office, industry departments, streets and parks, inspectors — they phone
  the principal when a hazard is found or a warning is issued;
* district leaders and city administrators see them masked (张* / 138****5678): they
  read the registry for oversight and statistics, not to call people.

Pages, the API and exports all go through :func:`sees_personal_data`, so the rule is one.
"""

from __future__ import annotations

from anjian.core.permissions import is_district_office, is_enterprise, is_unit_officer


def sees_personal_data(user) -> bool:
    """Those who phone the people (the safety office, unit officers, inspectors) and the enterprise itself."""
    return bool(getattr(user, "is_authenticated", False)) and (
        is_district_office(user) or is_unit_officer(user) or is_enterprise(user)
    )


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname stays, so a caller still knows whom to ask for."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def enterprise_contacts(enterprise, user) -> dict[str, str]:
    """The enterprise's people as this user may read them."""
    if enterprise is None:
        return {"legal_representative": "", "principal": "", "principal_mobile": ""}
    if sees_personal_data(user):
        return {
            "legal_representative": enterprise.legal_representative,
            "principal": enterprise.principal,
            "principal_mobile": enterprise.principal_mobile,
        }
    return {
        "legal_representative": mask_name(enterprise.legal_representative),
        "principal": mask_name(enterprise.principal),
        "principal_mobile": mask_mobile(enterprise.principal_mobile),
    }
