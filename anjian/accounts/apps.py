from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.accounts import signals  # noqa: F401  (login, logout and failures are audited)
        from anjian.core import navigation

        navigation.register(
            navigation.NavItem(
                key="users",
                label=_("Users"),
                url_name="accounts:user_list",
                icon="users",
                order=820,
                visible=lambda user: bool(getattr(user, "sees_users", False)),
            )
        )
