"""The accident pages: the list (filters, badges, constant queries), its .xlsx export (exactly the filtered
scoped list, formulas escaped), the record form (a place searched in the registry or an address; the grade
computed, never typed; Chinese errors and nothing saved), the detail with its corrections."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.accidents import services
from anjian.accidents.choices import AccidentCategory, AccidentGrade
from anjian.accidents.models import Accident, CasualtyCorrection
from anjian.core.models import AuditEntry
from anjian.inspections.testing import loop_place, zh
from anjian.organizations.models import Sector
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

LIST = reverse("accidents:accident_list")
EXPORT = reverse("accidents:accident_export")
NEW = reverse("accidents:accident_create")
SEARCH = reverse("accidents:place_search")


def record(cast, *, actor=None, hours_ago: float = 5, report_minutes: int = 30, **extra) -> Accident:
    """An accident in the cast's street (东街道), industry_trade unless told otherwise."""
    occurred = timezone.now() - datetime.timedelta(hours=hours_ago)
    fields = {
        "district": cast.district,
        "territory": cast.street,
        "category": AccidentCategory.PRODUCTION,
        "sector": Sector.objects.get(code="industry_trade"),
        "accident_type": "machinery",
        "occurred_at": occurred,
        "reported_at": occurred + datetime.timedelta(minutes=report_minutes),
        "address": "东街道工业路1号",
        "summary": "冲压作业时手部被压伤",
        "serious_injuries": 1,
        **extra,
    }
    return services.record_accident(actor=actor or cast.safety_officer, **fields)


def bulk(cast, count: int, *, territory=None, sector="hazchem") -> None:
    """Many accidents at once (the query-count tests), each with a place and an open investigation for some."""
    site = make_site(district=cast.district, territory=territory or cast.street, sectors=((sector, ""),), name="批量")
    now = timezone.now()
    Accident.objects.bulk_create(
        Accident(
            district=cast.district,
            territory=territory or cast.street,
            site=site,
            sector_id=sector,
            category=AccidentCategory.PRODUCTION,
            accident_type="fire",
            occurred_at=now - datetime.timedelta(days=n + 1),
            reported_at=now - datetime.timedelta(days=n + 1),
            late_report=n % 2 == 0,
            address=f'=HYPERLINK("x") {n}',
            summary="批量事故",
            deaths=n % 4,
            grade=AccidentGrade.RELATIVELY_SERIOUS if n % 4 == 3 else AccidentGrade.ORDINARY,
            created_by=cast.safety_officer,
        )
        for n in range(count)
    )


def form_data(cast, **extra) -> dict:
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    data = {
        "address": "东街道建设路8号工地",
        "territory": cast.street.pk,
        "category": AccidentCategory.PRODUCTION,
        "sector": "construction",
        "accident_type": "fall",
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "reported_at": (occurred + datetime.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
        "deaths": "3",
        "serious_injuries": "0",
        "minor_injuries": "2",
        "missing": "0",
        "direct_loss": "120000",
        "summary": "脚手架坍塌，三名工人坠落死亡",
    }
    data.update(extra)
    return data


# --- the list -------------------------------------------------------------------------------------


def test_it_lists_the_accidents_with_grade_and_late_badges(cast, client_for):
    late = record(cast, report_minutes=61, deaths=3)
    simple = record(
        cast, category=AccidentCategory.ROAD_TRAFFIC_SIMPLE, sector=None, accident_type="vehicle", serious_injuries=0
    )
    response = client_for(cast.street_officer).get(LIST)
    assert response.status_code == 200
    assert {a.pk for a in response.context["page_obj"]} == {late.pk, simple.pk}
    content = response.content.decode()
    assert 'data-grade="relatively_serious"' in content
    assert 'data-flag="late"' in content
    assert 'data-flag="kept-apart"' in content
    assert zh("Record an accident") in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "fire"}, {"fire"}),
        ({"grade": "relatively_serious"}, {"dead"}),
        ({"late_report": "true"}, {"dead"}),
        ({"late_report": "false"}, {"fire", "road", "investigated"}),
        ({"q": "仓库"}, {"fire"}),
        ({"accident_type": "vehicle"}, {"road"}),
        ({"sector": "hazchem"}, {"investigated"}),
        ({"open_investigation": "true"}, {"investigated"}),
        ({"open_investigation": "false"}, {"fire", "road", "dead"}),
    ],
)
def test_each_filter_narrows_the_list(cast, client_for, params, expected):
    made = {
        "fire": record(cast, category="fire", sector=None, accident_type="fire", address="东街道仓库"),
        "road": record(cast, category="road_traffic", sector=None, accident_type="vehicle"),
        "dead": record(cast, deaths=3, report_minutes=90),
        "investigated": record(cast, sector=Sector.objects.get(code="hazchem"), accident_type="poisoning"),
    }
    services.open_investigation(
        actor=cast.safety_officer, accident=made["investigated"], lead_unit=cast.safety_office, team="区安办"
    )
    response = client_for(cast.safety_officer).get(LIST, params)
    names = {name for name, accident in made.items() if accident in response.context["page_obj"]}
    assert names == expected


def test_it_filters_by_date_range_and_street(cast, client_for):
    old = record(cast, hours_ago=24 * 40)
    recent = record(cast)
    west = record(cast, territory=cast.other_street)
    client = client_for(cast.safety_officer)
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    listed = set(client.get(LIST, {"occurred_after": since}).context["page_obj"])
    assert old not in listed and {recent, west} <= listed
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert list(client.get(LIST, {"occurred_before": until}).context["page_obj"]) == [old]
    assert list(client.get(LIST, {"territory": cast.other_street.pk}).context["page_obj"]) == [west]


def test_an_invalid_filter_shows_its_error_and_no_rows(cast, client_for):
    record(cast)
    response = client_for(cast.safety_officer).get(LIST, {"occurred_after": "abc"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert response.context["form"].errors


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [LIST, EXPORT])
@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer"])
def test_the_list_and_export_run_the_same_queries_for_3_and_40_accidents(cast, client_for, member, url):
    client = client_for(getattr(cast, member))
    bulk(cast, 3)
    accidents = list(Accident.objects.order_by("id")[:2])
    for accident in accidents:
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    few = _count(client, url, {"late_report": "false"})
    bulk(cast, 37)
    for accident in Accident.objects.filter(investigation__isnull=True).order_by("id")[:10]:
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    many = _count(client, url, {"late_report": "false"})
    assert few == many


# --- the export --------------------------------------------------------------------------------------


def _sheet(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]


def test_the_export_holds_exactly_the_filtered_list_with_formulas_escaped(cast, client_for):
    bulk(cast, 4)
    fire = record(cast, category="fire", sector=None, accident_type="fire", address="东街道仓库")
    response = client_for(cast.safety_officer).get(EXPORT, {"late_report": "true"})
    assert response.status_code == 200
    rows = list(_sheet(response).iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[0][7] == "事故等级"
    listed = {row[0] for row in rows[1:]}
    expected = set(Accident.objects.filter(late_report=True).values_list("pk", flat=True))
    assert listed == expected and fire.pk not in listed
    addresses = [row[11] for row in rows[1:]]
    assert all(address.startswith("'=") for address in addresses)
    entry = AuditEntry.objects.get(action="accidents.accident.export")
    assert entry.after["rows"] == len(expected)
    assert entry.after["filters"] == {"late_report": ["true"]}


# --- the record form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer", "city_admin"])
def test_supervising_officers_get_the_form(cast, client_for, member):
    response = client_for(getattr(cast, member)).get(NEW)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="grade"' not in content  # never typed
    assert 'hx-get="' + SEARCH in content
    assert "<option" not in content.split('name="territory"')[0].split("<select")[-1]  # no select of places


@pytest.mark.parametrize(("member", "status"), [("enterprise", 403), ("leader", 403), ("system_admin", 404)])
def test_enterprises_leaders_and_administrators_get_no_form(cast, client_for, member, status):
    client = client_for(getattr(cast, member))
    assert client.get(NEW).status_code == status
    assert client.post(NEW, form_data(cast)).status_code == status
    assert client.get(SEARCH, {"place_q": "仓库"}).status_code == status
    assert not Accident.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client_for):
    client = client_for(None)
    for url in (LIST, EXPORT, NEW, SEARCH):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_records_an_accident_at_an_address_with_its_grade_and_late_flag(cast, client_for):
    response = client_for(cast.street_officer).post(NEW, form_data(cast))
    accident = Accident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "accidents:accident_detail", args=[accident.pk]
    )
    assert (accident.grade, accident.late_report, accident.territory) == (
        AccidentGrade.RELATIVELY_SERIOUS,
        True,
        cast.street,
    )
    assert accident.direct_loss == Decimal("120000") and accident.sector_id == "construction"
    page = client_for(cast.street_officer).get(response["Location"]).content.decode()
    assert zh("Relatively serious accident") in page
    assert 'data-testid="late-flag"' in page


def test_it_records_an_accident_at_a_place_found_by_search(cast, client_for):
    place = loop_place(cast)
    far = make_site(district=cast.other_district, territory=cast.far_street, name="北街化工仓库")
    client = client_for(cast.street_officer)
    results = client.get(SEARCH, {"place_q": "化工"}).content.decode()
    assert f'value="{place.pk}"' in results and f'value="{far.pk}"' not in results
    prefilled = client.get(NEW, {"site": place.pk}).content.decode()
    assert f'value="{place.pk}" checked' in prefilled
    response = client.post(
        NEW, form_data(cast, site=place.pk, address="", territory="", category="fire", sector="", accident_type="fire")
    )
    assert response.status_code == 302
    accident = Accident.objects.get()
    assert (accident.site, accident.territory, accident.address) == (place, cast.street, place.address)


def test_a_place_out_of_scope_is_refused(cast, client_for):
    far = make_site(district=cast.other_district, territory=cast.far_street, name="北街仓库")
    response = client_for(cast.street_officer).post(NEW, form_data(cast, site=far.pk))
    assert response.status_code == 200
    assert zh("Choose a place you supervise.") in response.content.decode()
    assert not Accident.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "msgid"),
    [
        ({"sector": ""}, "sector", "A production safety accident needs its sector."),
        ({"summary": "  "}, "summary", "This field is required."),
        ({"address": "", "territory": ""}, "address", "Give the place from the registry or an address."),
        ({"deaths": "-1"}, "deaths", "Ensure this value is greater than or equal to %(limit_value)s."),
        ({"deaths": "2.5"}, "deaths", "Enter a whole number."),
        ({"deaths": "99999999999"}, "deaths", "Ensure this value is less than or equal to %(limit_value)s."),
        ({"occurred_at": "昨天"}, "occurred_at", "Enter a valid date/time."),
        ({"category": "made_up"}, "category", "Select a valid choice. %(value)s is not one of the available choices."),
    ],
)
def test_bad_input_gets_a_chinese_error_and_saves_nothing(cast, client_for, changes, field, msgid):
    response = client_for(cast.safety_officer).post(NEW, form_data(cast, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    expected = zh(msgid).split("%")[0].strip()
    assert any(expected in error for error in form.errors[field])
    assert not Accident.objects.exists()


def test_a_report_before_the_accident_and_a_future_accident_are_refused(cast, client_for):
    later = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    earlier = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client = client_for(cast.safety_officer)
    response = client.post(NEW, form_data(cast, reported_at=earlier))
    assert zh("The report cannot come before the accident.") in response.context["form"].errors["reported_at"]
    response = client.post(NEW, form_data(cast, occurred_at=later, reported_at=later))
    assert zh("The accident cannot have happened in the future.") in response.context["form"].errors["occurred_at"]
    assert not Accident.objects.exists()


def test_an_officer_cannot_record_an_accident_of_another_street(cast, client_for):
    response = client_for(cast.street_officer).post(NEW, form_data(cast, territory=cast.other_street.pk))
    assert response.status_code == 200
    assert "territory" in response.context["form"].errors  # only their own street is offered
    response = client_for(cast.department_officer).post(NEW, form_data(cast))  # construction: not the bureau's
    assert response.status_code == 200
    assert zh("This accident is outside your jurisdiction.") in response.content.decode()
    assert not Accident.objects.exists()


# --- the detail and its corrections ------------------------------------------------------------------


def test_the_detail_shows_the_facts_and_a_correction_keeps_its_history(cast, client_for):
    accident = record(cast, deaths=2)
    client = client_for(cast.street_officer)
    url = reverse("accidents:accident_detail", args=[accident.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["correction_form"] is not None
    response = client.post(
        reverse("accidents:accident_correct", args=[accident.pk]), {"deaths": "3", "reason": "一名伤者医治无效死亡"}
    )
    assert response.status_code == 302
    accident.refresh_from_db()
    assert (accident.deaths, accident.serious_injuries, accident.grade) == (3, 1, AccidentGrade.RELATIVELY_SERIOUS)
    content = client.get(url).content.decode()
    assert "一名伤者医治无效死亡" in content
    assert 'data-grade-after="relatively_serious"' in content
    assert zh("Ordinary accident") in content


def test_a_correction_needs_a_reason_and_closes_after_the_window(cast, client_for):
    accident = record(cast, category="fire", sector=None, accident_type="fire")
    client = client_for(cast.safety_officer)
    correct = reverse("accidents:accident_correct", args=[accident.pk])
    response = client.post(correct, {"deaths": "1", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["correction_form"].errors
    with time_machine.travel(accident.occurred_at + datetime.timedelta(days=7, minutes=1)):
        client = client_for(cast.safety_officer)  # the session of a week ago has expired
        page = client.get(reverse("accidents:accident_detail", args=[accident.pk]))
        assert page.context["correction_form"] is None
        assert 'data-testid="correction-closed"' in page.content.decode()
        response = client.post(correct, {"deaths": "1", "reason": "补报"})
        assert response.status_code == 200
        assert "7" in response.content.decode()
    assert not CasualtyCorrection.objects.exists()


def test_leaders_read_the_detail_without_forms_and_cannot_correct(cast, client_for):
    accident = record(cast)
    client = client_for(cast.leader)
    page = client.get(reverse("accidents:accident_detail", args=[accident.pk]))
    assert page.status_code == 200
    assert page.context["correction_form"] is None and page.context["open_form"] is None
    response = client.post(reverse("accidents:accident_correct", args=[accident.pk]), {"deaths": "1", "reason": "x"})
    assert response.status_code == 403
