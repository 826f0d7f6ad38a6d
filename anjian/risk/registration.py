"""What the risk module adds to the platform at start-up: audit action names, navigation, the place's tabs,
sections of the accident briefing. Each part of the module registers its own pieces here."""

from __future__ import annotations


def register_all() -> None:
    """Called once from RiskConfig.ready()."""
