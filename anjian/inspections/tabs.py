"""The place's tab "inspections and hazards" (检查与隐患): its hazard counts, its recent inspections and its
hazards, open ones first, and a button to start an inspection for whoever may inspect the place.

Imported by registration.register_hazard_pages(), so the tab exists once the app is ready.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import can_supervise, has_write_scope, is_business, is_enterprise
from anjian.inspections import selectors
from anjian.inspections.choices import OPEN_STATUSES
from anjian.registry import tabs
from anjian.registry.choices import SiteStatus

RECENT_INSPECTIONS = 20
HAZARDS_SHOWN = 50


def may_inspect(user, site) -> bool:
    """Who start_inspection would accept: the enterprise's own account for a self-inspection of an operating
    place, an officer with the place in editable scope (not the read-only leaders)."""
    if is_enterprise(user):
        return has_write_scope(user) and site.status == SiteStatus.OPERATING
    return can_supervise(user, site)


def _visible(user, site) -> bool:
    return is_business(user)


def _context(request, site) -> dict:
    user = request.user
    hazards = (
        selectors.hazards_for(user)
        .filter(site=site)
        .annotate(
            closed_rank=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed_rank", "-reported_at", "-id")
    )
    return {
        "hazard_summary": selectors.site_hazard_summary(user, site),
        "recent_inspections": selectors.inspections_for(user).filter(site=site)[:RECENT_INSPECTIONS],
        "site_hazards": hazards[:HAZARDS_SHOWN],
        "hazards_shown": HAZARDS_SHOWN,
        "may_inspect": may_inspect(user, site),
    }


tabs.register(
    tabs.SiteTab(
        key="inspections",
        label=_("Inspections and hazards"),
        template_name="inspections/tabs/site_inspections.html",
        order=30,
        visible=_visible,
        context=_context,
    )
)
