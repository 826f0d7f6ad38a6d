"""The demo city's accounts: one of every role, with a documented password (demo mode only)."""

from __future__ import annotations

import zlib

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password

from anjian.accounts.models import User
from anjian.accounts.services import create_user
from anjian.organizations.models import OrgUnit

DEMO_PASSWORD = "Anjian@2026"

# (username, real name, role, unit key, position)
DEMO_ACCOUNTS: list[tuple[str, str, str, str, str]] = [
    ("cityadmin", "周建国", "city_admin", "city", "市应急管理局信息科"),
    ("anban", "李安平", "safety_office", "safety_office", "区安办综合科科长"),
    ("leader", "王振华", "district_leader", "leadership", "副区长"),
    ("yingji", "陈志强", "department_officer", "dept:emergency", "应急管理局监管科"),
    ("zhujian", "刘海燕", "department_officer", "dept:housing", "住建局安全科"),
    ("haibin", "张晓东", "street_officer", "street:海滨街道", "海滨街道安监站站长"),
    ("wangjiang", "赵丽娟", "street_officer", "street:望江街道", "望江街道安监站站长"),
    ("jiancha", "孙永刚", "inspector", "dept:emergency", "执法大队执法员"),
    ("qiye", "何文斌", "enterprise", "district", "临江宏达化工有限公司安全主管"),
    ("sysadmin", "吴晓明", "system_admin", "city", "系统管理员"),
    ("secadmin", "郑雪梅", "security_admin", "city", "安全管理员"),
    ("auditor", "冯立新", "audit_admin", "city", "审计管理员"),
    ("chengnan", "钱国庆", "safety_office", "other_safety_office", "城南区安办科员"),
]


def build_accounts(units: dict[str, OrgUnit]) -> None:
    """Create the demo accounts that do not exist yet, each in its unit of ``units`` (see ``build_units``). They
    share the documented password: it is checked and hashed once (hashing is slow by design), not per account."""
    missing = [account for account in DEMO_ACCOUNTS if not User.objects.filter(username=account[0]).exists()]
    if not missing:
        return
    password_validation.validate_password(DEMO_PASSWORD)
    password_hash = make_password(DEMO_PASSWORD)
    for username, real_name, role, unit_key, title in missing:
        create_user(
            actor=None,
            username=username,
            real_name=real_name,
            org_unit=units[unit_key],
            role=role,
            title=title,
            mobile=f"139{zlib.crc32(username.encode()) % 10**8:08d}",
            password_hash=password_hash,
            must_change_password=False,
        )
