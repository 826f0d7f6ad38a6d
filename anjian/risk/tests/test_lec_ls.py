"""LEC and LS bands (STANDARDS §2) at and on both sides of every threshold, with the defaults and with a
district's edited bands; the assessment takes its worst point's colour."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.risk import services, standards
from anjian.risk.models import RiskAssessment, RiskBandThreshold, RiskPoint
from anjian.risk.tests.assessments import assess, committed, ls_point, place, point

D = Decimal

# (score, expected colour): each LEC interval is closed at its upper end.
LEC_DEFAULT = [
    (D("320.01"), "red"),
    (D("320"), "orange"),
    (D("319.99"), "orange"),
    (D("160.01"), "orange"),
    (D("160"), "yellow"),
    (D("159.99"), "yellow"),
    (D("70.01"), "yellow"),
    (D("70"), "blue"),
    (D("69.99"), "blue"),
    (D("0.05"), "blue"),
]
# LS: 20–25 red, 15–16 orange, 9–12 yellow, 1–8 blue.
LS_DEFAULT = [
    (25, "red"),
    (20, "red"),
    (19, "orange"),
    (16, "orange"),
    (15, "orange"),
    (14, "yellow"),
    (12, "yellow"),
    (9, "yellow"),
    (8, "blue"),
    (1, "blue"),
]


@pytest.mark.parametrize(("score", "level"), LEC_DEFAULT)
def test_it_colours_lec_scores_by_the_default_bands(score, level):
    assert standards.band_level("lec", score) == level


@pytest.mark.parametrize(("score", "level"), LS_DEFAULT)
def test_it_colours_ls_scores_by_the_default_bands(score, level):
    assert standards.band_level("ls", D(score)) == level


def test_it_pins_the_default_numbers():
    assert standards.DEFAULT_BANDS["lec"] == {"red": D("320"), "orange": D("160"), "yellow": D("70")}
    assert standards.DEFAULT_BANDS["ls"] == {"red": D("20"), "orange": D("15"), "yellow": D("9")}
    assert [v for v, _ in standards.LEC_LIKELIHOOD] == [D(x) for x in ("10", "6", "3", "1", "0.5", "0.2", "0.1")]
    assert [v for v, _ in standards.LEC_EXPOSURE] == [D(x) for x in ("10", "6", "3", "2", "1", "0.5")]
    assert [v for v, _ in standards.LEC_CONSEQUENCE] == [D(x) for x in ("100", "40", "15", "7", "3", "1")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factors", "score", "level"),
    [
        ({"lec_l": "10", "lec_e": "6", "lec_c": "7"}, D("420"), "red"),
        ({"lec_l": "10", "lec_e": "2", "lec_c": "15"}, D("300"), "orange"),
        ({"lec_l": "6", "lec_e": "3", "lec_c": "7"}, D("126"), "yellow"),
        ({"lec_l": "1", "lec_e": "10", "lec_c": "7"}, D("70"), "blue"),
        ({"lec_l": "0.1", "lec_e": "0.5", "lec_c": "1"}, D("0.05"), "blue"),
    ],
)
def test_it_computes_d_and_the_colour_of_an_lec_point(cast, factors, score, level):
    site = place(cast)
    assessment = services.assess_site(
        actor=cast.safety_officer,
        site=site,
        assessed_on=timezone.localdate(),
        points=[{"name": "储罐区动火", "accident_type": "fire", "method": "lec", **factors}],
    )
    saved = assessment.points.get()
    assert (saved.score, saved.level, assessment.level) == (score, level, level)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("l_value", "s_value", "level"),
    [(5, 4, "red"), (4, 4, "orange"), (5, 3, "orange"), (3, 4, "yellow"), (2, 4, "blue")],
)
def test_it_computes_r_and_the_colour_of_an_ls_point(cast, l_value, s_value, level):
    assessment = services.assess_site(
        actor=cast.safety_officer,
        site=place(cast),
        assessed_on=timezone.localdate(),
        points=[ls_point(l_value, s_value)],
    )
    saved = assessment.points.get()
    assert saved.score == D(l_value * s_value)
    assert saved.level == level


@pytest.mark.django_db
def test_it_gives_the_assessment_its_worst_points_colour(cast):
    assessment = services.assess_site(
        actor=cast.safety_officer,
        site=place(cast),
        assessed_on=timezone.localdate(),
        points=[point("blue"), point("orange"), ls_point(3, 3)],
    )
    assert assessment.level == "orange"
    assert sorted(assessment.points.values_list("level", flat=True)) == ["blue", "orange", "yellow"]


@pytest.mark.django_db
def test_it_keeps_old_assessments_and_the_latest_is_current(cast):
    site = place(cast)
    first = assess(cast, site, "red", days_ago=30)
    second = assess(cast, site, "blue")
    assert list(RiskAssessment.objects.filter(site=site).latest_first()) == [second, first]
    site.refresh_from_db()
    assert site.risk_level == "blue"


def edit_bands(cast, lec=("400", "200", "100"), ls=("16", "12", "6")):
    with committed():
        return services.set_band_thresholds(
            actor=cast.safety_officer,
            district=cast.district,
            bands={
                "lec": dict(zip(("red", "orange", "yellow"), lec, strict=True)),
                "ls": dict(zip(("red", "orange", "yellow"), ls, strict=True)),
            },
        )


@pytest.mark.django_db
def test_it_uses_the_districts_edited_lec_bands(cast):
    edit_bands(cast)
    bands = services.district_bands(cast.district.pk)
    cases = [
        (D("400.01"), "red"),
        (D("400"), "orange"),
        (D("200.01"), "orange"),
        (D("200"), "yellow"),
        (D("100.01"), "yellow"),
        (D("100"), "blue"),
        (D("99.99"), "blue"),
    ]
    assert [standards.band_level("lec", score, bands["lec"]) for score, _ in cases] == [lv for _, lv in cases]
    # Through the service: D = 10 × 6 × 7 = 420 is red, 6 × 6 × 7 = 252 orange, 3 × 6 × 7 = 126 yellow.
    site = place(cast)
    assessment = services.assess_site(
        actor=cast.safety_officer,
        site=site,
        assessed_on=timezone.localdate(),
        points=[point("red"), point("orange", name="b"), point("yellow", name="c"), point("blue", name="d")],
    )
    assert list(assessment.points.order_by("id").values_list("level", flat=True)) == ["red", "orange", "yellow", "blue"]


@pytest.mark.django_db
def test_it_uses_the_districts_edited_ls_bands(cast):
    edit_bands(cast)
    bands = services.district_bands(cast.district.pk)["ls"]
    cases = [(16, "red"), (15, "orange"), (12, "orange"), (10, "yellow"), (6, "yellow"), (5, "blue")]
    assert [standards.band_level("ls", D(score), bands) for score, _ in cases] == [lv for _, lv in cases]
    assessment = services.assess_site(
        actor=cast.safety_officer, site=place(cast), assessed_on=timezone.localdate(), points=[ls_point(4, 4)]
    )
    assert assessment.level == "red"
    # Another district keeps the defaults.
    assert services.district_bands(cast.other_district.pk)["ls"]["red"] == D("20")


@pytest.mark.django_db
def test_editing_the_bands_recolours_recorded_assessments_and_the_current_level(cast):
    site = place(cast)
    assessment = assess(cast, site, "orange")  # D = 252
    site.refresh_from_db()
    assert site.risk_level == "orange"
    with pytest.raises(ValidationError):
        edit_bands(cast, lec=("100", "200", "300"))
    edit_bands(cast, lec=("400", "300", "100"))
    assessment.refresh_from_db()
    site.refresh_from_db()
    assert assessment.level == "yellow"
    assert assessment.points.get().level == "yellow"
    assert site.risk_level == "yellow"


@pytest.mark.django_db
def test_it_refuses_bad_bands_and_changes_nothing(cast):
    for lec in (("100", "200", "300"), ("abc", "200", "100"), ("0", "-1", "-2"), ("NaN", "2", "1")):
        with pytest.raises(ValidationError):
            edit_bands(cast, lec=lec)
    assert not RiskBandThreshold.objects.exists()


@pytest.mark.django_db
def test_only_the_safety_office_and_city_staff_edit_bands(cast):
    for user in (cast.street_officer, cast.department_officer, cast.leader, cast.enterprise, cast.far_safety_officer):
        with pytest.raises(PermissionDenied):
            services.set_band_thresholds(actor=user, district=cast.district, bands={})
    services.set_band_thresholds(
        actor=cast.city_admin,
        district=cast.district,
        bands={"lec": {"red": 330, "orange": 160, "yellow": 70}, "ls": {"red": 20, "orange": 15, "yellow": 9}},
    )
    assert services.district_bands(cast.district.pk)["lec"]["red"] == D("330")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"method": "lec", "lec_l": "7", "lec_e": "6", "lec_c": "7"},  # 7 is not an L of LEC
        {"method": "lec", "lec_l": "6", "lec_e": "", "lec_c": "7"},
        {"method": "ls", "ls_l": 6, "ls_s": 1},
        {"method": "xyz"},
        {"method": "lec", "lec_l": "6", "lec_e": "6", "lec_c": "7", "accident_type": "nope"},
        {"method": "lec", "lec_l": "6", "lec_e": "6", "lec_c": "7", "name": "  "},
    ],
)
def test_it_refuses_a_bad_point_and_saves_nothing(cast, bad):
    data = {"name": "点", "accident_type": "fire", **bad}
    with pytest.raises(ValidationError) as caught:
        services.assess_site(
            actor=cast.safety_officer, site=place(cast), assessed_on=timezone.localdate(), points=[point("red"), data]
        )
    assert "points" in caught.value.message_dict
    assert not RiskAssessment.objects.exists()
    assert not RiskPoint.objects.exists()
