"""Pages of who answers for a place: the gap report (监管盲区), closing gaps, disputes (推诿扯皮)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.registry import selectors, services
from anjian.registry.choices import DisputeStatus, OverrideEffect
from anjian.registry.models import ResponsibilityDispute, Site, SupervisionOverride
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

GAP_REPORT = reverse("registry:gap_report")
DISPUTES = reverse("registry:dispute_list")


@shared_fixture
def places(cast):
    chem = make_site(
        name="甲化工厂", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")], enterprise_n=1
    )
    gap = make_site(
        name="丙内涝点", district=cast.district, territory=cast.street, sectors=[("waterlogging_point", "")]
    )
    orphan = make_site(name="丁商场", district=cast.district, territory=None, sectors=[("commercial", "")])
    far = make_site(name="戊工厂", district=cast.other_district, territory=cast.far_street, sectors=[("hazchem", "")])
    return {"chem": chem, "gap": gap, "orphan": orphan, "far": far}


@shared_fixture
def dispute(cast, places):
    return services.raise_dispute(
        actor=cast.department_officer,
        site=places["chem"],
        sector_code="hazchem",
        reason="该单位实际为仓储物流，应由住建局监管",
        proposed_unit=cast.housing,
    )


def _assign_department_url(site):
    return reverse("registry:assign_department", args=[site.pk])


def _assign_territory_url(site):
    return reverse("registry:assign_territory", args=[site.pk])


class TestGapReportScope:
    @pytest.mark.parametrize("member", ["safety_officer", "leader", "city_admin"])
    def test_it_shows_the_report_to_the_safety_office_leaders_and_city(self, cast, places, client_for, member):
        response = client_for(getattr(cast, member)).get(GAP_REPORT)
        assert response.status_code == 200
        body = response.content.decode()
        assert "丙内涝点" in body and "丁商场" in body
        assert "戊工厂" not in body  # the first district shown is 甲区

    @pytest.mark.parametrize(
        "member",
        ["department_officer", "street_officer", "inspector", "enterprise", "system_admin", "audit_admin"],
    )
    def test_it_hides_the_report_from_everyone_else(self, cast, places, client_for, member):
        assert client_for(getattr(cast, member)).get(GAP_REPORT).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self, places, client_for):
        response = client_for(None).get(GAP_REPORT)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_it_shows_forms_to_the_safety_office_only(self, cast, places, client_for):
        office = client_for(cast.safety_officer).get(GAP_REPORT).content.decode()
        assert _assign_department_url(places["gap"]) in office
        assert _assign_territory_url(places["orphan"]) in office
        leader = client_for(cast.leader).get(GAP_REPORT).content.decode()
        assert _assign_department_url(places["gap"]) not in leader
        assert _assign_territory_url(places["orphan"]) not in leader

    def test_it_lets_city_staff_choose_a_district(self, cast, places, client_for):
        response = client_for(cast.city_admin).get(GAP_REPORT, {"district": cast.other_district.pk})
        body = response.content.decode()
        assert response.status_code == 200 and response.context["district"] == cast.other_district
        assert "丁商场" not in body

    def test_it_counts_the_gaps_and_links_the_mandate_matrix(self, cast, places, dispute, client_for):
        response = client_for(cast.safety_officer).get(GAP_REPORT)
        assert response.context["sector_page"].paginator.count == 2  # 丙内涝点 waterlogging, 丁商场 commercial
        assert response.context["territory_page"].paginator.count == 1
        assert response.context["open_disputes"] == 1
        assert "waterlogging_point" in {s.code for s in response.context["unsupervised_sectors"]}
        assert reverse("organizations:mandate_matrix") in response.content.decode()


class TestClosingGaps:
    def test_the_safety_office_assigns_a_department_and_it_is_audited(self, cast, places, client_for):
        response = client_for(cast.safety_officer).post(
            _assign_department_url(places["gap"]),
            {"sector": "waterlogging_point", "department": cast.housing.pk, "reason": "住建局负责", "next": GAP_REPORT},
        )
        assert response.status_code == 302 and response["Location"] == GAP_REPORT
        assert SupervisionOverride.objects.filter(
            site=places["gap"], department=cast.housing, effect=OverrideEffect.ASSIGN
        ).exists()
        assert AuditEntry.objects.filter(action="registry.supervision.assign").exists()
        gaps = client_for(cast.safety_officer).get(GAP_REPORT).context["sector_page"]
        assert {g.site.name for g in gaps} == {"丁商场"}

    def test_the_safety_office_assigns_a_territory(self, cast, places, client_for):
        client_for(cast.safety_officer).post(
            _assign_territory_url(places["orphan"]), {"territory": cast.other_street.pk, "reason": "属地"}
        )
        places["orphan"].refresh_from_db()
        assert places["orphan"].territory == cast.other_street
        assert AuditEntry.objects.filter(action="registry.territory.assign").exists()

    @pytest.mark.parametrize("member", ["leader", "department_officer", "street_officer", "far_safety_officer"])
    def test_nobody_else_may_assign(self, cast, places, client_for, member):
        client = client_for(getattr(cast, member))
        data = {"sector": "waterlogging_point", "department": cast.housing.pk, "reason": "x"}
        assert client.post(_assign_department_url(places["gap"]), data).status_code == 404
        data = {"territory": cast.street.pk, "reason": "x"}
        assert client.post(_assign_territory_url(places["orphan"]), data).status_code == 404
        assert not SupervisionOverride.objects.exists()
        assert Site.objects.get(pk=places["orphan"].pk).territory is None

    def test_it_rejects_get_on_the_assignments(self, cast, places, client_for):
        client = client_for(cast.safety_officer)
        assert client.get(_assign_department_url(places["gap"])).status_code == 405
        assert client.get(_assign_territory_url(places["orphan"])).status_code == 405

    @pytest.mark.parametrize(
        "data",
        [
            {"sector": "waterlogging_point", "department": "", "reason": "x"},
            {"sector": "waterlogging_point", "department": "999999", "reason": "x"},
            {"sector": "hazchem", "department": "HOUSING", "reason": "x"},
            {"sector": "construction", "department": "HOUSING", "reason": "x"},  # not a sector of the place
            {"sector": "waterlogging_point", "department": "HOUSING", "reason": "   "},
            {"sector": "waterlogging_point", "department": "FAR", "reason": "x"},  # a unit of another district
        ],
    )
    def test_bad_input_is_answered_with_a_message_and_changes_nothing(self, cast, places, client_for, data):
        units = {"HOUSING": cast.housing.pk, "FAR": cast.far_street.pk}
        data = {k: units.get(v, v) for k, v in data.items()}
        client = client_for(cast.safety_officer)
        response = client.post(_assign_department_url(places["gap"]), data, follow=True)
        assert response.status_code == 200
        errors = [m for m in response.context["messages"] if m.level_tag == "error"]
        assert errors
        assert not SupervisionOverride.objects.exists()
        assert not AuditEntry.objects.filter(action="registry.supervision.assign").exists()

    def test_a_territory_of_another_district_is_refused(self, cast, places, client_for):
        response = client_for(cast.safety_officer).post(
            _assign_territory_url(places["orphan"]), {"territory": cast.far_street.pk, "reason": "x"}, follow=True
        )
        assert [m for m in response.context["messages"] if m.level_tag == "error"]
        places["orphan"].refresh_from_db()
        assert places["orphan"].territory is None

    def test_it_does_not_follow_an_outside_next(self, cast, places, client_for):
        response = client_for(cast.safety_officer).post(
            _assign_territory_url(places["orphan"]),
            {"territory": cast.street.pk, "reason": "属地", "next": "https://evil.example/"},
        )
        assert response.status_code == 302 and "evil" not in response["Location"]


class TestDisputeScope:
    def test_the_disputing_department_the_office_and_the_leader_see_the_dispute(self, cast, dispute, client_for):
        for member in ("department_officer", "safety_officer", "leader", "city_admin"):
            client = client_for(getattr(cast, member))
            assert client.get(DISPUTES).status_code == 200, member
            assert client.get(reverse("registry:dispute_detail", args=[dispute.pk])).status_code == 200, member

    @pytest.mark.parametrize(
        "member", ["far_safety_officer", "other_street_officer", "enterprise", "system_admin", "audit_admin"]
    )
    def test_it_hides_the_dispute_from_others(self, cast, dispute, client_for, member):
        client = client_for(getattr(cast, member))
        assert client.get(reverse("registry:dispute_detail", args=[dispute.pk])).status_code == 404
        response = client.get(DISPUTES)
        assert response.status_code == 404 or dispute.site.name not in response.content.decode()

    def test_it_sends_anonymous_visitors_to_the_login(self, dispute, client_for, places):
        client = client_for(None)
        for url in (
            DISPUTES,
            reverse("registry:dispute_detail", args=[dispute.pk]),
            reverse("registry:dispute_create", args=[places["chem"].pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_the_dispute_form_is_for_units_that_see_the_place(self, cast, places, client_for):
        url = reverse("registry:dispute_create", args=[places["chem"].pk])
        assert client_for(cast.department_officer).get(url).status_code == 200
        assert client_for(cast.street_officer).get(url).status_code == 200
        for member in ("other_street_officer", "far_safety_officer", "enterprise", "leader", "system_admin"):
            assert client_for(getattr(cast, member)).get(url).status_code == 404, member

    @pytest.mark.parametrize("member", ["leader", "department_officer", "far_safety_officer"])
    def test_only_the_safety_office_decides(self, cast, dispute, client_for, member):
        url = reverse("registry:dispute_decide", args=[dispute.pk])
        response = client_for(getattr(cast, member)).post(
            url, {"responsible_unit": cast.housing.pk, "decision": "由住建局负责"}
        )
        assert response.status_code == 404
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.OPEN

    def test_the_leader_reads_the_dispute_without_a_decision_form(self, cast, dispute, client_for):
        response = client_for(cast.leader).get(reverse("registry:dispute_detail", args=[dispute.pk]))
        assert response.context["form"] is None
        assert reverse("registry:dispute_decide", args=[dispute.pk]) not in response.content.decode()

    def test_it_rejects_get_on_the_decision(self, cast, dispute, client_for):
        url = reverse("registry:dispute_decide", args=[dispute.pk])
        assert client_for(cast.safety_officer).get(url).status_code == 405


class TestDisputeFlow:
    def test_a_department_disputes_and_the_safety_office_decides_through_the_pages(self, cast, places, client_for):
        site = places["chem"]
        client = client_for(cast.department_officer)
        response = client.post(
            reverse("registry:dispute_create", args=[site.pk]),
            {"reason": "该单位实际为仓储物流，应由住建局监管", "sector": "hazchem", "proposed_unit": cast.housing.pk},
        )
        dispute = ResponsibilityDispute.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("registry:dispute_detail", args=[dispute.pk])
        assert AuditEntry.objects.filter(action="registry.dispute.raise").exists()

        ResponsibilityDispute.objects.filter(pk=dispute.pk).update(created_at=timezone.now() - timedelta(days=12))
        office = client_for(cast.safety_officer)
        listing = office.get(DISPUTES)
        assert [(d.pk, age) for d, age in listing.context["open_rows"]] == [(dispute.pk, 12)]
        assert "甲化工厂" in listing.content.decode()
        detail = office.get(reverse("registry:dispute_detail", args=[dispute.pk]))
        assert detail.context["form"] is not None

        response = office.post(
            reverse("registry:dispute_decide", args=[dispute.pk]),
            {"responsible_unit": cast.housing.pk, "decision": "经研究由住建局负责"},
        )
        assert response.status_code == 302
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.DECIDED and dispute.responsible_unit == cast.housing
        assert selectors.supervisors_of(site) == {"hazchem": [cast.housing]}
        assert AuditEntry.objects.filter(action="registry.dispute.decide").exists()
        assert AuditEntry.objects.filter(action="registry.supervision.assign").exists()

        listing = office.get(DISPUTES)
        assert listing.context["open_rows"] == []
        assert [d.pk for d in listing.context["page_obj"]] == [dispute.pk]
        again = office.post(
            reverse("registry:dispute_decide", args=[dispute.pk]),
            {"responsible_unit": cast.emergency.pk, "decision": "再议"},
            follow=True,
        )
        assert again.status_code == 200
        assert [m for m in again.context["messages"] if m.level_tag == "error"]
        dispute.refresh_from_db()
        assert dispute.responsible_unit == cast.housing

    def test_an_empty_reason_is_answered_with_a_message(self, cast, places, client_for):
        response = client_for(cast.department_officer).post(
            reverse("registry:dispute_create", args=[places["chem"].pk]), {"reason": "   "}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        assert not ResponsibilityDispute.objects.exists()

    def test_a_second_open_dispute_of_the_same_unit_is_refused(self, cast, places, dispute, client_for):
        response = client_for(cast.department_officer).post(
            reverse("registry:dispute_create", args=[places["chem"].pk]), {"reason": "再次申诉"}
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert ResponsibilityDispute.objects.count() == 1

    def test_a_proposed_unit_of_another_district_is_refused(self, cast, places, client_for):
        response = client_for(cast.department_officer).post(
            reverse("registry:dispute_create", args=[places["chem"].pk]),
            {"reason": "不归我们管", "proposed_unit": cast.far_street.pk},
        )
        assert response.status_code == 200 and response.context["form"].errors["proposed_unit"]
        assert not ResponsibilityDispute.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [
            {"responsible_unit": "", "decision": "x"},
            {"responsible_unit": "SAFETY_OFFICE", "decision": "x"},  # not a department, street or park
            {"responsible_unit": "FAR", "decision": "x"},
            {"responsible_unit": "HOUSING", "decision": "  "},
            {"responsible_unit": "abc", "decision": "x"},
        ],
    )
    def test_a_bad_decision_is_answered_with_a_message_and_changes_nothing(self, cast, dispute, client_for, data):
        units = {"SAFETY_OFFICE": cast.safety_office.pk, "FAR": cast.far_street.pk, "HOUSING": cast.housing.pk}
        data = {k: units.get(v, v) for k, v in data.items()}
        response = client_for(cast.safety_officer).post(reverse("registry:dispute_decide", args=[dispute.pk]), data)
        assert response.status_code == 200
        assert response.context["form"].errors
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.OPEN
        assert not SupervisionOverride.objects.exists()

    def test_a_street_decided_responsible_becomes_the_territory(self, cast, places, client_for):
        dispute = services.raise_dispute(actor=cast.street_officer, site=places["gap"], reason="不在本街道辖区")
        client_for(cast.safety_officer).post(
            reverse("registry:dispute_decide", args=[dispute.pk]),
            {"responsible_unit": cast.other_street.pk, "decision": "划归西街道"},
        )
        places["gap"].refresh_from_db()
        assert places["gap"].territory == cast.other_street


class TestQueryCounts:
    def _gap_report_queries(self, client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(GAP_REPORT).status_code == 200
        return len(ctx.captured_queries)

    def _dispute_list_queries(self, client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DISPUTES).status_code == 200
        return len(ctx.captured_queries)

    def _add(self, cast, n, start):
        for i in range(n):
            orphan = make_site(
                name=f"无属地{start + i}", district=cast.district, territory=None, sectors=[("waterlogging_point", "")]
            )
            assert orphan.territory is None
            site = make_site(
                name=f"争议{start + i}", district=cast.district, territory=cast.street, sectors=[("hazchem", "")]
            )
            services.raise_dispute(actor=cast.department_officer, site=site, reason="不归我们管")
            if i % 2:
                decided = services.raise_dispute(actor=cast.street_officer, site=site, reason="不归我们管")
                services.decide_dispute(
                    actor=cast.safety_officer, dispute=decided, responsible_unit=cast.other_street, decision="划归"
                )

    def test_the_gap_report_and_dispute_list_do_not_grow_with_rows(self, cast, client_for):
        self._add(cast, 2, 0)
        client = client_for(cast.safety_officer)
        gap_small, list_small = self._gap_report_queries(client), self._dispute_list_queries(client)
        self._add(cast, 12, 100)
        gap_large, list_large = self._gap_report_queries(client), self._dispute_list_queries(client)
        assert gap_small == gap_large
        assert list_small == list_large
