from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "anjian.registry"
    label = "registry"
    verbose_name = _("Supervised places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import audit_labels, navigation
        from anjian.core.permissions import is_government

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

        # 台账: the places, their map and who answers for them. The pages' own guards decide who may open them.
        for key, label, url_name, order, visible in (
            ("sites", _("Places"), "registry:site_list", 100, None),
            # An enterprise sees its own few places: the list is its registry, a map of them is no work of its own.
            ("site_map", _("Map"), "registry:site_map", 110, is_government),
            ("responsibility", _("Supervision gaps"), "registry:gap_report", 120, None),
            ("disputes", _("Responsibility disputes"), "registry:dispute_list", 130, None),
        ):
            navigation.register(
                navigation.NavItem(
                    key=key, label=label, url_name=url_name, group="registry", order=order, visible=visible
                )
            )
