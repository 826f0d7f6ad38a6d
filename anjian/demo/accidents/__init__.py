"""The demo city's accidents from 2024 to today (``seed``): mostly in the demo district, every category and grade,
late reports, casualty corrections and 四不放过 investigations in every state; see
:mod:`anjian.demo.accidents.plan` for what the data shows."""

from anjian.demo.accidents.plan import AUDIT_ACTION, DEFAULT_SEED, Builder
from anjian.demo.accidents.writing import is_seeded, seed

__all__ = ["AUDIT_ACTION", "DEFAULT_SEED", "Builder", "is_seeded", "seed"]
