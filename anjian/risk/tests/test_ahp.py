"""AHP weights and consistency against published examples.

Source: T. L. Saaty, "How to make a decision: The Analytic Hierarchy Process", European Journal of Operational
Research 48 (1990) 9–26, the example of choosing a house:

* Table 2, the eight criteria (size, transportation, neighbourhood, age, yard space, modern facilities, general
  condition, financing): priorities .173 .054 .188 .018 .031 .036 .167 .333, λmax = 9.669, CI = 0.238,
  CR = 0.169 — published as too inconsistent (above 0.1), so the platform refuses it;
* the houses compared on yard space: priorities .674 .101 .226, λmax = 3.086, CI = 0.043, CR = 0.074 (accepted).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from anjian.inspections.testing import zh
from anjian.risk import ahp

HOUSE_CRITERIA = [
    ["1", "5", "3", "7", "6", "6", "1/3", "1/4"],
    ["1/5", "1", "1/3", "5", "3", "3", "1/5", "1/7"],
    ["1/3", "3", "1", "6", "3", "4", "6", "1/5"],
    ["1/7", "1/5", "1/6", "1", "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", "3", "1", "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", "4", "2", "1", "1/5", "1/6"],
    ["3", "5", "1/6", "7", "5", "5", "1", "1/2"],
    ["4", "7", "5", "8", "6", "6", "2", "1"],
]
YARD_SPACE = [["1", "5", "4"], ["1/5", "1", "1/3"], ["1/4", "3", "1"]]


def three(values) -> list[str]:
    return [f"{float(value):.3f}" for value in values]


def test_it_reproduces_saatys_yard_space_weights_and_accepts_them():
    result = ahp.weights(YARD_SPACE)
    assert three(result.weights) == ["0.674", "0.101", "0.226"]
    assert f"{result.lambda_max:.3f}" == "3.086"
    assert f"{result.ci:.3f}" == "0.043"
    assert f"{result.cr:.3f}" == "0.074"
    assert sum(result.weights) == Decimal(1)


def test_it_reproduces_saatys_house_criteria_and_refuses_them_as_inconsistent():
    result = ahp.analyse(HOUSE_CRITERIA)
    assert three(result.weights) == ["0.173", "0.054", "0.188", "0.018", "0.031", "0.036", "0.167", "0.333"]
    assert f"{result.lambda_max:.3f}" == "9.669"
    assert f"{result.ci:.3f}" == "0.238"
    assert f"{result.cr:.3f}" == "0.169"
    assert result.ri == 1.41
    with pytest.raises(ValidationError) as error:
        ahp.weights(HOUSE_CRITERIA)
    assert error.value.messages == [
        zh(
            "The judgements are not consistent enough: consistency ratio CR = %(cr)s, it must be below 0.1. "
            "Revise the comparisons."
        )
        % {"cr": "0.169"}
    ]


def test_it_treats_one_and_two_elements_as_consistent():
    one = ahp.weights([["1"]])
    assert one.weights == [Decimal(1)] and one.cr == 0
    two = ahp.weights([["1", "3"], ["1/3", "1"]])
    assert two.weights == [Decimal("0.75"), Decimal("0.25")] and two.cr == 0


def test_it_gives_a_consistent_matrix_exact_weights_and_zero_cr():
    result = ahp.weights([["1", "2", "4"], ["1/2", "1", "2"], ["1/4", "1/2", "1"]])
    assert three(result.weights) == ["0.571", "0.286", "0.143"]
    assert result.cr < 1e-9


@pytest.mark.parametrize(
    ("matrix", "message", "params"),
    [
        ([], "The comparison matrix is empty.", {}),
        (
            [["1", "3"], ["1/3"]],
            "The comparison matrix must be square: %(n)s rows of %(n)s judgements.",
            {"n": 2},
        ),
        (
            [["1", "10"], ["1/10", "1"]],
            "“%(value)s” is not on Saaty's scale: use 1 to 9 or their reciprocals 1/2 to 1/9.",
            {"value": "10"},
        ),
        ([["1", "x"], ["1", "1"]], "“%(value)s” is not a judgement of the 1–9 scale.", {"value": "x"}),
        ([["2", "1"], ["1", "1"]], "Each element compared with itself must be 1 (row %(row)s).", {"row": 1}),
        (
            [["1", "3"], ["3", "1"]],
            "Row %(i)s column %(j)s and row %(j)s column %(i)s must be reciprocal (like 3 and 1/3).",
            {"i": 1, "j": 2},
        ),
    ],
)
def test_it_refuses_malformed_matrices_in_chinese(matrix, message, params):
    with pytest.raises(ValidationError) as error:
        ahp.weights(matrix)
    assert error.value.messages == [zh(message) % params if params else zh(message)]
