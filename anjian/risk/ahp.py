"""Weights from a pairwise-comparison matrix by the analytic hierarchy process (AHP, Saaty).

Each entry aᵢⱼ says how much more element i matters than element j on Saaty's 1–9 scale (1 equal, 3 moderate,
5 strong, 7 very strong, 9 extreme, the even numbers between) or a reciprocal 1/2 … 1/9; aⱼᵢ = 1/aᵢⱼ and aᵢᵢ = 1.
The weights are the principal eigenvector (found by power iteration), normalised to sum 1;
CI = (λmax − n)/(n − 1), CR = CI/RI with Saaty's random index RI; a matrix with CR ≥ 0.1 is refused, and a
matrix of one or two elements is consistent by construction (CR 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Saaty's random consistency index (Saaty 1980, The Analytic Hierarchy Process, Table 1.7; n = 11–15 from
# Saaty 2000): the mean CI of random reciprocal matrices of each size.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
MAX_SIZE = max(RANDOM_INDEX)
CR_LIMIT = 0.1  # Saaty: judgements with CR ≥ 0.1 are to be revised
SCALE = frozenset(Fraction(n) for n in range(1, 10)) | frozenset(Fraction(1, n) for n in range(2, 10))
WEIGHT_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class AhpResult:
    weights: list[Decimal]  # four decimals, summing exactly to 1
    lambda_max: float
    ci: float
    ri: float
    cr: float


def _scale_value(number: Decimal) -> Fraction | None:
    """The scale value a decimal stands for: itself when it is one exactly (3, 0.5, 0.25, 0.2, 0.125), or the
    reciprocal 1/n it equals when 1/n is rounded half-up to the decimals written, two or more (0.33 and 0.333
    are 1/3, 0.14 is 1/7). Anything else (0.35, 0.15, 2.95) stands for no value of the scale: None."""
    exact = Fraction(number)
    if exact in SCALE:
        return exact
    places = -number.as_tuple().exponent
    if places >= 2:
        step = Decimal(1).scaleb(-places)
        for n in range(2, 10):
            if (Decimal(1) / Decimal(n)).quantize(step, rounding=ROUND_HALF_UP) == number:
                return Fraction(1, n)
    return None


def parse_entry(value) -> Fraction:
    """One judgement of Saaty's scale: "3", "1/5", or a decimal equal to a scale value as written (0.5, 0.25,
    0.33 or 0.333 for 1/3); anything else is refused, never rounded to the nearest value (0.35 is not 1/3)."""
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” is not a judgement of the 1–9 scale.") % {"value": value})
    text = repr(value) if isinstance(value, float) else str(value).strip().replace("／", "/")
    try:
        if "/" in text:
            entry = Fraction(text)
        else:
            number = Decimal(text)
            if not number.is_finite():
                raise ValueError(text)
            entry = _scale_value(number)
    except (ValueError, ZeroDivisionError, TypeError, ArithmeticError):
        raise ValidationError(_("“%(value)s” is not a judgement of the 1–9 scale.") % {"value": value}) from None
    if entry is None or entry not in SCALE:
        raise ValidationError(
            _("“%(value)s” is not on Saaty's scale: use 1 to 9 or their reciprocals 1/2 to 1/9.") % {"value": value}
        )
    return entry


def parse_matrix(rows) -> list[list[Fraction]]:
    """A square reciprocal matrix of judgements with ones on the diagonal."""
    if not isinstance(rows, list | tuple) or not rows:
        raise ValidationError(_("The comparison matrix is empty."))
    n = len(rows)
    if n > MAX_SIZE:
        raise ValidationError(_("AHP compares at most %(n)s elements.") % {"n": MAX_SIZE})
    if any(not isinstance(row, list | tuple) or len(row) != n for row in rows):
        raise ValidationError(_("The comparison matrix must be square: %(n)s rows of %(n)s judgements.") % {"n": n})
    matrix = [[parse_entry(value) for value in row] for row in rows]
    for i in range(n):
        if matrix[i][i] != 1:
            raise ValidationError(_("Each element compared with itself must be 1 (row %(row)s).") % {"row": i + 1})
        for j in range(i + 1, n):
            if matrix[i][j] * matrix[j][i] != 1:
                raise ValidationError(
                    _("Row %(i)s column %(j)s and row %(j)s column %(i)s must be reciprocal (like 3 and 1/3).")
                    % {"i": i + 1, "j": j + 1}
                )
    return matrix


def _round_weights(values: list[float]) -> list[Decimal]:
    """Four decimals that add up to exactly 1 (the rounding remainder goes to the largest weight)."""
    weights = [Decimal(repr(v)).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP) for v in values]
    remainder = Decimal(1) - sum(weights)
    if remainder:
        largest = max(range(len(weights)), key=lambda k: weights[k])
        weights[largest] += remainder
    return weights


def analyse(rows, *, iterations: int = 1000, tolerance: float = 1e-12) -> AhpResult:
    """Weights, λmax, CI, RI and CR of a comparison matrix, without judging the CR."""
    matrix = [[float(entry) for entry in row] for row in parse_matrix(rows)]
    n = len(matrix)
    vector = [1.0 / n] * n
    # Power iteration: a positive reciprocal matrix has a simple dominant eigenvalue (Perron), so it converges.
    for _step in range(iterations):
        product = [sum(matrix[i][j] * vector[j] for j in range(n)) for i in range(n)]
        total = sum(product)
        following = [value / total for value in product]
        converged = max(abs(a - b) for a, b in zip(following, vector, strict=True)) < tolerance
        vector = following
        if converged:
            break
    product = [sum(matrix[i][j] * vector[j] for j in range(n)) for i in range(n)]
    lambda_max = sum(product[i] / vector[i] for i in range(n)) / n
    if n <= 2:
        ci = ri = cr = 0.0
    else:
        ci = max((lambda_max - n) / (n - 1), 0.0)
        ri = RANDOM_INDEX[n]
        cr = ci / ri
    return AhpResult(weights=_round_weights(vector), lambda_max=lambda_max, ci=ci, ri=ri, cr=cr)


def weights(rows) -> AhpResult:
    """The weights of an acceptably consistent matrix; a CR of 0.1 or more is refused with its value."""
    result = analyse(rows)
    if result.cr >= CR_LIMIT:
        raise ValidationError(
            _(
                "The judgements are not consistent enough: consistency ratio CR = %(cr)s, it must be below 0.1. "
                "Revise the comparisons."
            )
            % {"cr": f"{result.cr:.3f}"}
        )
    return result
