"""The place's tab "risk" (风险): the current level and its reason, the rules that hold now, the latest
assessment with its points, the history, and a link to assess for whoever may (the registry's rule).

Imported by assessment_registration.register(), so the tab exists once the app is ready.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import is_business
from anjian.registry import tabs
from anjian.risk import levels, selectors, services

HISTORY_SHOWN = 20


def _visible(user, site) -> bool:
    return is_business(user)


def _context(request, site) -> dict:
    user = request.user
    history = list(selectors.site_assessments(user, site)[:HISTORY_SHOWN])
    flags = levels.current_flags(site)
    return {
        "latest_assessment": history[0] if history else None,
        "assessment_history": history,
        "risk_rules": [(str(label), flags[key]) for key, label in levels.RULES],
        "interval_days": selectors.frequency_for(site),
        "may_assess": services.may_assess(user, site),
    }


tabs.register(
    tabs.SiteTab(
        key="risk",
        label=_("Risk"),
        template_name="risk/tabs/site_risk.html",
        order=25,
        visible=_visible,
        context=_context,
    )
)
