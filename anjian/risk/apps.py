from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    """Risk grading (LEC, LS), the current level of every place, the four-colour map, major hazard
    installations (GB 18218) and the city safety risk assessment (STANDARDS §2, §3)."""

    name = "anjian.risk"
    label = "risk"
    verbose_name = _("Risk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.risk import registration

        registration.register_all()
