"""The permission predicates for templates: ``{% load permissions %}`` then ``{% if user|is_enterprise %}`` or
``{% if user|can_supervise:site %}``, never a comparison of roles in the template."""

from django import template

from anjian.core import permissions

register = template.Library()

for _name in (
    "is_enterprise",
    "is_city_admin",
    "is_district_office",
    "is_district_leader",
    "is_department_officer",
    "is_street_officer",
    "is_unit_officer",
    "launches_campaigns",
    "is_administrator",
    "is_system_admin",
    "is_security_admin",
    "is_audit_admin",
    "is_business",
    "is_government",
    "has_write_scope",
    "is_supervisor",
    "is_city_staff",
):
    register.filter(_name, getattr(permissions, _name))

register.filter("can_supervise", permissions.can_supervise)
