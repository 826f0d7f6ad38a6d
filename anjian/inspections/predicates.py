"""Who may do what on the field pages of the hazard loop, where the rule needs the inspection, the place or the
campaign at hand; the rules on the user alone are :mod:`anjian.core.permissions`'. The services still decide
every write themselves."""

from __future__ import annotations

from anjian.core.permissions import can_supervise, is_enterprise, launches_campaigns
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Campaign, Inspection
from anjian.registry.models import Site


def may_inspect(user, site: Site) -> bool:
    """An enterprise account self-inspects the places it sees; an officer inspects the places it may change."""
    return is_enterprise(user) or can_supervise(user, site)


def is_inspector_of(user, inspection: Inspection) -> bool:
    return inspection.inspectors.filter(pk=user.pk).exists()


def may_record(user, inspection: Inspection) -> bool:
    """Only the inspectors of an inspection in progress record it."""
    return inspection.status == InspectionStatus.IN_PROGRESS and is_inspector_of(user, inspection)


def may_edit_campaign(user, campaign: Campaign) -> bool:
    return launches_campaigns(user) and Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists()
