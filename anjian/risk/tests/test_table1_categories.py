"""Every GB 18218-2018 Table 1 entry carries its hazard category and β (Table 3 for the named toxic gases,
Table 4 by the category otherwise), as the standard module gives them and as the catalogue is seeded, so R and
the level are no longer computed with β = 1 "assumed"."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from anjian.risk import substances
from anjian.risk.installations import Catalogue, Line, evaluate_unit, identify_sites
from anjian.risk.models import HazardousSubstance, MajorHazardSource
from anjian.risk.tests.installation_places import add_unit

STANDARD = Catalogue.from_standard()
BY_NAME = {entry.name: entry for entry in substances.TABLE1}

# One entry of every category the seeded Table 1 uses, with the β it must carry.
ONE_OF_EACH = [
    ("二氟化氧", "J1", D("4")),
    ("丙酮氰醇", "J2", D("1")),
    ("甲醛（含量>90%）", "J3", D("2")),
    ("环氧氯丙烷", "J5", D("1")),
    ("三硝基甲苯", "W1.1", D("2")),
    ("液化石油气", "W2", D("1.5")),
    ("氧（压缩的或液化的）", "W4", D("1")),
    ("乙醚", "W5.1", D("1.5")),
    ("甲醇", "W5.3", D("1")),
    ("苯乙烯", "W5.4", D("1")),
    ("过氧化甲乙酮", "W7.1", D("1.5")),
    ("白磷", "W8", D("1")),
    ("氯酸钾", "W9.1", D("1")),
    ("硝酸钾", "W9.2", D("1")),
    ("碳化钙", "W11", D("1")),
]


def test_every_table_1_entry_has_a_category_of_table_2_and_a_beta():
    for entry in substances.TABLE1:
        assert entry.category in substances.TABLE2_Q, entry.name
        assert entry.seeded_beta is not None and entry.seeded_beta > 0, entry.name
    # The categories used are exactly those listed above: one test per category.
    assert {entry.category for entry in substances.TABLE1} == {category for _n, category, _b in ONE_OF_EACH} | {"J3"}


@pytest.mark.parametrize(("name", "category", "beta"), ONE_OF_EACH)
def test_one_entry_of_every_category_has_its_table_4_beta(name, category, beta):
    entry = BY_NAME[name]
    assert (entry.category, entry.seeded_beta) == (category, beta)
    assert substances.category_beta(category) == beta
    line = evaluate_unit([Line(name, entry.q)], 100, STANDARD).lines[0]
    assert line.beta == beta and not line.beta_assumed


def test_the_named_toxic_gases_keep_their_table_3_beta_over_the_category():
    chlorine = BY_NAME["氯"]
    assert chlorine.category == "J3" and chlorine.seeded_beta == 4  # Table 3, not J3's 2
    assert BY_NAME["碳酰氯"].seeded_beta == 20


def test_a_line_category_still_names_the_condition_held():
    # 苯 (W5.3, β 1) kept above its boiling point is recorded W5.1: β 1.5.
    assert evaluate_unit([Line("苯", D("60"), hazard_category="W5.1")], 100, STANDARD).lines[0].beta == D("1.5")
    assert evaluate_unit([Line("苯", D("60"))], 100, STANDARD).lines[0].beta == 1


def test_r_of_a_flammable_gas_unit_changes_with_its_beta():
    """液化石油气 60 t (Q 50) with 120 people: S = 1.2; R = 2.0 × 1.5 × 1.2 = 3.6 (β 1 assumed gave 2.4)."""
    result = evaluate_unit([Line("液化石油气", D("60"))], 120, STANDARD)
    assert result.s_exact == Fraction(6, 5)
    assert result.r_exact == Fraction(18, 5) and result.level == "4"
    # 三硝基甲苯 130 t (Q 5, W1.1 β 2), α 2: R = 2 × 2 × 26 = 104 → 一级 (β 1 assumed gave 52 → 二级).
    assert evaluate_unit([Line("三硝基甲苯", D("130"))], 120, STANDARD).level == "1"
    assert evaluate_unit([Line("三硝基甲苯", D("130"))], 120, Catalogue([])).lines[0].basis == "none"


@pytest.mark.django_db
def test_the_catalogue_is_seeded_with_categories_and_betas_and_an_installation_is_graded_with_them(cast):
    from anjian.registry.testing import make_site

    stored = {row.name: row for row in HazardousSubstance.objects.all()}
    assert len(stored) == len(substances.TABLE1)
    for name, category, beta in ONE_OF_EACH:
        assert (stored[name].hazard_category, stored[name].beta) == (category, beta), name
        assert "β 见表4" in stored[name].source and substances.CHECK_NOTE in stored[name].source
    assert stored["氯"].beta == 4 and "β 见表3" in stored["氯"].source
    assert not HazardousSubstance.objects.filter(hazard_category="").exists()
    assert not HazardousSubstance.objects.filter(beta__isnull=True).exists()

    site = make_site(name="炸药库", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")])
    tnt = add_unit(site, "炸药库房", [("TNT", "130", "118-96-7", "")], people=120)
    identify_sites(site_ids=[site.pk])
    row = MajorHazardSource.objects.get(unit=tnt)
    assert row.r_value == D("104.0000") and row.level == "1"


@pytest.mark.django_db
def test_the_data_migration_fills_existing_installs_and_keeps_an_administrators_corrections():
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("anjian.risk.migrations.0003_seed_substance_categories_and_beta")
    HazardousSubstance.objects.filter(name__in=["乙炔", "乙烯", "甲醇"]).update(hazard_category="", beta=None)
    HazardousSubstance.objects.filter(name="乙烯").update(edited_at=timezone.now(), beta=D("3"))
    HazardousSubstance.objects.filter(name="甲醇").update(edited_at=timezone.now(), hazard_category="W5.1")
    migration.seed(apps, None)
    rows = {row.name: row for row in HazardousSubstance.objects.filter(name__in=["乙炔", "乙烯", "甲醇"])}
    assert (rows["乙炔"].hazard_category, rows["乙炔"].beta) == ("W2", D("1.5"))
    assert (rows["乙烯"].hazard_category, rows["乙烯"].beta) == ("W2", D("3"))  # corrected β kept
    assert (rows["甲醇"].hazard_category, rows["甲醇"].beta) == ("W5.1", None)  # corrected category kept
