"""Seeded checklist templates and inspection intervals (STANDARDS.md §1, §2, §5).

Pure reference data: no models and no database. :func:`anjian.inspections.shipped.sync_shipped_checklists` copies
these specs into ChecklistTemplate / ChecklistItem rows; tests pin the content (tests/test_standards.py,
tests/test_checklist_wording.py). The conventions every item follows are in :mod:`.spec`: each item states the
requirement, so 符合 always means compliant. Every one of the 17 sectors has at least one template.
"""

from anjian.inspections.standards.buildings import DILAPIDATED_HOUSE, GROUP_RENTAL, SELF_BUILT_HOUSE
from anjian.inspections.standards.fire import CROWDED_PLACE_FIRE, HIGH_RISE, THREE_IN_ONE
from anjian.inspections.standards.industry import ELEVATOR, FIREWORKS_RETAIL, HAZCHEM, INDUSTRY_TRADE
from anjian.inspections.standards.public import COMMERCIAL, LARGE_EVENT, ROAD_TRAFFIC
from anjian.inspections.standards.spec import ACT, CONDITION, ENVIRONMENT, MANAGEMENT, ItemSpec, TemplateSpec
from anjian.inspections.standards.urban import CITY_GAS_RESTAURANT, CONSTRUCTION_SITE, MUNICIPAL, WATERLOGGING_POINT

__all__ = [
    "ACT",
    "CHECKLIST_TEMPLATES",
    "CONDITION",
    "DEFAULT_FREQUENCY_DAYS",
    "ENVIRONMENT",
    "LEVEL_FREQUENCY_DAYS",
    "MANAGEMENT",
    "SELF_BUILT_HOUSE_SECTIONS",
    "TEMPLATE_SECTIONS",
    "ItemSpec",
    "TemplateSpec",
    "template_for_sector",
]

CHECKLIST_TEMPLATES: tuple[TemplateSpec, ...] = (
    CROWDED_PLACE_FIRE,
    THREE_IN_ONE,
    SELF_BUILT_HOUSE,
    CITY_GAS_RESTAURANT,
    CONSTRUCTION_SITE,
    HAZCHEM,
    FIREWORKS_RETAIL,
    ELEVATOR,
    HIGH_RISE,
    ROAD_TRAFFIC,
    COMMERCIAL,
    LARGE_EVENT,
    GROUP_RENTAL,
    DILAPIDATED_HOUSE,
    MUNICIPAL,
    INDUSTRY_TRADE,
    WATERLOGGING_POINT,
)


def template_for_sector(code: str) -> TemplateSpec | None:
    """The seeded template of a sector (the first one, in CHECKLIST_TEMPLATES order), or None."""
    return next((template for template in CHECKLIST_TEMPLATES if template.sector == code), None)


# Section headings of the templates that have them: (heading, number of items), in item order.
TEMPLATE_SECTIONS: dict[str, tuple[tuple[str, int], ...]] = {
    template.code: template.sections for template in CHECKLIST_TEMPLATES if template.sections
}
# Item counts of the three sections of the self-built house template, in item order.
SELF_BUILT_HOUSE_SECTIONS = SELF_BUILT_HOUSE.sections

# Inspection interval by risk level (STANDARDS §2): red monthly, orange quarterly, yellow half-yearly, blue yearly.
LEVEL_FREQUENCY_DAYS: dict[str, int] = {"red": 30, "orange": 91, "yellow": 182, "blue": 365}

# Default inspection interval per sector (STANDARDS §1), in days. Independent of a place's risk level; a scheduler
# taking the shorter of this and LEVEL_FREQUENCY_DAYS never inspects less often than either asks.
DEFAULT_FREQUENCY_DAYS: dict[str, int] = {
    # Monthly: the sectors whose accidents are explosions, fires or collapses with many deaths, and whose
    # conditions change week to week (stock levels, work in progress, seasonal retail points).
    "hazchem": 30,
    "fireworks": 30,
    "construction": 30,
    # Quarterly: places where many people sleep, gather or use gas, and where the common defects (blocked exits,
    # e-bike charging, gas hoses, added floors) reappear within months of a fix.
    "city_gas": 90,
    "crowded_place": 90,
    "three_in_one": 90,
    "high_rise": 90,
    "self_built_house": 90,
    "group_rental": 90,
    "dilapidated_house": 90,
    # Half-yearly: sectors with their own statutory checks (special equipment is inspected yearly by an
    # inspection body and maintained every 15 days), or where inspections follow seasons and campaigns
    # (waterlogging points before the flood season, road sections), so a routine visit adds less.
    "special_equipment": 180,
    "commercial": 180,
    "road_traffic": 180,
    "municipal": 180,
    "industry_trade": 180,
    "waterlogging_point": 180,
    # Yearly: a large event is inspected when it is approved and held; the interval only catches recurring venues.
    "large_event": 365,
}
