"""Who answers for a place: mandates, overrides, gaps and disputes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.registry import selectors, services
from anjian.registry.choices import DisputeStatus, SiteStatus
from anjian.registry.models import Site
from anjian.registry.testing import credit_code, make_site


@shared_fixture
def places(cast):
    chem = make_site(
        name="甲化工厂", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")], enterprise_n=1
    )
    site = make_site(name="乙工地", district=cast.district, territory=cast.other_street, sectors=[("construction", "")])
    gap = make_site(
        name="丙内涝点", district=cast.district, territory=cast.street, sectors=[("waterlogging_point", "")]
    )
    orphan = make_site(name="丁商场", district=cast.district, territory=None, sectors=[("commercial", "")])
    far = make_site(name="戊工厂", district=cast.other_district, territory=cast.far_street, sectors=[("hazchem", "")])
    chem.enterprise.accounts.add(cast.enterprise)
    return {"chem": chem, "site": site, "gap": gap, "orphan": orphan, "far": far}


def _names(qs):
    return set(qs.values_list("name", flat=True))


@pytest.mark.django_db
class TestScope:
    def test_each_member_sees_the_places_of_design_md(self, cast, places):
        assert _names(Site.objects.visible_to(cast.department_officer)) == {"甲化工厂"}  # hazchem, own district
        assert _names(Site.objects.visible_to(cast.street_officer)) == {"甲化工厂", "丙内涝点"}
        assert _names(Site.objects.visible_to(cast.enterprise)) == {"甲化工厂"}
        assert _names(Site.objects.visible_to(cast.leader)) == {"甲化工厂", "乙工地", "丙内涝点", "丁商场"}
        assert _names(Site.objects.visible_to(cast.city_admin)) == {
            "甲化工厂",
            "乙工地",
            "丙内涝点",
            "丁商场",
            "戊工厂",
        }
        assert not Site.objects.visible_to(cast.system_admin).exists()
        assert not Site.objects.visible_to(cast.audit_admin).exists()

    def test_an_assignment_extends_and_an_exclusion_narrows_a_department(self, cast, places):
        services.assign_department(
            actor=cast.safety_officer,
            site=places["gap"],
            sector_code="waterlogging_point",
            department=cast.emergency,
            reason="区安办指定",
        )
        assert _names(Site.objects.visible_to(cast.department_officer)) == {"甲化工厂", "丙内涝点"}


@pytest.mark.django_db
class TestGaps:
    def test_the_gap_report_finds_unsupervised_sectors_and_places_without_territory(self, cast, places):
        gaps = selectors.supervision_gaps(cast.safety_officer, district=cast.district)
        assert {(g.site.name, g.sector_id) for g in gaps["sector_gaps"]} == {
            ("丙内涝点", "waterlogging_point"),
            ("丁商场", "commercial"),
        }
        assert _names(gaps["without_territory"]) == {"丁商场"}
        assert "waterlogging_point" in {s.code for s in gaps["unsupervised_sectors"]}

    def test_the_safety_office_closes_a_gap_and_it_is_audited(self, cast, places):
        services.assign_department(
            actor=cast.safety_officer,
            site=places["gap"],
            sector_code="waterlogging_point",
            department=cast.housing,
            reason="住建局负责",
        )
        services.assign_territory(
            actor=cast.safety_officer, site=places["orphan"], territory=cast.other_street, reason="属地"
        )
        gaps = selectors.supervision_gaps(cast.safety_officer, district=cast.district)
        assert {(g.site.name, g.sector_id) for g in gaps["sector_gaps"]} == {("丁商场", "commercial")}
        assert not gaps["without_territory"].exists()
        assert AuditEntry.objects.filter(action="registry.supervision.assign").exists()
        assert AuditEntry.objects.filter(action="registry.territory.assign").exists()

    def test_nobody_else_closes_gaps(self, cast, places):
        for member in ("leader", "department_officer", "street_officer"):
            with pytest.raises(PermissionDenied):
                services.assign_department(
                    actor=getattr(cast, member),
                    site=places["gap"],
                    sector_code="waterlogging_point",
                    department=cast.housing,
                    reason="x",
                )

    def test_supervisors_of_a_place_follow_mandates_and_overrides(self, cast, places):
        assert selectors.supervisors_of(places["chem"]) == {"hazchem": [cast.emergency]}
        assert selectors.supervisors_of(places["gap"]) == {"waterlogging_point": []}


@pytest.mark.django_db
class TestDisputes:
    def test_a_department_disputes_and_the_safety_office_decides(self, cast, places):
        dispute = services.raise_dispute(
            actor=cast.department_officer,
            site=places["chem"],
            sector_code="hazchem",
            reason="该单位实际为仓储物流，应由住建局监管",
            proposed_unit=cast.housing,
        )
        assert [d.pk for d, _age in selectors.open_disputes_with_age(cast.safety_officer)] == [dispute.pk]
        with pytest.raises(PermissionDenied):
            services.decide_dispute(actor=cast.leader, dispute=dispute, responsible_unit=cast.housing, decision="x")
        services.decide_dispute(
            actor=cast.safety_officer, dispute=dispute, responsible_unit=cast.housing, decision="经研究由住建局负责"
        )
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.DECIDED and dispute.responsible_unit == cast.housing
        assert selectors.supervisors_of(places["chem"]) == {"hazchem": [cast.housing]}
        assert not Site.objects.visible_to(cast.department_officer).filter(pk=places["chem"].pk).exists()
        with pytest.raises(ValidationError):
            services.decide_dispute(
                actor=cast.safety_officer, dispute=dispute, responsible_unit=cast.housing, decision="再议"
            )


@pytest.mark.django_db
class TestSites:
    def test_status_moves_follow_the_table_and_keep_history(self, cast, places):
        site = places["chem"]
        services.change_status(actor=cast.safety_officer, site=site, to_status=SiteStatus.SUSPENDED, reason="停产整顿")
        services.change_status(actor=cast.safety_officer, site=site, to_status=SiteStatus.CLOSED, reason="关闭取缔")
        with pytest.raises(ValidationError) as excinfo:
            services.change_status(actor=cast.safety_officer, site=site, to_status=SiteStatus.OPERATING, reason="复产")
        assert "关闭取缔" in str(excinfo.value) or "拆除" in str(excinfo.value)
        assert [c.to_status for c in site.status_changes.order_by("id")] == ["operating", "suspended", "closed"]

    def test_a_bad_credit_code_is_refused_in_chinese(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            services.create_site(
                actor=None,
                fields={"name": "坏企业", "district": cast.district},
                sectors=[("commercial", "")],
                enterprise={"name": "坏企业", "credit_code": "91330106000000001X"},
            )
        assert "统一社会信用代码" in str(excinfo.value)
        assert not Site.objects.filter(name="坏企业").exists()

    def test_the_enterprise_is_found_again_by_its_credit_code(self, cast, places):
        again = make_site(name="甲化工厂二号库", district=cast.district, sectors=[("hazchem", "")], enterprise_n=1)
        assert again.enterprise_id == places["chem"].enterprise_id
        assert credit_code(1) == places["chem"].enterprise.credit_code
