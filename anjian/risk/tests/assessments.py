"""Helpers of the risk assessment tests: places of the cast and assessments with chosen levels."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from anjian.registry.testing import make_site
from anjian.risk import services

# One LEC point per colour under the default bands (D = L × E × C).
LEC_FOR = {
    "red": {"lec_l": "10", "lec_e": "6", "lec_c": "7"},  # 420
    "orange": {"lec_l": "6", "lec_e": "6", "lec_c": "7"},  # 252
    "yellow": {"lec_l": "3", "lec_e": "6", "lec_c": "7"},  # 126
    "blue": {"lec_l": "1", "lec_e": "6", "lec_c": "7"},  # 42
}


def point(level: str = "yellow", **extra) -> dict:
    return {"name": f"{level}作业", "accident_type": "fire", "method": "lec", **LEC_FOR[level], **extra}


def ls_point(likelihood: int, severity: int, **extra) -> dict:
    return {"name": "矩阵点", "accident_type": "fall", "method": "ls", "ls_l": likelihood, "ls_s": severity, **extra}


def place(cast, *, name="东街仓库", territory=None, sectors=(("hazchem", ""),), enterprise_n=None):
    site = make_site(
        district=cast.district,
        territory=territory or cast.street,
        sectors=sectors,
        name=name,
        enterprise_n=enterprise_n,
    )
    if enterprise_n is not None:
        site.enterprise.accounts.add(cast.enterprise)
    return site


def committed():
    """Run the on_commit callbacks of the block, as a real commit would (tests run inside a transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def assess(cast, site, level: str = "yellow", *, actor=None, days_ago: int = 0):
    with committed():
        return services.assess_site(
            actor=actor or cast.safety_officer,
            site=site,
            assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            points=[point(level)],
        )


D = Decimal
