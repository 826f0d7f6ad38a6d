"""Account administration under 三员分立, every change audited.

The system administrator creates and maintains accounts; the security administrator
sets roles; nobody changes their own role; passwords set by an administrator must be
changed at the next login. Every password is set by ``set_password`` (history of hashes,
API tokens revoked); API tokens expire and end with a password change, a lockout or a
disabled account.
"""

from __future__ import annotations

import secrets
import string

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from anjian.accounts.models import PasswordHistoryEntry, User
from anjian.core import audit
from anjian.organizations.models import OrgUnit

PROFILE_FIELDS = (
    "real_name",
    "mobile",
    "org_unit",
    "title",
    "email",
    "enforcement_certificate",
    "certificate_valid_until",
)
AUDITED_FIELDS = [*PROFILE_FIELDS, "username", "role", "is_active", "must_change_password"]


def _snapshot(user: User) -> dict:
    return audit.snapshot(user, fields=AUDITED_FIELDS)


def generate_temporary_password() -> str:
    """A random password that satisfies the rules (all four classes)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return (
        core
        + secrets.choice(string.ascii_uppercase)
        + secrets.choice(string.ascii_lowercase)
        + secrets.choice(string.digits)
        + secrets.choice("@#%&*!")
    )


def _check_unit_manageable(actor, org_unit: OrgUnit | None) -> None:
    if actor is None:
        return
    unit_ids = actor.administered_unit_ids()
    if unit_ids is not None and (org_unit is None or org_unit.pk not in unit_ids):
        raise PermissionDenied(_("You cannot manage accounts of this unit."))


def create_user(
    *,
    actor,
    username: str,
    real_name: str,
    org_unit: OrgUnit | None,
    mobile: str = "",
    title: str = "",
    email: str = "",
    role: str = "",
    password: str | None = None,
    must_change_password: bool = True,
    password_hash: str | None = None,
) -> tuple[User, str]:
    """Create an account; returns it with its initial password (shown once to the administrator).

    An account created by an administrator starts without a role unless a command
    bootstraps it, and must change its password at first login. ``password_hash`` is an
    initial password already hashed (``make_password``) and checked against the validators by
    the caller, for accounts that share one known password (the demo's: a hash is slow by
    design, once is enough); the returned password is then empty.
    """
    if actor is not None and not actor.can_manage_accounts:
        raise PermissionDenied(_("Only the system administrator creates accounts."))
    if actor is not None and role:
        raise PermissionDenied(_("Roles are assigned by the security administrator."))
    _check_unit_manageable(actor, org_unit)
    initial = "" if password_hash else password or generate_temporary_password()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This username is already taken.")})
        user = User(
            username=username,
            real_name=real_name,
            org_unit=org_unit,
            mobile=mobile,
            title=title,
            email=email,
            role=role,
            must_change_password=must_change_password,
        )
        if not password_hash:
            password_validation.validate_password(initial, user)
        user.full_clean(exclude=["password"])
        user.save()
        set_password(
            user=user, password=initial, must_change_password=must_change_password, password_hash=password_hash
        )
        audit.record(actor=actor, action="accounts.user.create", obj=user, after=_snapshot(user), org_unit=org_unit)
    return user, initial


def update_profile(*, actor, user: User, **fields) -> User:
    """Change name, mobile, unit, position or e-mail of an account the system administrator manages."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = User.objects.manageable_by(actor).select_for_update().filter(pk=user.pk).first()
        if locked is None:
            raise PermissionDenied(_("You cannot change this account."))
        if "org_unit" in fields:
            _check_unit_manageable(actor, fields["org_unit"])
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        _record_change(actor, locked, before, "accounts.user.update")
    return locked


def assign_role(*, actor, user: User, role: str) -> User:
    """The security administrator sets an account's role (never their own)."""
    with transaction.atomic():
        locked = User.objects.roles_assignable_by(actor).select_for_update().filter(pk=user.pk).first()
        if locked is None:
            raise PermissionDenied(_("You cannot set the role of this account."))
        before = _snapshot(locked)
        locked.role = role
        locked.full_clean()
        locked.save(update_fields=["role"])
        _record_change(actor, locked, before, "accounts.user.assign_role")
    return locked


def set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate or reactivate an account (accounts are never deleted: the audit log names them)."""
    with transaction.atomic():
        locked = User.objects.manageable_by(actor).select_for_update().filter(pk=user.pk).first()
        if locked is None or locked.pk == actor.pk:
            raise PermissionDenied(_("You cannot change this account."))
        before = _snapshot(locked)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        _record_change(actor, locked, before, "accounts.user.activate" if active else "accounts.user.deactivate")
        if not active:
            _revoke_tokens(user=locked, actor=actor, reason="account_disabled")
    return locked


def reset_password(*, actor, user: User) -> str:
    """Set a temporary password that must be changed at the next login; returns it once."""
    with transaction.atomic():
        locked = User.objects.manageable_by(actor).select_for_update().filter(pk=user.pk).first()
        if locked is None or locked.pk == actor.pk:
            raise PermissionDenied(_("You cannot reset the password of this account."))
        temporary = generate_temporary_password()
        set_password(user=locked, password=temporary, must_change_password=True, actor=actor)
        audit.record(actor=actor, action="accounts.user.reset_password", obj=locked, org_unit=locked.org_unit)
    return temporary


def unlock(*, actor, user: User) -> int:
    """Lift a login lockout (django-axes) before its 15 minutes are over."""
    if User.objects.manageable_by(actor).filter(pk=user.pk).first() is None:
        raise PermissionDenied(_("You cannot unlock this account."))
    with transaction.atomic():
        removed = axes_reset(username=user.username)
        audit.record(actor=actor, action="accounts.user.unlock", obj=user, after={"attempts_cleared": removed})
    return removed


def change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """The user sets their own password; clears the forced change.

    The validators refuse the current password and the recent ones (``PasswordHistoryValidator``).
    """
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your old password was entered incorrectly.")})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    with transaction.atomic():
        set_password(user=user, password=new_password, must_change_password=False, actor=user)
        audit.record(actor=user, action="accounts.user.change_password", obj=user)
    return user


def set_password(
    *, user: User, password: str, must_change_password: bool, actor=None, password_hash: str | None = None
) -> User:
    """The one place a password is set: own change, administrator's reset, a new account's first password.

    The replaced password's hash goes into the history (the newest ``PASSWORD_HISTORY_COUNT``
    are kept, older ones deleted: an old hash is of no use once it no longer blocks reuse),
    and the account's API tokens are revoked, since whoever knew the old password may hold
    one. Validation is the caller's (an administrator's random password is not checked
    against the history). It joins the caller's transaction; ``user`` must already be saved.
    """
    with transaction.atomic():
        now = timezone.now()
        if user.password and user.has_usable_password():
            PasswordHistoryEntry.objects.create(user=user, password=user.password, replaced_at=now)
            stale = PasswordHistoryEntry.objects.filter(user=user).order_by("-replaced_at", "-id")
            stale_ids = list(stale.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_COUNT :])
            if stale_ids:
                PasswordHistoryEntry.objects.filter(pk__in=stale_ids).delete()
        if password_hash:
            user.password = password_hash  # hashed by the caller (create_user's password_hash)
        else:
            user.set_password(password)
        user.must_change_password = must_change_password
        user.password_changed_at = now
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        _revoke_tokens(user=user, actor=actor, reason="password_changed")
    return user


def issue_api_token(*, user: User) -> Token:
    """A new API token for the user's own scripts; the old one stops working."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit.record(actor=user, action="accounts.token.issue", obj=user)
    return token


def revoke_api_token(*, user: User) -> None:
    """The user revokes their own token on the profile page."""
    _revoke_tokens(user=user, actor=user, reason="revoked_by_owner")


def revoke_tokens_after_lockout(*, username: str) -> None:
    """django-axes locked the account out: whoever is guessing its password may already hold its token."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        _revoke_tokens(user=user, actor=None, reason="locked_out")


def _revoke_tokens(*, user: User, actor, reason: str) -> None:
    with transaction.atomic():
        deleted, _unused = Token.objects.filter(user=user).delete()
        if deleted:
            audit.record(
                actor=actor, action="accounts.token.revoke", obj=user, after={"reason": reason}, org_unit=user.org_unit
            )


def _record_change(actor, user: User, before: dict, action: str) -> None:
    after = _snapshot(user)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record(
            actor=actor,
            action=action,
            obj=user,
            before={k: before.get(k) for k in changed},
            after=changed,
            org_unit=user.org_unit,
        )
