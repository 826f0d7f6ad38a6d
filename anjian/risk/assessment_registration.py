"""What risk assessment adds at start-up (called from registration.register_all()): audit labels, the
navigation item, the place's risk tab, and the recompute of current levels when a lower app announces that
a place's risk inputs changed (anjian.core.signals.site_risk_inputs_changed)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

AUDIT_LABELS = {
    "risk.assessment.create": _("Risk assessment recorded"),
    "risk.bands.update": _("Risk bands changed"),
    "risk.frequency.update": _("Inspection frequency changed"),
}


def on_risk_inputs_changed(sender, site_ids=(), **kwargs) -> None:
    """Sent from transaction.on_commit by inspections and accidents: recompute those places now (two UPDATE
    statements). A failure is logged, never raised: the sender's write is committed and the nightly
    recompute repairs the level."""
    from anjian.risk import levels

    try:
        levels.recompute_levels(site_ids or ())
    except Exception:
        logger.exception("risk level recompute failed for places %s", site_ids)


def register() -> None:
    from anjian.core import audit_labels, navigation
    from anjian.core.permissions import is_city_admin, is_department_officer, is_district_office, is_government
    from anjian.core.signals import site_risk_inputs_changed
    from anjian.risk import tabs  # noqa: F401 - registers the place's risk tab

    audit_labels.register(AUDIT_LABELS)
    site_risk_inputs_changed.connect(on_risk_inputs_changed, dispatch_uid="risk.recompute_levels")

    def keeps_district_settings(user) -> bool:
        """Who sets the district's colour bands and inspection frequencies (everyone of the district reads
        them from the pages that use them; the menu offers them to those who keep them)."""
        return is_district_office(user) or is_city_admin(user)

    def grades_installations(user) -> bool:
        """Who works with the GB 18218 catalogue: the city that keeps it, the safety office and the departments
        that identify and grade major hazard installations."""
        return is_city_admin(user) or is_district_office(user) or is_department_officer(user)

    for key, label, url_name, group, order, visible in (
        ("risk_assessments", _("Risk assessments"), "risk:assessment_list", "risk", 200, None),
        # Places past the inspection their level requires: the inspection plan's to-do list.
        ("risk_overdue", _("Overdue inspections"), "risk:overdue_sites", "field", 150, is_government),
        ("substances", _("Substance catalogue"), "risk:substance_list", "risk", 400, grades_installations),
        ("risk_bands", _("Risk bands"), "risk:thresholds", "risk", 600, keeps_district_settings),
        ("inspection_frequency", _("Inspection frequency"), "risk:frequency", "risk", 610, keeps_district_settings),
    ):
        navigation.register(
            navigation.NavItem(key=key, label=label, url_name=url_name, group=group, order=order, visible=visible)
        )
