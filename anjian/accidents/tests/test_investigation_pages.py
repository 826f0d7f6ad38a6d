"""The investigation pages: opened from the accident, extended once, the four closures' evidence recorded
through the page (a measure linked to a hazard of the same place), each closure marked, closure refused with
a Chinese message naming what is open; the list of open investigations, oldest first, with the deadline."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services
from anjian.accidents.models import Accountability, EducationRecord, Investigation, InvestigationStatus
from anjian.accidents.tests.test_record_pages import record
from anjian.core.models import AuditEntry
from anjian.inspections import services as inspection_services
from anjian.inspections.testing import found_hazard, loop_place, photo, zh
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

LIST = reverse("accidents:investigation_list")


def detail(accident) -> str:
    return reverse("accidents:accident_detail", args=[accident.pk])


def step(investigation, action: str) -> str:
    return reverse("accidents:investigation_step", args=[investigation.pk, action])


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def place(cast):
    return loop_place(cast)


@pytest.fixture
def accident(cast, place):
    return record(cast, site=place, sector=None, category="fire", accident_type="fire", address="", deaths=1)


def test_it_opens_the_investigation_from_the_accident(cast, client_for, accident):
    client = client_for(cast.street_officer)
    page = client.get(detail(accident))
    assert 'data-testid="investigation-open-form"' in page.content.decode()
    url = reverse("accidents:investigation_open", args=[accident.pk])
    refused = client.post(url, {"lead_unit": cast.safety_office.pk, "team": " "})
    assert refused.status_code == 200 and "team" in refused.context["open_form"].errors
    response = client.post(url, {"lead_unit": cast.safety_office.pk, "team": "区安办、消防、东街道"})
    assert response.status_code == 302 and response["Location"].endswith("#investigation")
    investigation = Investigation.objects.get()
    expected = timezone.localtime(accident.occurred_at).date() + datetime.timedelta(days=60)
    assert investigation.deadline == expected
    content = client.get(detail(accident)).content.decode()
    assert expected.isoformat() in content and 'data-closure="education"' in content


def test_a_lead_unit_of_another_district_is_refused(cast, client_for, accident):
    far_unit = cast.far_street
    response = client_for(cast.safety_officer).post(
        reverse("accidents:investigation_open", args=[accident.pk]), {"lead_unit": far_unit.pk, "team": "x"}
    )
    assert response.status_code == 200 and "lead_unit" in response.context["open_form"].errors
    assert not Investigation.objects.exists()


def test_the_four_closures_through_the_page_and_closure_refused_while_open(cast, client_for, accident, place):
    hazard = found_hazard(cast, place)
    other_place_hazard = found_hazard(cast, make_site(district=cast.district, territory=cast.street, name="别处"))
    investigation = services.open_investigation(
        actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="区安办"
    )
    client = client_for(cast.safety_officer)
    close = reverse("accidents:investigation_close", args=[investigation.pk])

    response = client.post(close)
    assert response.status_code == 302
    message = flashed(response)[0]
    for msgid in (
        "the cause is not established",
        "the responsible persons are not handled",
        "the corrective measures are not done",
        "the people concerned are not educated",
    ):
        assert zh(msgid) in message

    page = client.get(detail(accident))
    measure_form = next(f for f in page.context["step_forms"] if f.action == "measures")
    assert list(measure_form.fields["hazard"].queryset) == [hazard]  # the same place's hazards only
    assert other_place_hazard not in measure_form.fields["hazard"].queryset

    assert (
        client.post(step(investigation, "cause"), {"cause": "电气线路老化", "report": "甲安调〔2026〕1号"}).status_code
        == 302
    )
    assert (
        client.post(
            step(investigation, "persons"),
            {"person": "王某", "sanction": "罚款", "decided_by": "区应急管理局", "decided_on": "2026-01-05"},
        ).status_code
        == 302
    )
    refused = client.post(step(investigation, "persons"), {"person": "李某", "decided_on": "去年"})
    assert refused.status_code == 200
    bound = next(f for f in refused.context["step_forms"] if f.action == "persons")
    assert bound.errors and bound.data["person"] == "李某"
    both = client.post(
        step(investigation, "measures"),
        {"description": "更换线路", "hazard": hazard.pk, "hazard_number": other_place_hazard.number},
    )
    assert both.status_code == 200
    assert (
        client.post(step(investigation, "measures"), {"description": "更换线路", "hazard": hazard.pk}).status_code
        == 302
    )
    assert (
        client.post(
            step(investigation, "education"),
            {"held_on": "2026-01-06", "subject": "警示教育", "audience": "仓储企业", "attendees": "40"},
        ).status_code
        == 302
    )
    assert Accountability.objects.count() == 1 and EducationRecord.objects.count() == 1

    page = client.get(detail(accident)).content.decode()
    assert 'data-closure="measures" data-state="open"' in page
    assert 'data-closure="persons" data-state="ready"' in page
    assert 'data-closure="cause" data-state="done"' in page
    response = client.post(reverse("accidents:investigation_mark", args=[investigation.pk]), {"closure": "persons"})
    assert zh("Marked done: %(closure)s.").split("%")[0] in flashed(response)[0]
    response = client.post(close)
    assert flashed(response)[-1] == (
        zh("The investigation cannot close while %(open)s.") % {"open": zh("the corrective measures are not done")}
    )

    inspection_services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="已更换", photos=[photo(5)])
    inspection_services.verify(actor=cast.department_officer, hazard=hazard)
    response = client.post(close)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CLOSED
    assert AuditEntry.objects.filter(action="accidents.investigation.closure").count() == 1
    page = client.get(detail(accident))
    assert page.context["step_forms"] == []
    assert 'data-investigation-status="closed"' in page.content.decode()


def test_the_deadline_extends_once_through_the_page(cast, client_for, accident):
    investigation = services.open_investigation(
        actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="区安办"
    )
    client = client_for(cast.safety_officer)
    refused = client.post(step(investigation, "extend"), {"days": "61", "reason": "复杂"})
    assert refused.status_code == 200
    assert next(f for f in refused.context["step_forms"] if f.action == "extend").errors["days"]
    assert client.post(step(investigation, "extend"), {"days": "60", "reason": "需技术鉴定"}).status_code == 302
    page = client.get(detail(accident))
    assert "extend" not in [f.action for f in page.context["step_forms"]]
    again = client.post(step(investigation, "extend"), {"days": "1", "reason": "再延"})
    assert again.status_code == 200
    investigation.refresh_from_db()
    assert investigation.extended_by_days == 60


def test_the_list_shows_open_investigations_oldest_first_with_their_deadline(cast, client_for):
    recent = record(cast, hours_ago=24 * 2)
    old = record(cast, hours_ago=24 * 70)
    closed_one = record(cast, hours_ago=24 * 100)
    west = record(cast, territory=cast.other_street, hours_ago=24 * 10)
    for accident in (recent, old, closed_one, west):
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    Investigation.objects.filter(accident=closed_one).update(status=InvestigationStatus.CLOSED)
    response = client_for(cast.safety_officer).get(LIST)
    rows = list(response.context["page_obj"])
    assert [i.accident for i in rows] == [old, west, recent]
    assert rows[0].is_overdue and rows[0].age_days == 70 and rows[0].days_overdue == 10
    assert rows[2].days_left == 58 and not rows[2].is_overdue
    content = response.content.decode()
    assert 'data-flag="overdue"' in content and 'data-days-left="58"' in content
    street = [i.accident for i in client_for(cast.street_officer).get(LIST).context["page_obj"]]
    assert street == [old, recent]


def test_the_list_runs_the_same_queries_for_few_and_many(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.accidents.models import Accident
    from anjian.accidents.tests.test_record_pages import bulk

    client = client_for(cast.safety_officer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    bulk(cast, 3)
    for accident in Accident.objects.filter(investigation__isnull=True):
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    few = count()
    bulk(cast, 30)
    for accident in Accident.objects.filter(investigation__isnull=True):
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    assert count() == few


def test_readers_get_no_forms_and_writers_outside_get_404(cast, client_for, accident):
    investigation = services.open_investigation(
        actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
    )
    leader = client_for(cast.leader)
    page = leader.get(detail(accident))
    assert page.status_code == 200 and page.context["step_forms"] == []
    assert leader.post(step(investigation, "cause"), {"cause": "x", "report": "y"}).status_code == 403
    assert leader.post(reverse("accidents:investigation_close", args=[investigation.pk])).status_code == 403
    for member in ("other_street_officer", "far_safety_officer", "audit_admin"):
        client = client_for(getattr(cast, member))
        assert client.post(step(investigation, "cause"), {"cause": "x", "report": "y"}).status_code == 404
        assert client.post(reverse("accidents:investigation_close", args=[investigation.pk])).status_code == 404
        assert (
            client.post(
                reverse("accidents:investigation_mark", args=[investigation.pk]), {"closure": "cause"}
            ).status_code
            == 404
        )
    assert client_for(cast.safety_officer).post(step(investigation, "unknown"), {}).status_code == 404
    anonymous = client_for(None).get(LIST)
    assert anonymous.status_code == 302
    investigation.refresh_from_db()
    assert investigation.cause == ""


def test_an_overdue_investigation_is_flagged_on_the_accident(cast, client_for, accident):
    services.open_investigation(actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t")
    with time_machine.travel(accident.occurred_at + datetime.timedelta(days=65)):
        page = client_for(cast.safety_officer).get(detail(accident)).content.decode()
    assert 'data-flag="overdue"' in page
