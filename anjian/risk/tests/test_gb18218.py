"""GB 18218-2018 identification and grading (STANDARDS §3), computed by hand and pinned here: S, α, β, R and the
level bands, matching by CAS number and by name, Table 1 beating the category, unidentifiable lines; and the
service that writes the register, its receiver and its command."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.registry.models import ChemicalInventory, ChemicalUnit
from anjian.registry.services import set_chemical_inventory
from anjian.registry.standards import HAZARD_CATEGORY_CODES
from anjian.registry.testing import make_site
from anjian.risk import substances
from anjian.risk.installations import Basis, Catalogue, Entry, Line, evaluate_unit, identify_sites
from anjian.risk.models import HazardousSubstance, MajorHazardSource

STANDARD = Catalogue.from_standard()


def unit(*lines, people=100):
    return evaluate_unit(list(lines), people, STANDARD)


# --- the numbers of the standard ----------------------------------------------------------------------------


def test_it_has_the_critical_quantities_and_betas_of_tables_2_and_4():
    assert set(substances.TABLE2_Q) == set(HAZARD_CATEGORY_CODES)
    assert substances.TABLE2_Q["J1"] == 5 and substances.TABLE2_Q["J5"] == 500
    assert substances.TABLE2_Q["W1.1"] == 1 and substances.TABLE2_Q["W3"] == 150
    assert substances.TABLE2_Q["W5.3"] == 1000 and substances.TABLE2_Q["W5.4"] == 5000
    assert substances.TABLE2_Q["W11"] == 200
    betas = {code: substances.category_beta(code) for code in substances.TABLE2_Q}
    assert betas["J1"] == 4 and betas["J2"] == 1 and betas["J3"] == 2 and betas["J4"] == 2 and betas["J5"] == 1
    assert betas["W1.1"] == betas["W1.2"] == betas["W1.3"] == 2
    assert betas["W2"] == betas["W5.1"] == betas["W6.1"] == betas["W7.1"] == D("1.5")
    # Every other W category: 1.
    assert {betas[c] for c in ("W3", "W4", "W5.2", "W5.3", "W5.4", "W6.2", "W7.2", "W8", "W9.1", "W10", "W11")} == {1}
    assert substances.category_beta("W12") is None


def test_it_gives_the_named_toxic_gases_their_table_3_beta():
    expected = {
        "煤气（CO，CO和H₂、CH₄的混合物等）": 2,
        "二氧化硫": 2,
        "氨": 2,
        "环氧乙烷": 2,
        "氯化氢（无水）": 3,
        "溴甲烷": 3,
        "氯": 4,
        "硫化氢": 5,
        "氟化氢": 5,
        "二氧化氮": 10,
        "氰化氢": 10,
        "碳酰氯": 20,
        "磷化氢": 20,
        "异氰酸甲酯": 20,
    }
    table = {e.name: e.beta for e in substances.TABLE1 if e.beta is not None}
    assert table == {name: D(beta) for name, beta in expected.items()}
    # β reaches the result: 1 t of 光气 (Q 0.3) → q/Q 10/3, β 20 → β·q/Q 200/3.
    line = unit(Line("光气", D("1"))).lines[0]
    assert line.ratio == Fraction(10, 3) and line.beta == 20 and line.weighted == Fraction(200, 3)
    assert unit(Line("一氧化碳", D("20"))).lines[0].beta == 2  # an alias of 煤气
    assert unit(Line("硫化氢", D("1"))).lines[0].beta == 5


def test_it_identifies_liquid_chlorine_8_t_as_level_3():
    """液氯 8 t: Q 5 → S 1.6; β 4 → Σβq/Q 6.4; α 2.0 (≥ 100 people) → R 12.8: 三级."""
    result = unit(Line("液氯", D("8"), cas_number="7782-50-5"), people=150)
    assert result.s_exact == Fraction(8, 5) and result.s_value == D("1.6000")
    assert result.lines[0].critical_q == 5 and result.lines[0].beta == 4
    assert result.alpha == D("2.0") and not result.alpha_assumed
    assert result.r_exact == Fraction(64, 5)
    assert result.is_major and result.level == "3"


def test_it_sums_a_mixture_of_substances():
    """氨 6 t (Q 10, β 2) + 甲醇 300 t (Q 500, category W5.3 → β 1) + 氢 2 t (Q 5, W2 → β 1.5):
    S = 0.6 + 0.6 + 0.4 = 1.6; Σβq/Q = 1.2 + 0.6 + 0.6 = 2.4; 40 people → α 1.2 → R 2.88: 四级."""
    result = unit(
        Line("氨", D("6")),
        Line("甲醇", D("300"), hazard_category="W5.3"),
        Line("氢气", D("2"), hazard_category="W2"),
        people=40,
    )
    assert result.s_exact == Fraction(8, 5)
    assert [line.critical_q for line in result.lines] == [10, 500, 5]
    assert [line.beta for line in result.lines] == [2, 1, D("1.5")]
    assert result.r_exact == Fraction(288, 100)
    assert result.level == "4"


def test_it_uses_table_2_for_a_substance_listed_only_by_category():
    """An unnamed acute-toxic gas J1 3 t: Q 5 → q/Q 0.6 (not major); 4 t of another J1 adds 0.8 → S 1.4;
    β 4 → Σ 5.6; α 1.0 (10 people) → R 5.6: 四级."""
    result = unit(
        Line("某有毒气体", D("3"), hazard_category="J1"), Line("另一有毒气体", D("4"), hazard_category="J1"), people=10
    )
    assert all(line.basis == Basis.CATEGORY for line in result.lines)
    assert result.s_exact == Fraction(7, 5) and result.r_exact == Fraction(28, 5) and result.level == "4"


def test_a_table_1_substance_keeps_its_q_whatever_category_the_line_gives():
    """苯 is named in Table 1 (Q 50); recorded as W5.1 (Q 10) it still uses 50: 60 t → S 1.2, not 6."""
    result = unit(Line("苯", D("60"), cas_number="71-43-2", hazard_category="W5.1"))
    line = result.lines[0]
    assert line.basis == Basis.TABLE1 and line.critical_q == 50
    assert result.s_exact == Fraction(6, 5)
    # β still comes from the line's category (苯 is not a named toxic gas): W5.1 → 1.5.
    assert line.beta == D("1.5")


def test_it_matches_by_cas_number_before_the_name():
    line = unit(Line("某厂自称的名字", D("1"), cas_number="7664-41-7")).lines[0]
    assert line.entry.name == "氨" and line.critical_q == 10
    # Name with ASCII brackets and spaces still matches the catalogue's full-width spelling.
    assert unit(Line("氯化氢 (无水)", D("1"))).lines[0].entry.name == "氯化氢（无水）"


def test_a_cas_number_shared_by_two_grades_takes_the_smaller_q_and_says_so():
    line = unit(Line("硝酸铵", D("5"), cas_number="6484-52-2")).lines[0]
    assert line.critical_q == 5 and any("CAS" in note for note in line.notes)
    named = unit(Line("硝酸铵（含可燃物≤0.2%）", D("5"), cas_number="6484-52-2")).lines[0]
    assert named.critical_q == 50 and not any("CAS" in note for note in named.notes)


def test_it_reports_a_line_it_cannot_identify_instead_of_dropping_it():
    result = unit(Line("神秘物料", D("100")), Line("氯", D("5")))
    assert len(result.lines) == 2
    assert [line.identifiable for line in result.lines] == [False, True]
    assert result.unidentifiable[0].line.substance == "神秘物料" and result.unidentifiable[0].notes
    assert result.s_exact == 1  # the identifiable line alone
    bad_code = unit(Line("神秘物料", D("1"), hazard_category="W99")).lines[0]
    assert not bad_code.identifiable and "W99" in " ".join(bad_code.notes)


def test_it_assumes_beta_1_and_says_so_when_a_table_1_substance_has_no_category():
    # A catalogue entry whose category an administrator has cleared (the seeded one has W5.3).
    bare = Catalogue([Entry(None, "甲醇", D("500"), "67-56-1")])
    line = evaluate_unit([Line("甲醇", D("600"))], 100, bare).lines[0]
    assert line.beta == 1 and line.beta_assumed and line.notes


@pytest.mark.parametrize(
    ("people", "alpha"),
    [(0, "0.5"), (1, "1.0"), (29, "1.0"), (30, "1.2"), (49, "1.2"), (50, "1.5"), (99, "1.5"), (100, "2.0")],
)
def test_alpha_follows_the_people_within_500_m(people, alpha):
    result = unit(Line("氯", D("5")), people=people)
    assert result.alpha == D(alpha) and not result.alpha_assumed
    assert result.r_exact == Fraction(D(alpha)) * 4


def test_unknown_people_assume_the_conservative_alpha_and_say_so():
    result = unit(Line("氯", D("5")), people=None)
    assert result.alpha == D("2.0") and result.alpha_assumed


@pytest.mark.parametrize(("q", "major"), [("4.999", False), ("5", True)])
def test_s_just_below_1_is_not_major_and_exactly_1_is(q, major):
    result = unit(Line("氯", D(q)))
    assert result.is_major is major
    assert result.level == ("" if not major else "4")  # R = 2.0 · 4 · 1 = 8


def test_three_thirds_make_exactly_1_with_no_rounding():
    """Three lines of 光气 0.1 t (Q 0.3): q/Q = 1/3 each, S = 1 exactly (decimal division would give 0.999…),
    so the unit is major; β 20, α 1.0 → R 20: 三级."""
    result = unit(*[Line("光气", D("0.1"))] * 3, people=1)
    assert result.s_exact == 1 and result.is_major
    assert result.r_exact == 20 and result.level == "3"


@pytest.mark.parametrize(
    ("r", "level"),
    [("9.99", "4"), ("10", "3"), ("49.99", "3"), ("50", "2"), ("99.99", "2"), ("100", "1"), ("0.5", "4")],
)
def test_the_level_bands_are_closed_at_their_lower_end(r, level):
    assert substances.level_for(D(r)) == level


@pytest.mark.parametrize(
    ("q", "r", "level"),
    [
        ("12.4875", "9.99", "4"),
        ("12.5", "10", "3"),
        ("62.4875", "49.99", "3"),
        ("62.5", "50", "2"),
        ("124.9875", "99.99", "2"),
        ("125", "100", "1"),
    ],
)
def test_r_at_each_level_boundary_through_a_whole_unit(q, r, level):
    """氯 q t (Q 5, β 4) with 1–29 people (α 1.0): R = 4·q/5."""
    result = unit(Line("氯", D(q)), people=29)
    assert result.is_major
    assert result.r_exact == Fraction(D(r))
    assert result.level == level


# --- the catalogue, the service, the receiver, the command --------------------------------------------------


@pytest.fixture
def plant(cast):
    site = make_site(name="东化工", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")])
    return site


def _inventory(site, actor, rows):
    set_chemical_inventory(actor=actor, site=site, rows=rows)


def _row(unit_name, substance, q, cas="", category="", people=None, kind="storage"):
    return {
        "unit_name": unit_name,
        "unit_kind": kind,
        "people_within_500m": people,
        "substance": substance,
        "cas_number": cas,
        "hazard_category": category,
        "max_quantity_t": D(q),
    }


@pytest.mark.django_db
def test_the_seeded_catalogue_is_table_1_with_its_source_note():
    assert HazardousSubstance.objects.count() == len(substances.TABLE1)
    chlorine = HazardousSubstance.objects.get(name="氯")
    assert chlorine.critical_quantity_t == 5 and chlorine.beta == 4 and chlorine.in_table1
    assert "液氯" in chlorine.alias_list
    assert substances.CHECK_NOTE in chlorine.source
    assert not HazardousSubstance.objects.exclude(source__contains=substances.CHECK_NOTE).exists()


@pytest.mark.django_db
def test_saving_the_inventory_identifies_the_units_after_the_commit(cast, plant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _inventory(plant, cast.department_officer, [_row("1号罐区", "液氯", "8", "7782-50-5", people=150)])
    assert not MajorHazardSource.objects.exists()  # nothing before the commit
    assert callbacks  # the identification waits for the commit
    with django_capture_on_commit_callbacks(execute=True):
        _inventory(
            plant,
            cast.department_officer,
            [
                _row("1号罐区", "液氯", "8", "7782-50-5", people=150),
                _row("2号罐区", "甲醇", "100", "67-56-1", "W5.3", people=20),
            ],
        )
    rows = {row.unit.name: row for row in MajorHazardSource.objects.select_related("unit")}
    assert set(rows) == {"1号罐区"}  # 甲醇 100 t: S 0.2
    tank = rows["1号罐区"]
    assert (tank.s_value, tank.r_value, tank.alpha, tank.level) == (D("1.6"), D("12.8"), D("2.0"), "3")
    assert tank.site_id == plant.pk and tank.district_id == cast.district.pk and tank.people_within_500m == 150

    # Less chlorine: the unit is no longer major and its row goes.
    with django_capture_on_commit_callbacks(execute=True):
        _inventory(plant, cast.department_officer, [_row("1号罐区", "液氯", "4", "7782-50-5", people=150)])
    assert not MajorHazardSource.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_row_of_a_unit_that_stays_major_and_updates_it(cast, plant):
    tank = ChemicalUnit.objects.create(site=plant, name="罐区", kind="storage", people_within_500m=0)
    line = ChemicalInventory.objects.create(unit=tank, substance="氯", max_quantity_t=D("10"))
    identify_sites(site_ids=[plant.pk])
    first = MajorHazardSource.objects.get()
    assert first.alpha == D("0.5") and first.r_value == D("4") and first.level == "4"  # 0.5 · 4 · 10/5
    line.max_quantity_t = D("150")
    line.save()
    tank.people_within_500m = None
    tank.save()
    summary = identify_sites(site_ids=[plant.pk])
    again = MajorHazardSource.objects.get()
    assert again.pk == first.pk and again.identified_at == first.identified_at
    assert (again.alpha, again.r_value, again.level, again.alpha_assumed) == (D("2.0"), D("240"), "1", True)
    assert summary["updated"] == 1 and summary["created"] == 0


@pytest.mark.django_db
def test_identifying_every_place_runs_a_fixed_number_of_queries(cast, plant):
    def build(n):
        for i in range(n):
            tank = ChemicalUnit.objects.create(site=plant, name=f"罐{n}-{i}", kind="storage", people_within_500m=i)
            ChemicalInventory.objects.bulk_create(
                [
                    ChemicalInventory(unit=tank, substance="氯", max_quantity_t=D("6")),
                    ChemicalInventory(unit=tank, substance="甲醇", max_quantity_t=D("10"), hazard_category="W5.3"),
                ]
            )

    build(3)
    with CaptureQueriesContext(connection) as few:
        identify_sites()
    build(30)
    with CaptureQueriesContext(connection) as many:
        identify_sites()
    assert MajorHazardSource.objects.count() == 33
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_command_identifies_every_place(cast, plant, capsys):
    tank = ChemicalUnit.objects.create(site=plant, name="罐区", kind="storage", people_within_500m=5)
    ChemicalInventory.objects.create(unit=tank, substance="光气", max_quantity_t=D("1"))
    ChemicalInventory.objects.create(unit=tank, substance="不明物", max_quantity_t=D("1"))
    call_command("identify_major_hazards")
    row = MajorHazardSource.objects.get()
    assert row.level == "2"  # R = 1.0 · 20 · 10/3 = 66.67
    assert row.r_value == D("66.6667")
    out = capsys.readouterr().out
    assert "1" in out


@pytest.mark.django_db
def test_the_nightly_task_identifies_every_place(cast, plant):
    from anjian.risk.tasks import identify_all_major_hazards

    tank = ChemicalUnit.objects.create(site=plant, name="罐区", kind="storage", people_within_500m=30)
    ChemicalInventory.objects.create(unit=tank, substance="硫化氢", max_quantity_t=D("50"))
    summary = identify_all_major_hazards.delay().get()
    assert summary["created"] == 1
    # 硫化氢 50 t: S 10, β 5 → 50; α 1.2 → R 60: 二级.
    assert MajorHazardSource.objects.get().level == "2"


def test_aliases_split_on_the_chinese_pause_and_semicolons_but_never_on_commas():
    assert substances.split_aliases("液氯、氯气;氯；Cl2\n氯元素") == ["液氯", "氯气", "氯", "Cl2", "氯元素"]
    assert substances.split_aliases("1,3-丁二烯、丁二烯") == ["1,3-丁二烯", "丁二烯"]
    assert unit(Line("丁二烯", D("5"))).lines[0].entry.name == "1,3-丁二烯"
