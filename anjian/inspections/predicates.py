"""Who may do what on the field pages of the hazard loop: named predicates on the user and the object, so a
page asks one question instead of writing the rule. The services still decide every write themselves."""

from __future__ import annotations

from anjian.accounts.choices import Role
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Campaign, Inspection
from anjian.registry.models import Site


def is_enterprise(user) -> bool:
    return getattr(user, "role", "") == Role.ENTERPRISE


def is_government(user) -> bool:
    """A business user who is not an enterprise account (sees campaigns, assigns tasks, reads checklists)."""
    scope = scope_of(user)
    return not scope.sees_nothing and scope.level is not ScopeLevel.ENTERPRISE


def acts_for_government(user) -> bool:
    """A government user who may change things (not only read them): assigns tasks, inspects places."""
    return is_government(user) and not scope_of(user).read_only


def may_inspect(user, site: Site) -> bool:
    """An enterprise account self-inspects the places it sees; an officer inspects the places it may change."""
    if is_enterprise(user):
        return True
    if scope_of(user).read_only:
        return False
    return Site.objects.editable_by(user).filter(pk=site.pk).exists()


def is_inspector_of(user, inspection: Inspection) -> bool:
    return inspection.inspectors.filter(pk=user.pk).exists()


def may_record(user, inspection: Inspection) -> bool:
    """Only the inspectors of an inspection in progress record it."""
    return inspection.status == InspectionStatus.IN_PROGRESS and is_inspector_of(user, inspection)


def may_launch_campaigns(user) -> bool:
    """Campaigns are launched by the safety office or an industry department."""
    return getattr(user, "role", "") in (Role.SAFETY_OFFICE, Role.DEPARTMENT_OFFICER) and user.org_unit_id is not None


def may_edit_campaign(user, campaign: Campaign) -> bool:
    return may_launch_campaigns(user) and Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists()
