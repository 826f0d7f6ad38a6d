"""The numbers of risk grading (STANDARDS §2), in one place, pinned by boundary tests.

LEC (作业条件危险性评价法): D = L × E × C. LS (风险矩阵): R = L × S, L and S each 1–5.

The colour bands are stored per district (:class:`anjian.risk.models.RiskBandThreshold`) because provinces
differ; the values here are the defaults a district starts from. A band is given by its lower bound:
LEC bounds are exclusive ("each interval closed at its upper end": D > 320 is red, 320 is orange), LS bounds
are inclusive (20–25 red, so R ≥ 20). Blue is whatever lies below yellow.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskMethod(models.TextChoices):
    LEC = "lec", _("LEC (D = L × E × C)")
    LS = "ls", _("Risk matrix (R = L × S)")


# The colours from worst to best; the order the dynamic rules climb.
LEVEL_ORDER: tuple[str, ...] = ("red", "orange", "yellow", "blue")
# The colours that have a lower bound (blue is the remainder).
BANDED_LEVELS: tuple[str, ...] = ("red", "orange", "yellow")

# LEC factors with their criteria (STANDARDS §2). The English labels are msgids; the zh_Hans catalogue carries
# the criteria as the standard words them ("6 相当可能").
LEC_LIKELIHOOD = [
    (Decimal("10"), _("10 fully expected")),
    (Decimal("6"), _("6 quite possible")),
    (Decimal("3"), _("3 possible but unusual")),
    (Decimal("1"), _("1 unlikely, a complete accident")),
    (Decimal("0.5"), _("0.5 very unlikely, conceivable")),
    (Decimal("0.2"), _("0.2 extremely unlikely")),
    (Decimal("0.1"), _("0.1 practically impossible")),
]
LEC_EXPOSURE = [
    (Decimal("10"), _("10 continuous exposure")),
    (Decimal("6"), _("6 exposed daily during working hours")),
    (Decimal("3"), _("3 exposed weekly or occasionally")),
    (Decimal("2"), _("2 exposed once a month")),
    (Decimal("1"), _("1 exposed a few times a year")),
    (Decimal("0.5"), _("0.5 exposed very rarely")),
]
LEC_CONSEQUENCE = [
    (Decimal("100"), _("100 catastrophe, many deaths (10 or more)")),
    (Decimal("40"), _("40 disaster, several deaths (3–9)")),
    (Decimal("15"), _("15 very serious, one death (1–2)")),
    (Decimal("7"), _("7 serious, severe injury")),
    (Decimal("3"), _("3 major, disabling")),
    (Decimal("1"), _("1 noticeable, needs first aid")),
]
# LS: the usual five-step scales of the provincial guides (DB37/T 2882).
LS_LIKELIHOOD = [
    (5, _("5 happens often")),
    (4, _("4 likely to happen")),
    (3, _("3 occasionally happens")),
    (2, _("2 unlikely to happen")),
    (1, _("1 practically impossible")),
]
LS_SEVERITY = [
    (5, _("5 several deaths or very heavy loss")),
    (4, _("4 one death or heavy loss")),
    (3, _("3 severe injury or considerable loss")),
    (2, _("2 injury needing treatment, small loss")),
    (1, _("1 minor injury, negligible loss")),
]

# Default lower bounds of the colours (STANDARDS §2).
DEFAULT_BANDS: dict[str, dict[str, Decimal]] = {
    RiskMethod.LEC: {"red": Decimal("320"), "orange": Decimal("160"), "yellow": Decimal("70")},
    RiskMethod.LS: {"red": Decimal("20"), "orange": Decimal("15"), "yellow": Decimal("9")},
}
# Whether the score must reach the bound (LS) or exceed it (LEC).
BOUND_INCLUSIVE: dict[str, bool] = {RiskMethod.LEC: False, RiskMethod.LS: True}


def band_level(method: str, score: Decimal, bands: dict[str, Decimal] | None = None) -> str:
    """The colour of a score under a method's bands (a district's, or the defaults)."""
    bands = bands or DEFAULT_BANDS[method]
    inclusive = BOUND_INCLUSIVE[method]
    for level in BANDED_LEVELS:
        bound = bands[level]
        if score >= bound if inclusive else score > bound:
            return level
    return "blue"


class LecClass(models.TextChoices):
    """The danger class of an LEC score D (STANDARDS §2), each band closed at its upper end."""

    SLIGHT = "slight", _("Slightly dangerous, acceptable")
    MODERATE = "moderate", _("Moderately dangerous, needs attention")
    SUBSTANTIAL = "substantial", _("Substantially dangerous, needs rectification")
    HIGH = "high", _("Highly dangerous, rectify at once")
    EXTREME = "extreme", _("Extremely dangerous, stop the work")


# The upper bound (inclusive) of each class but the last: D ≤ 20 稍有危险; 20 < D ≤ 70 一般危险;
# 70 < D ≤ 160 显著危险; 160 < D ≤ 320 高度危险; D > 320 极其危险.
LEC_CLASS_BOUNDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("20"), LecClass.SLIGHT),
    (Decimal("70"), LecClass.MODERATE),
    (Decimal("160"), LecClass.SUBSTANTIAL),
    (Decimal("320"), LecClass.HIGH),
)


def lec_class(score) -> LecClass:
    """The danger class of an LEC score D: the first band whose upper bound D does not exceed."""
    value = Decimal(str(score))
    for upper, code in LEC_CLASS_BOUNDS:
        if value <= upper:
            return LecClass(code)
    return LecClass.EXTREME


def worst(levels) -> str:
    """The worst colour among ``levels`` (blank when there are none)."""
    present = [lv for lv in levels if lv]
    return min(present, key=LEVEL_ORDER.index) if present else ""


def raise_one(level: str) -> str:
    """One colour up, never above red (STANDARDS §2, dynamic risk)."""
    return LEVEL_ORDER[max(LEVEL_ORDER.index(level) - 1, 0)]


# The accident look-back of the dynamic rules: an accident with deaths in the last 12 months.
ACCIDENT_LOOKBACK_DAYS = 365
