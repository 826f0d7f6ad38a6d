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
    from anjian.core.permissions import is_business, is_government
    from anjian.core.signals import site_risk_inputs_changed
    from anjian.risk import tabs  # noqa: F401 - registers the place's risk tab

    audit_labels.register(AUDIT_LABELS)
    site_risk_inputs_changed.connect(on_risk_inputs_changed, dispatch_uid="risk.recompute_levels")
    navigation.register(
        navigation.NavItem(
            key="risk_assessments",
            label=_("Risk assessments"),
            url_name="risk:assessment_list",
            order=295,
            visible=is_business,
        )
    )
    navigation.register(
        navigation.NavItem(
            key="risk_overdue",
            label=_("Overdue inspections"),
            url_name="risk:overdue_sites",
            order=300,
            visible=is_government,
        )
    )
