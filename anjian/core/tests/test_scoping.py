"""The scoping primitive, on a queryset shaped like the later business models.

Places, hazards and accidents will declare ScopePaths to their district, sectors,
territory and enterprise accounts; here departments stand in for them: their
"sectors" are their mandates and their "territory" is themselves.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from anjian.core.scoping import (
    NO_SCOPE,
    ScopedQuerySet,
    ScopeLevel,
    ScopePaths,
    edits_city_reference_data,
    get_editable_or_404,
    get_visible_or_404,
    scope_of,
)
from anjian.organizations.models import OrgUnit


class BusinessLikeQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        city="city_id",
        district="district_id",
        sector="mandates__sector_id",
        territory="pk",
        enterprise_user="members__pk",
        multivalued=True,
    )


def records():
    return BusinessLikeQuerySet(model=OrgUnit)


@pytest.mark.django_db
class TestScopeOfUsers:
    def test_each_role_gets_the_scope_of_design_md(self, cast):
        assert cast.city_admin.scope.level is ScopeLevel.CITY
        assert cast.safety_officer.scope.level is ScopeLevel.DISTRICT
        assert cast.safety_officer.scope.district_id == cast.district.pk
        assert cast.leader.scope.level is ScopeLevel.DISTRICT and cast.leader.scope.read_only
        dept = cast.department_officer.scope
        assert dept.level is ScopeLevel.DEPARTMENT
        assert dept.sector_codes == {"hazchem", "fireworks", "industry_trade"}
        assert cast.street_officer.scope.territory_ids == {cast.street.pk}
        assert cast.inspector.scope.level is ScopeLevel.DEPARTMENT  # the scope of the inspector's unit
        assert cast.enterprise.scope.level is ScopeLevel.ENTERPRISE

    @pytest.mark.parametrize("member", ["system_admin", "security_admin", "audit_admin"])
    def test_the_separated_administrators_see_no_business_data(self, cast, member):
        user = getattr(cast, member)
        assert scope_of(user) == NO_SCOPE
        assert not records().visible_to(user).exists()
        assert not records().editable_by(user).exists()

    def test_anonymous_and_disabled_users_see_nothing(self, cast):
        from django.contrib.auth.models import AnonymousUser

        assert not records().visible_to(AnonymousUser()).exists()
        cast.safety_officer.is_active = False
        assert scope_of(cast.safety_officer) == NO_SCOPE


@pytest.mark.django_db
class TestScopedQuerySet:
    def test_city_staff_see_the_city(self, cast):
        seen = set(records().visible_to(cast.city_admin).values_list("pk", flat=True))
        assert cast.far_street.pk in seen and cast.street.pk in seen

    def test_the_district_sees_its_district_only(self, cast):
        seen = set(records().visible_to(cast.safety_officer).values_list("pk", flat=True))
        assert cast.street.pk in seen and cast.emergency.pk in seen
        assert cast.far_street.pk not in seen

    def test_a_department_sees_the_records_of_its_sectors(self, cast):
        seen = set(records().visible_to(cast.department_officer).values_list("pk", flat=True))
        # Both departments supervise something the emergency bureau supervises? Only the bureau itself.
        assert seen == {cast.emergency.pk}

    def test_a_street_sees_its_territory(self, cast):
        assert set(records().visible_to(cast.street_officer).values_list("pk", flat=True)) == {cast.street.pk}
        assert set(records().visible_to(cast.other_street_officer).values_list("pk", flat=True)) == {
            cast.other_street.pk
        }

    def test_an_enterprise_sees_only_its_own(self, cast):
        assert set(records().visible_to(cast.enterprise).values_list("pk", flat=True)) == {cast.district.pk}

    def test_multivalued_paths_give_no_duplicates_and_aggregate_safely(self, cast):
        cast.emergency.mandates.all()  # three mandates: a plain join would repeat the row three times
        qs = records().visible_to(cast.department_officer)
        assert qs.count() == 1 and len(list(qs)) == 1

    def test_the_leader_reads_but_edits_nothing(self, cast):
        assert records().visible_to(cast.leader).filter(pk=cast.street.pk).exists()
        assert not records().editable_by(cast.leader).exists()

    def test_get_visible_or_404_hides_existence(self, cast):
        assert get_visible_or_404(records(), cast.street_officer, pk=cast.street.pk) == cast.street
        with pytest.raises(Http404):
            get_visible_or_404(records(), cast.other_street_officer, pk=cast.street.pk)
        with pytest.raises(Http404):
            get_visible_or_404(records(), cast.street_officer, pk=10**9)
        with pytest.raises(Http404):
            get_visible_or_404(records(), cast.street_officer, pk="not-a-number")
        with pytest.raises(Http404):
            get_editable_or_404(records(), cast.leader, pk=cast.street.pk)


def test_only_the_city_administrator_edits_city_wide_reference_data(cast):
    from dataclasses import fields

    from django.contrib.auth.models import AnonymousUser

    members = {f.name: getattr(cast, f.name) for f in fields(cast) if hasattr(getattr(cast, f.name), "role")}
    assert {name for name, user in members.items() if edits_city_reference_data(user)} == {"city_admin"}
    assert not edits_city_reference_data(AnonymousUser())
    assert not edits_city_reference_data(None)
