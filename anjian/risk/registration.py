"""What the risk module adds to the platform at start-up: audit action names, navigation, the place's tabs,
sections of the accident briefing. Each part of the module registers its own pieces here."""

from __future__ import annotations


def register_all() -> None:
    """Called once from RiskConfig.ready()."""
    register_map()
    from anjian.risk import assessment_registration

    assessment_registration.register()
    from anjian.risk.views.installations import register_installations

    register_installations()
    from anjian.risk import city

    city.register()


def register_map() -> None:
    """The four-colour map (四色图): its navigation item and the audit name of its export."""
    from django.utils.translation import gettext_lazy as _

    from anjian.core import audit_labels, navigation
    from anjian.core.permissions import is_government

    audit_labels.register(
        {
            "risk.map.export": _("Exported the four-colour map counts"),
        }
    )
    navigation.register(
        navigation.NavItem(
            key="risk_map",
            label=_("Four-colour map"),
            url_name="risk:map",
            group="risk",
            order=100,
            # An enterprise sees its own places only: their colours are on its list, not a map of its work.
            visible=is_government,
        )
    )
