from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended for rectification")
    CLOSED = "closed", _("Closed down")
    DEMOLISHED = "demolished", _("Demolished")


class ChemicalUnitKind(models.TextChoices):
    PRODUCTION = "production", _("Production unit")
    STORAGE = "storage", _("Storage unit")


class OverrideEffect(models.TextChoices):
    """A recorded exception to the sector mandates for one place and sector."""

    ASSIGN = "assign", _("Assigned to the department")
    EXCLUDE = "exclude", _("Not supervised by the department")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RiskLevel(models.TextChoices):
    """Four colours (STANDARDS §2); written by the risk module, read by everyone."""

    RED = "red", _("Major risk (red)")
    ORANGE = "orange", _("High risk (orange)")
    YELLOW = "yellow", _("Moderate risk (yellow)")
    BLUE = "blue", _("Low risk (blue)")
