"""Accident grades at and around every threshold of STANDARDS §4 (国务院令第493号 第三条), for each measure
alone and in combination, and re-grading after a casualty correction."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.accidents import services
from anjian.accidents.choices import AccidentCategory, AccidentGrade
from anjian.accidents.models import Accident, CasualtyCorrection
from anjian.accidents.standards import grade_for
from anjian.core.models import AuditEntry
from anjian.organizations.models import Sector

TEBIE, ZHONGDA, JIAODA, YIBAN = (  # 特别重大, 重大, 较大, 一般
    AccidentGrade.ESPECIALLY_SERIOUS,
    AccidentGrade.SERIOUS,
    AccidentGrade.RELATIVELY_SERIOUS,
    AccidentGrade.ORDINARY,
)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, YIBAN),
        (1, YIBAN),
        (2, YIBAN),
        (3, JIAODA),
        (4, JIAODA),
        (9, JIAODA),
        (10, ZHONGDA),
        (11, ZHONGDA),
        (29, ZHONGDA),
        (30, TEBIE),
        (31, TEBIE),
    ],
)
def test_deaths_alone(deaths, expected):
    assert grade_for(deaths=deaths, serious_injuries=0, direct_loss=0) == expected


@pytest.mark.parametrize(
    ("injuries", "expected"),
    [
        (0, YIBAN),
        (9, YIBAN),
        (10, JIAODA),
        (11, JIAODA),
        (49, JIAODA),
        (50, ZHONGDA),
        (51, ZHONGDA),
        (99, ZHONGDA),
        (100, TEBIE),
        (101, TEBIE),
    ],
)
def test_serious_injuries_alone(injuries, expected):
    assert grade_for(deaths=0, serious_injuries=injuries, direct_loss=0) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("0", YIBAN),
        ("9999999.99", YIBAN),
        ("10000000", JIAODA),
        ("10000000.01", JIAODA),
        ("49999999.99", JIAODA),
        ("50000000", ZHONGDA),
        ("99999999.99", ZHONGDA),
        ("100000000", TEBIE),
        ("100000000.01", TEBIE),
    ],
)
def test_direct_loss_alone(loss, expected):
    assert grade_for(deaths=0, serious_injuries=0, direct_loss=Decimal(loss)) == expected


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "expected"),
    [
        (2, 9, "9999999", YIBAN),  # every measure just below 较大
        (2, 10, "0", JIAODA),  # the injuries alone lift it
        (3, 0, "9999999", JIAODA),
        (9, 49, "49999999", JIAODA),  # every measure at the top of 较大
        (2, 50, "10000000", ZHONGDA),  # the highest measure decides
        (29, 99, "99999999", ZHONGDA),
        (0, 0, "100000000", TEBIE),
        (30, 0, "0", TEBIE),
        (1, 100, "1", TEBIE),
    ],
)
def test_the_highest_measure_decides_in_combination(deaths, injuries, loss, expected):
    assert grade_for(deaths=deaths, serious_injuries=injuries, direct_loss=Decimal(loss)) == expected


@pytest.fixture
def occurred():
    return datetime.datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI)


def record(cast, occurred, **extra):
    fields = {
        "district": cast.district,
        "territory": cast.street,
        "category": AccidentCategory.PRODUCTION,
        "sector": Sector.objects.get(code="industry_trade"),
        "accident_type": "machinery",
        "occurred_at": occurred,
        "reported_at": occurred + datetime.timedelta(minutes=40),
        "address": "东街道工业路1号",
        "summary": "冲压作业时手部被压伤",
        "deaths": 0,
        "serious_injuries": 1,
        **extra,
    }
    return services.record_accident(actor=cast.safety_officer, **fields)


@pytest.mark.django_db
class TestRecording:
    def test_it_grades_and_flags_a_late_report(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            on_time = record(cast, occurred)
            late = record(cast, occurred, reported_at=occurred + datetime.timedelta(minutes=61), deaths=3)
            exactly = record(cast, occurred, reported_at=occurred + datetime.timedelta(minutes=60))
        assert (on_time.grade, on_time.late_report) == (YIBAN, False)
        assert (late.grade, late.late_report) == (JIAODA, True)
        assert exactly.late_report is False  # within one hour includes the hour
        assert AuditEntry.objects.filter(action="accidents.accident.record").count() == 3

    def test_it_refuses_bad_input_in_chinese_and_saves_nothing(self, cast, occurred):
        with (
            time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False),
            pytest.raises(ValidationError) as caught,
        ):
            record(
                cast,
                occurred,
                reported_at=occurred - datetime.timedelta(minutes=5),
                sector=None,
                summary=" ",
                deaths=-1,
            )
        assert {"reported_at", "sector", "summary"} <= set(caught.value.message_dict)
        assert not Accident.objects.exists()

    def test_it_refuses_recorders_out_of_scope(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            for user in (cast.enterprise, cast.leader, cast.system_admin):
                with pytest.raises(PermissionDenied):
                    services.record_accident(
                        actor=user,
                        district=cast.district,
                        territory=cast.street,
                        category="fire",
                        accident_type="fire",
                        occurred_at=occurred,
                        reported_at=occurred,
                        address="东街道",
                        summary="火灾",
                    )
            with pytest.raises(PermissionDenied):
                services.record_accident(
                    actor=cast.other_street_officer,
                    district=cast.district,
                    territory=cast.street,
                    category="fire",
                    accident_type="fire",
                    occurred_at=occurred,
                    reported_at=occurred,
                    address="东街道",
                    summary="火灾",
                )
        assert not Accident.objects.exists()

    def test_a_correction_keeps_its_history_and_re_grades(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            accident = record(cast, occurred, deaths=2)
        assert accident.grade == YIBAN
        with time_machine.travel(occurred + datetime.timedelta(days=29), tick=False):
            correction = services.correct_casualties(
                actor=cast.street_officer, accident=accident, deaths=3, reason="一名重伤者医治无效死亡"
            )
        accident.refresh_from_db()
        assert accident.grade == JIAODA and accident.deaths == 3
        assert (correction.grade_before, correction.grade_after) == (YIBAN, JIAODA)
        assert correction.before["deaths"] == 2 and correction.after["deaths"] == 3
        entry = AuditEntry.objects.get(action="accidents.accident.correct")
        assert entry.before["grade"] == YIBAN and entry.after["grade"] == JIAODA

    def test_corrections_close_after_30_days_and_after_7_for_traffic_and_fire(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            production = record(cast, occurred)
            fire = record(cast, occurred, category=AccidentCategory.FIRE, sector=None, accident_type="fire")
        with time_machine.travel(occurred + datetime.timedelta(days=7, minutes=1), tick=False):
            with pytest.raises(ValidationError) as caught:
                services.correct_casualties(actor=cast.safety_officer, accident=fire, deaths=1, reason="补报")
            assert caught.value.code == "window_closed"
            services.correct_casualties(actor=cast.safety_officer, accident=production, deaths=1, reason="补报")
        with (
            time_machine.travel(occurred + datetime.timedelta(days=30, minutes=1), tick=False),
            pytest.raises(ValidationError),
        ):
            services.correct_casualties(actor=cast.safety_officer, accident=production, deaths=2, reason="补报")
        assert CasualtyCorrection.objects.count() == 1

    def test_a_correction_needs_a_reason_a_change_and_scope(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            accident = record(cast, occurred)
            with pytest.raises(ValidationError):
                services.correct_casualties(actor=cast.safety_officer, accident=accident, deaths=1, reason="")
            with pytest.raises(ValidationError):
                services.correct_casualties(
                    actor=cast.safety_officer, accident=accident, serious_injuries=1, reason="核实"
                )
            with pytest.raises(PermissionDenied):
                services.correct_casualties(actor=cast.other_street_officer, accident=accident, deaths=1, reason="核实")

    def test_each_scope_sees_its_accidents(self, cast, occurred):
        with time_machine.travel(occurred + datetime.timedelta(hours=3), tick=False):
            accident = record(cast, occurred)
        visible = {
            user.username: Accident.objects.visible_to(user).filter(pk=accident.pk).exists()
            for user in (
                cast.safety_officer,
                cast.leader,
                cast.city_admin,
                cast.street_officer,
                cast.department_officer,  # 应急管理局 supervises industry_trade
                cast.other_street_officer,
                cast.far_safety_officer,
                cast.enterprise,
                cast.audit_admin,
            )
        }
        assert visible == {
            "anban": True,
            "leader": True,
            "cityadmin": True,
            "street_in": True,
            "dept": True,
            "street_out": False,
            "far_anban": False,
            "enterprise": False,
            "auditor": False,
        }
