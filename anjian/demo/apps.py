from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "anjian.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import audit_labels

        # The seeding leaves one audit record per app it fills; the audit log names them like any action.
        audit_labels.register(
            {
                "registry.demo.seed": _("Demo places created"),
                "inspections.demo.seed": _("Demo inspections and hazards created"),
                "accidents.demo.seed": _("Demo accidents created"),
                "risk.demo.seed": _("Demo risk assessments created"),
            }
        )
