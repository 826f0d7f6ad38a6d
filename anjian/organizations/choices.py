from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SAFETY_OFFICE = "safety_office", _("Safety committee office")
    DEPARTMENT = "department", _("Industry department")
    STREET = "street", _("Street")
    PARK = "park", _("Park")
    LEADERSHIP = "leadership", _("Leadership")


TERRITORIAL_KINDS = (OrgUnitKind.STREET, OrgUnitKind.PARK)
# Units that hang directly under a district.
DISTRICT_UNIT_KINDS = (
    OrgUnitKind.SAFETY_OFFICE,
    OrgUnitKind.DEPARTMENT,
    OrgUnitKind.STREET,
    OrgUnitKind.PARK,
    OrgUnitKind.LEADERSHIP,
)


class DepartmentType(models.TextChoices):
    """The industry departments that STANDARDS §1 names as default supervisors."""

    EMERGENCY = "emergency", _("Emergency management bureau")
    PUBLIC_SECURITY = "public_security", _("Public security bureau")
    TRAFFIC_POLICE = "traffic_police", _("Traffic police brigade")
    TRANSPORT = "transport", _("Transport bureau")
    HOUSING = "housing", _("Housing and construction bureau")
    URBAN_MANAGEMENT = "urban_management", _("Urban management bureau")
    MARKET_REGULATION = "market_regulation", _("Market regulation bureau")
    COMMERCE = "commerce", _("Commerce bureau")
    FIRE_RESCUE = "fire_rescue", _("Fire and rescue brigade")
    HOUSING_ADMIN = "housing_admin", _("Housing administration bureau")
    EDUCATION = "education", _("Education bureau")
    HEALTH = "health", _("Health commission")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism bureau")
    WATER = "water", _("Water affairs bureau")
    OTHER = "other", _("Other department")
