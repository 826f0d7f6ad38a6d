from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "anjian.organizations"
    label = "organizations"
    verbose_name = _("Jurisdictions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import audit_labels, navigation

        audit_labels.register(
            {
                "organizations.org_unit.create": _("Org unit created"),
                "organizations.org_unit.update": _("Org unit changed"),
                "organizations.mandates.set": _("Sector mandates changed"),
                "organizations.sector.enforcing_department": _("Enforcing department of a sector changed"),
            }
        )

        navigation.register(
            navigation.NavItem(
                key="org_units",
                label=_("Org units"),
                url_name="organizations:unit_list",
                group="system",
                icon="sitemap",
                order=800,
            )
        )
        navigation.register(
            navigation.NavItem(
                key="mandates",
                label=_("Sector mandates"),
                url_name="organizations:mandate_matrix",
                # Who supervises which sector: the registry's question (谁主管、谁负责), next to the gaps.
                group="registry",
                icon="grid",
                order=140,
            )
        )
