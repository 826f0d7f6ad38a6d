"""The tabs of a place's detail page: a registry that later modules extend (risk, inspections, hazards…).

A module adds its tab in its ``AppConfig.ready()``::

    from anjian.registry import tabs

    tabs.register(tabs.SiteTab(
        key="inspections", label=_("Inspections"), template_name="inspections/site_tab.html", order=40,
        visible=lambda user, site: True,
        context=lambda request, site: {"inspections": selectors.inspections_of(request.user, site)},
    ))

Only the active tab is rendered (``?tab=<key>``), so a heavy tab costs nothing until it is opened.
The template receives ``site``, ``contacts`` (the enterprise's people, masked per
:mod:`anjian.registry.masking`) and whatever the tab's ``context`` returns.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import can_supervise
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import selectors
from anjian.registry.choices import DisputeStatus
from anjian.registry.forms import FACT_GROUPS


def _always(user, site) -> bool:
    return True


@dataclass(frozen=True)
class SiteTab:
    key: str
    label: str
    template_name: str
    order: int = 500
    visible: Callable[[object, object], bool] = field(default=_always)
    context: Callable[[object, object], dict] | None = None


_registry: dict[str, SiteTab] = {}


def register(tab: SiteTab) -> None:
    _registry[tab.key] = tab


def tabs_for(user, site) -> list[SiteTab]:
    return [tab for tab in sorted(_registry.values(), key=lambda t: (t.order, t.key)) if tab.visible(user, site)]


# --- the registry's own tabs -----------------------------------------------------------


def _fact_value(site, name: str):
    field = site._meta.get_field(name)
    value = getattr(site, name)
    if value in (None, ""):
        return None
    if field.choices:
        return getattr(site, f"get_{name}_display")()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _overview_context(request, site) -> dict:
    """The typed facts that are filled in, fieldset by fieldset (labels from the model)."""
    groups = []
    for group in FACT_GROUPS:
        facts = [
            (site._meta.get_field(name).verbose_name, value)
            for name in group.fields
            if (value := _fact_value(site, name)) is not None
        ]
        if facts:
            groups.append({"label": group.label, "facts": facts})
    return {"fact_groups": groups}


def _responsibility_context(request, site) -> dict:
    """Who answers for the place: departments per sector (管行业必须管安全), the territory (属地管理),
    the safety office (综合监管); open disputes and the status history."""
    supervisors = selectors.supervisors_of(site)
    rows = [{"site_sector": row, "departments": supervisors.get(row.sector_id, [])} for row in site.site_sectors.all()]
    safety_office = (
        OrgUnit.objects.filter(district_id=site.district_id, kind=OrgUnitKind.SAFETY_OFFICE, is_active=True)
        .order_by("order", "id")
        .first()
    )
    disputes = selectors.disputes_for(request.user).filter(site=site, status=DisputeStatus.OPEN).order_by("created_at")
    overrides = site.overrides.select_related("department", "sector", "created_by").order_by("sector__order", "id")
    return {
        "sector_rows": rows,
        "overrides": overrides,
        "safety_office": safety_office,
        "open_disputes": disputes,
        "status_changes": site.status_changes.select_related("changed_by"),
    }


def _has_hazchem(user, site) -> bool:
    return any(row.sector_id == "hazchem" for row in site.site_sectors.all())


def _chemicals_context(request, site) -> dict:
    return {
        "chemical_units": site.chemical_units.prefetch_related("inventory").order_by("kind", "name"),
        "can_edit_chemicals": can_supervise(request.user, site),
    }


register(
    SiteTab(
        key="overview",
        label=_("Overview"),
        template_name="registry/tabs/overview.html",
        order=0,
        context=_overview_context,
    )
)
register(
    SiteTab(
        key="responsibility",
        label=_("Responsibility"),
        template_name="registry/tabs/responsibility.html",
        order=10,
        context=_responsibility_context,
    )
)
register(
    SiteTab(
        key="chemicals",
        label=_("Hazardous chemicals"),
        template_name="registry/tabs/chemicals.html",
        order=20,
        visible=_has_hazchem,
        context=_chemicals_context,
    )
)
