"""The permission predicates (anjian/core/permissions.py): each tried on every member of the cast, anonymous and
disabled users; the "business users only" decorator; the template filters; and the rule that roles are compared
nowhere else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from anjian.core import permissions
from anjian.core.roles import Role

MEMBERS = (
    "street_officer",
    "other_street_officer",
    "department_officer",
    "inspector",
    "enterprise",
    "leader",
    "safety_officer",
    "far_safety_officer",
    "city_admin",
    "system_admin",
    "security_admin",
    "audit_admin",
)
ADMINISTRATORS = {"system_admin", "security_admin", "audit_admin"}
BUSINESS = set(MEMBERS) - ADMINISTRATORS

# Who each predicate holds for, among the cast.
EXPECTED = {
    "is_enterprise": {"enterprise"},
    "is_city_admin": {"city_admin"},
    "is_district_office": {"safety_officer", "far_safety_officer"},
    "is_district_leader": {"leader"},
    "is_department_officer": {"department_officer"},
    "is_street_officer": {"street_officer", "other_street_officer"},
    "is_unit_officer": {"street_officer", "other_street_officer", "department_officer", "inspector"},
    "launches_campaigns": {"department_officer", "safety_officer", "far_safety_officer"},
    "is_administrator": ADMINISTRATORS,
    "is_system_admin": {"system_admin"},
    "is_security_admin": {"security_admin"},
    "is_audit_admin": {"audit_admin"},
    "reads_api_docs": {"system_admin"},
    "is_business": BUSINESS,
    "is_government": BUSINESS - {"enterprise"},
    "has_write_scope": BUSINESS - {"leader"},
    "is_supervisor": BUSINESS - {"leader", "enterprise"},
    "is_city_staff": {"city_admin"},
    "verifies_major_hazards_on_site": {"department_officer", "inspector"},
}
# Predicates that read the scope; the others read the role only, so they still name a disabled account (a
# hazard's timeline shows who acted).
SCOPE_PREDICATES = {
    "is_business",
    "is_government",
    "has_write_scope",
    "is_supervisor",
    "is_city_staff",
    "verifies_major_hazards_on_site",
}
ROLE_PREDICATES = set(EXPECTED) - SCOPE_PREDICATES


def test_every_predicate_of_the_module_is_pinned_here():
    public = {
        name
        for name, value in vars(permissions).items()
        if callable(value) and getattr(value, "__module__", "") == permissions.__name__ and not name.startswith("_")
    }
    pages = {"require_business", "business_users_only", "page_guard", "account_may", "may_open", "page_guards_of"}
    assert public - pages == set(EXPECTED) | {"can_supervise", "holds_one_of", "lifts_escalated_supervision"}


def _holders(cast, check) -> set[str]:
    return {member for member in MEMBERS if check(getattr(cast, member))}


# One cast serves each test below: every predicate is tried on every member in one go.
@pytest.mark.django_db
class TestPredicatesOnTheCast:
    def test_each_holds_for_exactly_the_expected_members(self, cast):
        found = {predicate: _holders(cast, getattr(permissions, predicate)) for predicate in EXPECTED}
        assert found == EXPECTED

    def test_they_refuse_anonymous_visitors_and_nobody(self):
        for predicate in EXPECTED:
            check = getattr(permissions, predicate)
            assert not check(AnonymousUser()), predicate
            assert not check(None), predicate

    def test_a_disabled_account_keeps_its_role_and_loses_its_scope(self, cast):
        for member in MEMBERS:
            user = getattr(cast, member)
            user.is_active = False
            user.__dict__.pop("scope", None)
        found = {predicate: _holders(cast, getattr(permissions, predicate)) for predicate in EXPECTED}
        assert found == {
            predicate: members if predicate in ROLE_PREDICATES else set() for predicate, members in EXPECTED.items()
        }

    def test_can_supervise_needs_write_scope_over_the_place(self, cast):
        from anjian.registry.testing import make_site

        site = make_site(district=cast.district, territory=cast.street, sectors=[("hazchem", "")])
        assert _holders(cast, lambda user: permissions.can_supervise(user, site)) == {
            "street_officer",
            "department_officer",
            "inspector",
            "safety_officer",
            "city_admin",
        }
        assert not permissions.can_supervise(AnonymousUser(), site)

    def test_the_safety_office_of_the_hazards_district_lifts_escalated_supervision(self, cast):
        def lifts(district):
            return _holders(cast, lambda user: permissions.lifts_escalated_supervision(user, district_id=district.pk))

        assert lifts(cast.district) == {"safety_officer"}
        assert lifts(cast.other_district) == {"far_safety_officer"}
        assert not permissions.lifts_escalated_supervision(AnonymousUser(), district_id=cast.district.pk)

    def test_holds_one_of_reads_the_role(self, cast):
        roles = (Role.INSPECTOR, Role.ENTERPRISE)
        assert _holders(cast, lambda user: permissions.holds_one_of(user, roles)) == {"inspector", "enterprise"}
        assert not permissions.holds_one_of(AnonymousUser(), roles)

    def test_business_users_only_answers_404_to_the_three_administrators_only(self, cast):
        view = permissions.business_users_only(lambda request: HttpResponse("ok"))
        for member in MEMBERS:
            request = RequestFactory().get("/")
            request.user = getattr(cast, member)
            if member in ADMINISTRATORS:
                with pytest.raises(Http404):
                    view(request)
            else:
                assert view(request).content == b"ok", member

    def test_a_page_guard_answers_404_or_its_refusal_and_stays_on_the_view(self, cast):
        from django.contrib.auth.decorators import login_required
        from django.core.exceptions import PermissionDenied

        inner = permissions.page_guard(permissions.is_supervisor, refusal="Only supervisors.")(
            lambda request: HttpResponse("ok")
        )
        view = login_required(permissions.business_users_only(inner))
        assert view.page_guards == (permissions.is_business, permissions.is_supervisor)
        for member, raised in (("system_admin", Http404), ("leader", PermissionDenied), ("street_officer", None)):
            request = RequestFactory().get("/")
            request.user = getattr(cast, member)
            if raised is None:
                assert view(request).content == b"ok"
            else:
                with pytest.raises(raised):
                    view(request)

    def test_may_open_asks_the_guards_of_the_page_the_address_leads_to(self, cast):
        # The audit log is the audit administrator's (its view: page_guard(account_may("can_read_audit"))).
        assert _holders(cast, lambda user: permissions.may_open(user, "core:audit_list")) == {"audit_admin"}
        assert _holders(cast, lambda user: permissions.may_open(user, "/audit/7/")) == {"audit_admin"}
        # A page with no guard but the sign-in opens for everyone signed in, nobody else.
        assert _holders(cast, lambda user: permissions.may_open(user, "core:notification_list")) == set(MEMBERS)
        assert not permissions.may_open(AnonymousUser(), "core:notification_list")
        # An address that leads nowhere, or a name that needs arguments, is not offered.
        assert not permissions.may_open(cast.audit_admin, "/no-such-page/")
        assert not permissions.may_open(cast.audit_admin, "core:audit_detail")
        assert not permissions.may_open(cast.audit_admin, "core:no_such_name")

    def test_may_open_reads_the_role_and_the_cached_scope_only(self, cast, django_assert_num_queries):
        user = cast.street_officer
        permissions.is_business(user)  # the request's scope, computed once
        with django_assert_num_queries(0):
            assert permissions.may_open(user, "core:notification_list")
            assert not permissions.may_open(user, "core:audit_list")

    def test_a_template_asks_the_predicates(self, cast):
        from anjian.registry.testing import make_site

        site = make_site(district=cast.district, territory=cast.street)
        template = Template(
            "{% load permissions %}{% if user|is_enterprise %}E{% endif %}{% if user|is_business %}B{% endif %}"
            "{% if user|can_supervise:site %}S{% endif %}{% if user|may_open:'core:audit_list' %}A{% endif %}"
        )
        shown = {member: template.render(Context({"user": getattr(cast, member), "site": site})) for member in MEMBERS}
        assert shown == {
            member: ("E" if member == "enterprise" else "")
            + ("B" if member in BUSINESS else "")
            + (
                "S"
                if member in {"street_officer", "department_officer", "inspector", "safety_officer", "city_admin"}
                else ""
            )
            + ("A" if member == "audit_admin" else "")
            for member in MEMBERS
        }


def test_every_predicate_on_a_user_is_a_template_filter():
    from anjian.core.templatetags.permissions import register

    assert {predicate.__name__ for predicate in permissions.USER_PREDICATES} == set(EXPECTED)
    assert set(EXPECTED) | {"can_supervise", "may_open"} <= set(register.filters)


# --- roles are compared in the predicates module only ----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT.parent / "templates"

# The one module where a role is compared: the predicates themselves. A new module never joins it.
ALLOWED = {"core/permissions.py"}


def _is_role(node: ast.AST) -> bool:
    """``x.role``, a variable ``role``, ``Role.X`` or ``getattr(x, "role", …)``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    if isinstance(node, ast.Name):
        return node.id == "role"
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value == "role"
    )


def _role_comparisons(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and any(_is_role(operand) for operand in [node.left, *node.comparators])
    ]


def test_it_finds_a_raw_role_comparison(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = user.role == 'enterprise'\nb = getattr(user, 'role', '') in (Role.INSPECTOR,)\nc = role != x\n"
        "d = kind == Role.CITY_ADMIN\ne = user.is_active == True\n"
    )
    assert [line.split(":")[1] for line in _role_comparisons(sample)] == ["1", "2", "3", "4"]


# Modules inside packages that once compared roles: the scan reaches into every package.
PACKAGED = {
    "inspections/services/base.py",
    "inspections/api/serializers/inspections.py",
    "inspections/views/field.py",
    "risk/city/access.py",
    "registry/imports/__init__.py",
    "accidents/imports/__init__.py",
    "demo/inspections/seeder.py",
}


def test_no_module_compares_roles_outside_the_predicates():
    found = []
    scanned = set()
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or "tests" in path.parts or relative in ALLOWED:
            continue
        scanned.add(relative)
        found.extend(f"{relative}: {line}" for line in _role_comparisons(path))
    assert scanned >= PACKAGED
    assert found == []


def test_every_allowed_module_exists():
    assert all((ROOT / name).is_file() for name in ALLOWED)


ROLE_IN_TEMPLATE = re.compile(r"\brole\s*(==|!=|\bin\b)|(==|!=)\s*[\w.]*\brole\b")


def test_no_template_compares_roles():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_IN_TEMPLATE.search(line)
    ]
    assert found == []
