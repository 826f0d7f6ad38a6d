from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import navigation

        navigation.register(
            navigation.NavItem(
                key="audit",
                label=_("Audit log"),
                url_name="core:audit_list",
                icon="shield",
                order=900,
                visible=lambda user: bool(getattr(user, "can_read_audit", False)),
            )
        )
