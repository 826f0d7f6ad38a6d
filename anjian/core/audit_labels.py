"""Readable names of audit actions; apps add theirs in AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str] = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.locked_out": _("Account locked after failed logins"),
    "audit.key_rotated": _("Audit log signing key changed"),
}


def register(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def label_for(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
