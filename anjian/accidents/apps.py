from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccidentsConfig(AppConfig):
    name = "anjian.accidents"
    label = "accidents"
    verbose_name = _("Accidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.accidents import registration

        registration.register_all()
        from anjian.accidents import tabs  # the place's tab, the map layer, the import task

        tabs.register_all()
        from anjian.accidents.views.statistics import register_statistics_pages  # nav: accident statistics

        register_statistics_pages()
        from anjian.accidents import notifying  # noqa: F401 - how the notification table finds its recipients
