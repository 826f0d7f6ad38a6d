"""Which org units each role belongs to. The roles themselves are named in core (:mod:`anjian.core.roles`),
where the permission predicates read them; they are imported here for the account code that uses them."""

from anjian.core.roles import BUSINESS_ROLES, SEPARATED_ADMIN_ROLES, Role

__all__ = ["BUSINESS_ROLES", "ROLE_UNIT_KINDS", "SEPARATED_ADMIN_ROLES", "Role"]

# Which kinds of org unit each role may belong to.
ROLE_UNIT_KINDS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("city",),
    Role.SAFETY_OFFICE: ("safety_office",),
    Role.DISTRICT_LEADER: ("leadership", "district"),
    Role.DEPARTMENT_OFFICER: ("department",),
    Role.STREET_OFFICER: ("street", "park"),
    Role.INSPECTOR: ("department", "street", "park", "safety_office"),
    Role.ENTERPRISE: ("district",),
    Role.SYSTEM_ADMIN: ("city", "district"),
    Role.SECURITY_ADMIN: ("city", "district"),
    Role.AUDIT_ADMIN: ("city", "district"),
}
