"""Roles of the platform (DESIGN.md scoping rules; 三员分立 for the three administrators)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    SAFETY_OFFICE = "safety_office", _("District safety office")
    DISTRICT_LEADER = "district_leader", _("District leader")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    STREET_OFFICER = "street_officer", _("Street/park officer")
    INSPECTOR = "inspector", _("Inspector")
    ENTERPRISE = "enterprise", _("Enterprise account")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: accounts and settings / roles and permissions / the audit log; none sees business data.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - SEPARATED_ADMIN_ROLES)

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
