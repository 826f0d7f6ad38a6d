from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "anjian.registry"
    label = "registry"
    verbose_name = _("Supervised places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import audit_labels, navigation
        from anjian.core.permissions import is_business, is_enterprise

        audit_labels.register(
            {
                "registry.enterprise.create": _("Enterprise registered"),
                "registry.enterprise.update": _("Enterprise changed"),
                "registry.site.create": _("Place registered"),
                "registry.site.update": _("Place changed"),
                "registry.site.status": _("Status of a place changed"),
                "registry.supervision.assign": _("Supervising department assigned"),
                "registry.territory.assign": _("Street or park assigned"),
                "registry.dispute.raise": _("Responsibility disputed"),
                "registry.dispute.decide": _("Dispute decided"),
                "registry.site.chemicals": _("Chemical inventory changed"),
            }
        )

        navigation.register(
            navigation.NavItem(
                key="sites", label=_("Places"), url_name="registry:site_list", order=100, visible=is_business
            )
        )
        navigation.register(
            navigation.NavItem(
                key="site_map", label=_("Map"), url_name="registry:site_map", order=110, visible=is_business
            )
        )
        navigation.register(
            navigation.NavItem(
                key="responsibility",
                label=_("Responsibility"),
                url_name="registry:gap_report",
                order=120,
                visible=lambda user: getattr(user, "sees_supervision_gaps", False),
            )
        )

        def supervising_unit(user) -> bool:
            unit = getattr(user, "org_unit", None)
            return unit is not None and unit.kind in ("department", "street", "park") and not is_enterprise(user)

        navigation.register(
            navigation.NavItem(
                key="disputes",
                label=_("Disputes"),
                url_name="registry:dispute_list",
                order=130,
                visible=supervising_unit,
            )
        )
