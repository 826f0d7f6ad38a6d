"""Every login, logout and failed login goes into the audit log (等保2.0 安全审计).

Django's auth signals are the one hook through which all login paths pass (form, API,
admin tools), so the audit records are written here rather than in each view. A
django-axes lockout also revokes the account's API token (through the service).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from anjian.accounts import services
from anjian.core import audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).select_related("org_unit").first()
    audit.record(
        actor=None,
        action="auth.login_failed",
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
        org_unit=user.org_unit if user else None,
        after={"username": username},
    )


try:  # django-axes announces a lockout separately from the failure that caused it
    from axes.signals import user_locked_out
except ImportError:  # pragma: no cover
    user_locked_out = None

if user_locked_out is not None:

    @receiver(user_locked_out)
    def audit_locked_out(sender, request, username, ip_address, **kwargs):
        user = get_user_model().objects.filter(username=username).select_related("org_unit").first()
        audit.record(
            actor=None,
            action="auth.locked_out",
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=str(username)[:150],
            org_unit=user.org_unit if user else None,
            after={"username": username, "ip": ip_address},
        )

    @receiver(user_locked_out)
    def revoke_tokens_on_lockout(sender, request, username, ip_address, **kwargs):
        # A lockout means someone is guessing the password: the account's API token ends with it.
        services.revoke_tokens_after_lockout(username=str(username)[:150])
