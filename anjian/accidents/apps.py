from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccidentsConfig(AppConfig):
    name = "anjian.accidents"
    label = "accidents"
    verbose_name = _("Accidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core import audit_labels

        audit_labels.register(
            {
                "accidents.accident.record": _("Accident recorded"),
                "accidents.accident.correct": _("Accident casualties corrected"),
                "accidents.investigation.open": _("Accident investigation opened"),
                "accidents.investigation.extend": _("Accident investigation extended"),
                "accidents.investigation.evidence": _("Accident investigation evidence recorded"),
                "accidents.investigation.close": _("Accident investigation closed"),
            }
        )
