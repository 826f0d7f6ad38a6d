from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = _("Hazard investigation and rectification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.inspections import registration

        registration.register_all()
        from anjian.inspections import notifying  # noqa: F401 - how the notification table finds its recipients
