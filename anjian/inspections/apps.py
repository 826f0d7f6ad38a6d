from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = _("Hazard investigation and rectification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The tasks module registers the Celery tasks the services queue by name (the photo processing) in every
        # process, the web ones included, where a worker's autodiscovery does not run.
        from anjian.inspections import registration, tasks  # noqa: F401

        registration.register_all()
        from anjian.inspections import notifying  # noqa: F401 - how the notification table finds its recipients
