from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.accounts import signals  # noqa: F401  (login, logout and failures are audited)
        from anjian.core import audit_labels, navigation
        from anjian.core.permissions import is_administrator

        audit_labels.register(
            {
                "accounts.user.create": _("Account created"),
                "accounts.user.update": _("Account changed"),
                "accounts.user.assign_role": _("Role assigned"),
                "accounts.user.activate": _("Account enabled"),
                "accounts.user.deactivate": _("Account disabled"),
                "accounts.user.reset_password": _("Password reset by an administrator"),
                "accounts.user.unlock": _("Account unlocked"),
                "accounts.user.change_password": _("Own password changed"),
                "accounts.token.issue": _("API token issued"),
                "accounts.token.revoke": _("API token revoked"),
            }
        )

        navigation.register(
            navigation.NavItem(
                key="users",
                label=_("Users"),
                url_name="accounts:user_list",
                group="system",
                icon="users",
                order=820,
                # Accounts are the administrators' work (三员分立); officials find colleagues on their units' pages.
                visible=is_administrator,
            )
        )
