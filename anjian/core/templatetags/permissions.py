"""The permission predicates for templates: ``{% load permissions %}`` then ``{% if user|is_enterprise %}`` or
``{% if user|can_supervise:site %}``, never a comparison of roles in the template."""

from django import template

from anjian.core import permissions

register = template.Library()

for _predicate in permissions.USER_PREDICATES:
    register.filter(_predicate.__name__, _predicate)

register.filter("can_supervise", permissions.can_supervise)
# {% if user|may_open:"risk:ranking_config" %}: the page's own guards decide whether its link is shown.
register.filter("may_open", permissions.may_open)
