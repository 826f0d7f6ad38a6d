"""The roles of the platform, one per account (三员分立: the three administrators are roles of their own).

They live in core so the permission predicates (:mod:`anjian.core.permissions`) can name them; code asks
those predicates who a user is rather than comparing roles itself.
"""

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
