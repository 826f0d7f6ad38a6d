"""Investigations under 四不放过: the deadline and its one extension, the four closures and their
evidence, and closure refused while any of the four is open."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.accidents import services
from anjian.accidents.models import Accident, Investigation, InvestigationStatus
from anjian.core.models import AuditEntry
from anjian.inspections import services as inspection_services
from anjian.inspections.testing import found_hazard, loop_place, photo

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
OCCURRED = datetime.datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def investigation(cast):
    with time_machine.travel(OCCURRED + datetime.timedelta(hours=2), tick=False):
        accident = services.record_accident(
            actor=cast.safety_officer,
            district=cast.district,
            territory=cast.street,
            category="fire",
            accident_type="fire",
            occurred_at=OCCURRED,
            reported_at=OCCURRED + datetime.timedelta(minutes=30),
            address="东街道仓库",
            summary="仓库火灾，一人死亡",
            deaths=1,
        )
        return services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="区安办、消防、应急"
        )


def test_it_is_due_60_days_after_the_accident_and_extends_once_by_at_most_60(cast, investigation):
    assert investigation.deadline == datetime.date(2026, 7, 31)
    with pytest.raises(ValidationError):
        services.extend_investigation(actor=cast.safety_officer, investigation=investigation, days=61, reason="复杂")
    services.extend_investigation(actor=cast.safety_officer, investigation=investigation, days=60, reason="需技术鉴定")
    investigation.refresh_from_db()
    assert investigation.deadline == datetime.date(2026, 9, 29) and investigation.extended_by_days == 60
    with pytest.raises(ValidationError):
        services.extend_investigation(actor=cast.safety_officer, investigation=investigation, days=1, reason="再延")


def test_closure_is_refused_while_any_of_the_four_is_open(cast, investigation):
    site = loop_place(cast)
    hazard = found_hazard(cast, site)
    with pytest.raises(ValidationError) as caught:
        services.close_investigation(actor=cast.safety_officer, investigation=investigation)
    assert caught.value.code == "open_closures"
    assert services.open_closures(investigation) == ["cause", "persons", "measures", "education"]

    services.record_cause(
        actor=cast.safety_officer, investigation=investigation, cause="电气线路老化短路", report="东安调〔2026〕1号"
    )
    services.add_evidence(
        actor=cast.safety_officer,
        investigation=investigation,
        kind="persons",
        person="仓库负责人王某",
        sanction="罚款并撤销安全管理人员资格",
        decided_by="区应急管理局",
        decided_on=datetime.date(2026, 7, 1),
    )
    services.add_evidence(
        actor=cast.safety_officer,
        investigation=investigation,
        kind="measures",
        description="全面更换老化线路",
        hazard=hazard,
    )
    services.add_evidence(
        actor=cast.safety_officer,
        investigation=investigation,
        kind="education",
        held_on=datetime.date(2026, 7, 5),
        subject="火灾事故警示教育",
        audience="辖区仓储企业",
        attendees=120,
    )
    # The measure is linked to a hazard of the loop that is not verified yet: the third closure stays open.
    investigation.refresh_from_db()
    assert services.open_closures(investigation) == ["measures"]
    with pytest.raises(ValidationError):
        services.close_investigation(actor=cast.safety_officer, investigation=investigation)

    inspection_services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="已更换", photos=[photo(5)])
    inspection_services.verify(actor=cast.department_officer, hazard=hazard)
    closed = services.close_investigation(actor=cast.safety_officer, investigation=investigation)
    assert closed.status == InvestigationStatus.CLOSED and closed.closed_at
    assert AuditEntry.objects.filter(action="accidents.investigation.close").count() == 1
    with pytest.raises(ValidationError):
        services.record_cause(actor=cast.safety_officer, investigation=investigation, cause="x", report="y")


def test_evidence_is_checked_and_scoped(cast, investigation):
    with pytest.raises(ValidationError):
        services.add_evidence(
            actor=cast.safety_officer, investigation=investigation, kind="education", subject="无日期", attendees=3
        )
    with pytest.raises(PermissionDenied):
        services.record_cause(actor=cast.other_street_officer, investigation=investigation, cause="x", report="y")
    with pytest.raises(ValidationError):
        services.open_investigation(
            actor=cast.safety_officer, accident=investigation.accident, lead_unit=cast.safety_office, team="重复"
        )
    assert Investigation.objects.visible_to(cast.street_officer).count() == 1
    assert Investigation.objects.visible_to(cast.other_street_officer).count() == 0
    assert Accident.objects.visible_to(cast.far_safety_officer).count() == 0
