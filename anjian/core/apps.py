from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from anjian.core import audit_keys, navigation
        from anjian.core.permissions import reads_api_docs

        # Malformed AUDIT_HMAC_KEYS stop every process at start (web, worker, manage.py), not at the first write.
        audit_keys.key_ring()
        checks.register(audit_keys.check_keys_deploy, checks.Tags.security, deploy=True)

        navigation.register(
            navigation.NavItem(
                key="audit",
                label=_("Audit log"),
                url_name="core:audit_list",
                group="system",
                icon="shield",
                order=900,
            )
        )
        # The API documentation is a technical reference (English, endpoints and schemas): in the menu of the
        # technical keeper of the platform only (permissions.reads_api_docs says why), open to every account.
        navigation.register(
            navigation.NavItem(
                key="api_docs",
                label=_("API"),
                url_name="swagger-ui",
                group="system",
                icon="code",
                order=990,
                visible=reads_api_docs,
            )
        )
