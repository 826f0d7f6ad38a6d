"""Choices of the accident records (STANDARDS §4; GLOSSARY.md names)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccidentCategory(models.TextChoices):
    """Statistics categories of district reports; simple-procedure traffic accidents are kept apart."""

    PRODUCTION = "production", _("Production safety accident")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic accident (general procedure)")
    ROAD_TRAFFIC_SIMPLE = "road_traffic_simple", _("Road traffic accident (simple procedure)")
    FIRE = "fire", _("Fire")
    OTHER = "other", _("Other accident")


class AccidentGrade(models.TextChoices):
    """国务院令第493号 第三条, highest first."""

    ESPECIALLY_SERIOUS = "especially_serious", _("Especially serious accident")
    SERIOUS = "serious", _("Serious accident")
    RELATIVELY_SERIOUS = "relatively_serious", _("Relatively serious accident")
    ORDINARY = "ordinary", _("Ordinary accident")


class AccidentType(models.TextChoices):
    """GB 6441 accident types."""

    OBJECT_STRIKE = "object_strike", _("Struck by object")
    VEHICLE = "vehicle", _("Vehicle injury")
    MACHINERY = "machinery", _("Mechanical injury")
    LIFTING = "lifting", _("Lifting injury")
    ELECTRIC_SHOCK = "electric_shock", _("Electric shock")
    DROWNING = "drowning", _("Drowning")
    SCALD = "scald", _("Burn or scald")
    FIRE = "fire", _("Fire")
    FALL = "fall", _("Fall from height")
    COLLAPSE = "collapse", _("Collapse")
    ROOF_FALL = "roof_fall", _("Roof fall and rib spalling")
    WATER_INRUSH = "water_inrush", _("Water inrush")
    BLASTING = "blasting", _("Blasting")
    EXPLOSIVE = "explosive", _("Explosive explosion")
    GAS_EXPLOSION = "gas_explosion", _("Firedamp explosion")
    BOILER_EXPLOSION = "boiler_explosion", _("Boiler explosion")
    VESSEL_EXPLOSION = "vessel_explosion", _("Pressure vessel explosion")
    OTHER_EXPLOSION = "other_explosion", _("Other explosion")
    POISONING = "poisoning", _("Poisoning and asphyxiation")
    OTHER = "other", _("Other injury")
