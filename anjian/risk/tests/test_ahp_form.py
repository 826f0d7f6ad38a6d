"""AHP judgements read strictly (Saaty's values, their reciprocals, or decimals equal to them as written), the
configuration form keeping what was typed when it refuses it, naming the refused cell and value, and saying
which value was read."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anjian.core.testing_shared import shared_fixture
from anjian.risk import ahp
from anjian.risk.models import RiskScheme, RiskUnit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("3", Fraction(3)),
        ("1/3", Fraction(1, 3)),
        ("1／7", Fraction(1, 7)),
        ("3.0", Fraction(3)),
        ("0.5", Fraction(1, 2)),
        ("0.25", Fraction(1, 4)),
        ("0.2", Fraction(1, 5)),
        ("0.125", Fraction(1, 8)),
        ("0.33", Fraction(1, 3)),
        ("0.333", Fraction(1, 3)),
        ("0.14", Fraction(1, 7)),
        ("0.111", Fraction(1, 9)),
        (0.5, Fraction(1, 2)),
        (0.333, Fraction(1, 3)),
    ],
)
def test_it_reads_scale_values_and_decimals_equal_to_them(typed, read):
    assert ahp.parse_entry(typed) == read


@pytest.mark.parametrize("typed", ["0.35", "0.15", "2.95", "0.3", "0.12", "10", "1/10", 2.95, "x", "nan", True])
def test_it_refuses_values_off_the_scale_instead_of_rounding_them(typed):
    with pytest.raises(ValidationError):
        ahp.parse_entry(typed)


@shared_fixture
def adopted(cast):
    from anjian.risk import city

    city.adopt_default_units(actor=cast.city_admin, city=cast.city)
    return cast


URL = reverse("risk:ranking_config")


def _ahp(**cells):
    judgements = {f"m_{i}_{j}": "1" for i in range(6) for j in range(i + 1, 6)}
    return {"action": "unit_weights", "method": "ahp", **judgements, **cells}


def test_a_refused_matrix_names_each_cell_and_keeps_what_was_typed(adopted, client_for):
    cast = adopted
    admin = client_for(cast.city_admin)
    page = admin.post(URL, _ahp(m_0_1="0.35", m_1_2="2.95", m_0_2="3"), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "第1行第2列（人员密集场所 : 城市公共设施）" in html and "“0.35”" in html
    assert "第2行第3列" in html and "“2.95”" in html
    assert 'name="m_0_1" value="0.35"' in html and 'name="m_0_2" value="3"' in html
    assert 'name="method" value="ahp" checked' in html
    assert RiskScheme.objects.filter(city=cast.city, unit_weighting="ahp").count() == 0
    # Direct weights refused (they do not add up to 1) come back as typed too.
    direct = {"action": "unit_weights", "method": "direct", "w_crowded_places": "0.7", "w_public_facilities": "0.1"}
    direct |= {
        "w_industry_hazchem": "0.1",
        "w_road_traffic": "0.1",
        "w_construction": "0.1",
        "w_natural_hazards": "0.1",
    }
    html = admin.post(URL, direct).content.decode()
    assert 'name="w_crowded_places" value="0.7"' in html
    assert RiskUnit.objects.get(city=cast.city, code="crowded_places").weight.normalize() == 0.25


def test_an_accepted_matrix_says_which_values_were_read(adopted, client_for):
    cast = adopted
    page = client_for(cast.city_admin).post(URL, _ahp(m_0_1="0.333", m_0_2="0.5"), follow=True)
    html = page.content.decode()
    assert "读取的判断值：" in html
    assert "人员密集场所 : 城市公共设施 = 1/3" in html and "人员密集场所 : 工业企业和危险化学品 = 1/2" in html
    assert RiskScheme.objects.get(city=cast.city).unit_weighting == "ahp"


def test_only_the_city_administrator_changes_the_weights(adopted, client_for):
    cast = adopted
    assert client_for(cast.safety_officer).post(URL, _ahp(m_0_1="3")).status_code == 403
    assert client_for(cast.street_officer).post(URL, _ahp(m_0_1="3")).status_code == 404
    assert client_for(None).post(URL, _ahp(m_0_1="3")).status_code == 302
