"""Who may do what, in one vocabulary: named predicates on a user's role and scope (DESIGN.md).

Views, API permissions, templates (``{% load permissions %}``) and services ask these predicates instead of
comparing roles or scope levels themselves, so a rule is stated once, here, with its reason. Predicates named
after a role read the role only (no query, and they hold for an account that is no longer active, as a
hazard's timeline needs); predicates about business data read the scope (:mod:`anjian.core.scoping`), which
an anonymous or inactive user does not have. Every predicate accepts ``None`` and anonymous users.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, Resolver404, get_urlconf, resolve, reverse

from anjian.core.roles import SEPARATED_ADMIN_ROLES, Role
from anjian.core.scoping import ScopeLevel, scope_of


def _role(user) -> str:
    return getattr(user, "role", "") or ""


# --- the role -----------------------------------------------------------------------------------------


def is_enterprise(user) -> bool:
    """An enterprise account: it sees its own places only and reports through its own inspections (企业自查)."""
    return _role(user) == Role.ENTERPRISE


def is_city_admin(user) -> bool:
    """The city administrator: city-wide staff, the keeper of the reference data every district shares."""
    return _role(user) == Role.CITY_ADMIN


def is_district_office(user) -> bool:
    """An officer of the district safety office (区安办), the district's comprehensive supervisor."""
    return _role(user) == Role.SAFETY_OFFICE


def is_district_leader(user) -> bool:
    """A district leader: reads the whole district, changes nothing."""
    return _role(user) == Role.DISTRICT_LEADER


def is_department_officer(user) -> bool:
    """An officer of an industry department (行业主管部门), supervising its mandated sectors."""
    return _role(user) == Role.DEPARTMENT_OFFICER


def is_street_officer(user) -> bool:
    """An officer of a street or park (街镇、园区), answering for the places of its territory (属地管理)."""
    return _role(user) == Role.STREET_OFFICER


def is_unit_officer(user) -> bool:
    """Someone working for one unit's scope: a department or street/park officer, or an inspector of any unit."""
    return _role(user) in (Role.DEPARTMENT_OFFICER, Role.STREET_OFFICER, Role.INSPECTOR)


def launches_campaigns(user) -> bool:
    """The safety office or an industry department's officer, with a unit: who launches campaigns (专项整治)."""
    return (
        _role(user) in (Role.SAFETY_OFFICE, Role.DEPARTMENT_OFFICER) and getattr(user, "org_unit_id", None) is not None
    )


def is_administrator(user) -> bool:
    """One of the three separated administrators (三员分立: system, security, audit); none sees business data."""
    return _role(user) in SEPARATED_ADMIN_ROLES


def is_system_admin(user) -> bool:
    """The system administrator: accounts and settings (三员分立)."""
    return _role(user) == Role.SYSTEM_ADMIN


def is_security_admin(user) -> bool:
    """The security administrator: roles and permissions (三员分立)."""
    return _role(user) == Role.SECURITY_ADMIN


def is_audit_admin(user) -> bool:
    """The audit administrator: the audit log (三员分立)."""
    return _role(user) == Role.AUDIT_ADMIN


def reads_api_docs(user) -> bool:
    """Who is offered the API documentation (an English Swagger page of endpoints and schemas): the system
    administrator, the technical keeper of the platform who connects other systems to it (三员分立: accounts and
    settings). Officials, leaders and enterprises work in the pages; the security and audit administrators keep
    roles and the log, not interfaces. The documentation stays open to every signed-in account (a script's owner
    finds it from the API token on "My account"); this decides only who sees it in the menu."""
    return _role(user) == Role.SYSTEM_ADMIN


def holds_one_of(user, roles) -> bool:
    """The user's role is one of ``roles``: for what is addressed to roles by name (a notification's readers)."""
    return _role(user) in roles


# --- the scope ----------------------------------------------------------------------------------------


def is_business(user) -> bool:
    """Has a jurisdiction: signed in, active, and not one of the three administrators (who see no business data)."""
    return not scope_of(user).sees_nothing


def is_government(user) -> bool:
    """A business user who is not an enterprise account: the supervising staff (campaigns, tasks, checklists)."""
    return is_business(user) and not is_enterprise(user)


def has_write_scope(user) -> bool:
    """A business user who may change what they see: not the read-only district leaders."""
    scope = scope_of(user)
    return not scope.sees_nothing and not scope.read_only


def is_supervisor(user) -> bool:
    """Supervising staff with write scope: not enterprise accounts, not read-only leaders, not the 三员."""
    return has_write_scope(user) and not is_enterprise(user)


def is_city_staff(user) -> bool:
    """City staff: their scope is the whole city."""
    return scope_of(user).level is ScopeLevel.CITY


def can_supervise(user, site) -> bool:
    """A supervisor (:func:`is_supervisor`) with the place in their editable scope: who records, assesses and
    inspects there on the government's side. One query, none when the user is no supervisor."""
    return is_supervisor(user) and type(site)._default_manager.editable_by(user).filter(pk=site.pk).exists()


def verifies_major_hazards_on_site(user) -> bool:
    """现场复查验收 of a major hazard is the supervising department's (STANDARDS §5: closed only after on-site
    verification by the authority): a department officer or an inspector of an industry department, with write
    scope. Which hazards it may verify is its scope (its mandated sectors' places), checked by the service."""
    unit = getattr(user, "org_unit", None)
    return (
        is_supervisor(user)
        and _role(user) in (Role.DEPARTMENT_OFFICER, Role.INSPECTOR)
        and bool(getattr(unit, "is_department", False))
    )


def lifts_escalated_supervision(user, *, district_id) -> bool:
    """摘牌: the district's safety office, which hangs the tag of escalated supervision (挂牌督办), signs off its
    lifting once the hazard is verified on site. No query: the user's scope is already loaded."""
    return has_write_scope(user) and is_district_office(user) and scope_of(user).district_id == district_id


# The predicates on a user alone, offered to templates as filters (anjian/core/templatetags/permissions.py).
USER_PREDICATES = (
    is_enterprise,
    is_city_admin,
    is_district_office,
    is_district_leader,
    is_department_officer,
    is_street_officer,
    is_unit_officer,
    launches_campaigns,
    is_administrator,
    is_system_admin,
    is_security_admin,
    is_audit_admin,
    reads_api_docs,
    is_business,
    is_government,
    has_write_scope,
    is_supervisor,
    is_city_staff,
    verifies_major_hazards_on_site,
)


# --- pages -------------------------------------------------------------------------------------------


def require_business(user) -> None:
    """A page of business data does not exist for a user without a jurisdiction: 404, as outside scope."""
    if not is_business(user):
        raise Http404


def page_guard(predicate: Callable[[object], bool], *, refusal: str | None = None) -> Callable:
    """Decorate a view (inside ``login_required``) so that a user for whom ``predicate(user)`` is false gets 404,
    as for a page outside their scope (or 403 with ``refusal`` as its message, where the page says why).

    The predicate stays on the view (``page_guards``), so a menu item or a link asks the very rule the page
    applies before showing it (:func:`may_open`, ``{% if user|may_open:"app:name" %}``): the page and the links
    to it cannot drift apart. Guards stack; Django's decorators (``functools.wraps``) carry them outwards."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                if refusal is not None:
                    raise PermissionDenied(refusal)
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.page_guards = (predicate, *getattr(view, "page_guards", ()))
        return wrapped

    return decorate


def account_may(attribute: str) -> Callable[[object], bool]:
    """A predicate reading one of the account's own boolean properties (``User.sees_org_units``,
    ``User.can_read_audit`` …, built on the predicates above), for :func:`page_guard`; false when absent."""

    def holds(user) -> bool:
        return bool(getattr(user, attribute, False))

    holds.__name__ = holds.__qualname__ = f"account_may_{attribute}"
    return holds


business_users_only = page_guard(is_business)
business_users_only.__doc__ = "Decorate a view (inside ``login_required``) so the three administrators get 404 for it."


def page_guards_of(target: str) -> tuple | None:
    """The guards of the page at ``target`` (a URL name that takes no arguments, or a path); None when it leads
    nowhere. A name's guards are looked up once per URL configuration (the menu asks on every page)."""
    if target.startswith("/"):
        try:
            return getattr(resolve(urlsplit(target).path).func, "page_guards", ())
        except Resolver404:
            return None
    return _guards_of_name(target, get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=1024)
def _guards_of_name(name: str, urlconf) -> tuple | None:
    try:
        return getattr(resolve(reverse(name, urlconf=urlconf), urlconf=urlconf).func, "page_guards", ())
    except (NoReverseMatch, Resolver404):
        return None


def may_open(user, target: str) -> bool:
    """Whether ``user`` may open the page at ``target`` (a URL name that takes no arguments, or a path): signed
    in, and every guard of the page's view (:func:`page_guard`) lets them in. A target that leads nowhere is
    not offered. Asks no more than the guards do (they read the role and the request's cached scope)."""
    if not getattr(user, "is_authenticated", False):
        return False
    guards = page_guards_of(target)
    return guards is not None and all(guard(user) for guard in guards)
