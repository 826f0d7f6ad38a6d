"""In-app notifications: services to send and read them, selectors to list and count them.

Notifications live in core so every app can send them (DESIGN.md); core imports no app below it, so
the senders pass users, or org units and role codes, and core only needs the user model's
``org_unit`` and ``role`` fields.

Notifications are messages, not changes to the records: sending or reading one writes no audit
row. The change that causes a notification is audited by its own service.

Callers send from ``transaction.on_commit`` so that a change that rolls back tells nobody::

    transaction.on_commit(lambda: notify(recipients=[task.assignee], kind="inspections.task_assigned",
                                         title=..., url=task.get_absolute_url()))
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.filters import BooleanFilter, StyledFilterSet
from anjian.core.models import Notification

TITLE_MAX = Notification._meta.get_field("title").max_length
KIND_MAX = Notification._meta.get_field("kind").max_length
URL_MAX = Notification._meta.get_field("url").max_length
DEDUPE_MAX = Notification._meta.get_field("dedupe_key").max_length


def is_internal_path(url: str) -> bool:
    """A path inside the platform: starts with one "/" (never "//host" or "/\\host", which browsers follow off-site)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _check(*, kind: str, title: str, url: str, dedupe_key: str) -> None:
    """The sending app's own mistakes: refused loudly rather than stored as a broken message."""
    if not kind or len(kind) > KIND_MAX:
        raise ValidationError(_("A notification needs a kind of at most %(max)s characters.") % {"max": KIND_MAX})
    if not title.strip():
        raise ValidationError(_("A notification needs a title."))
    if url and (len(url) > URL_MAX or not is_internal_path(url)):
        raise ValidationError(_("A notification links only to a path inside the platform, starting with “/”."))
    if len(dedupe_key) > DEDUPE_MAX:
        raise ValidationError(_("The deduplication key is longer than %(max)s characters.") % {"max": DEDUPE_MAX})


def _truncate(title: str) -> str:
    # Titles are often built from user data (a hazard's description): shorten, never refuse.
    title = title.strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> int:
    """Send one notification to each active recipient; return how many new notifications were created.

    Inactive accounts and repeated recipients are skipped. With a ``dedupe_key`` a recipient who
    already has a notification with that key gets no second one (the database constraint
    guarantees it even when two workers send at once), so a periodic job can remind "due in 3
    days" exactly once per hazard per user. ``recipients`` may be users, user ids or a queryset of
    users. Not audited: a notification is a message, not a change. Call it from
    ``transaction.on_commit``.
    """
    title = _truncate(str(title))
    kind, url, dedupe_key = str(kind), str(url), str(dedupe_key)
    _check(kind=kind, title=title, url=url, dedupe_key=dedupe_key)
    User = get_user_model()
    if isinstance(recipients, models.QuerySet):
        wanted = models.Q(pk__in=recipients.values("pk"))
    else:
        ids = {getattr(r, "pk", r) for r in recipients}
        ids.discard(None)
        if not ids:
            return 0
        wanted = models.Q(pk__in=ids)
    targets = User._default_manager.filter(wanted, is_active=True)
    if dedupe_key:
        # One query finds who still lacks the key, so the count returned is the rows really added.
        targets = targets.exclude(notifications__dedupe_key=dedupe_key)
    now = timezone.now()
    with transaction.atomic():
        rows = [
            Notification(
                recipient_id=pk, kind=kind, title=title, body=str(body), url=url, created_at=now, dedupe_key=dedupe_key
            )
            for pk in targets.order_by("pk").values_list("pk", flat=True)
        ]
        # A concurrent sender may have added the same key since: ignore_conflicts skips it silently.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def notify_units(
    *,
    units: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    roles: Iterable[str] | None = None,
) -> int:
    """Notify every active user whose org unit is one of ``units`` (units or unit ids), optionally only those
    with one of ``roles``. Exactly these units: the users of units below them are not included. Same rules
    as :func:`notify`; call it from ``transaction.on_commit``."""
    unit_ids = {getattr(unit, "pk", unit) for unit in units}
    unit_ids.discard(None)
    if not unit_ids:
        return 0
    users = get_user_model()._default_manager.filter(org_unit_id__in=unit_ids)
    if roles is not None:
        users = users.filter(role__in=[str(role) for role in roles])
    return notify(recipients=users, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them when ``ids`` is None); return how many changed.

    Ids of other users' notifications are ignored: a user reads only their own messages. Not audited.
    """
    unread = Notification.objects.visible_to(user).unread()
    if ids is not None:
        wanted = set()
        for value in ids:
            try:
                wanted.add(int(value))
            except (TypeError, ValueError):
                continue
        if not wanted:
            return 0
        unread = unread.filter(pk__in=wanted)
    return unread.update(read_at=timezone.now())


# --- selectors -------------------------------------------------------------------------------


def notifications_for(user, *, unread_only: bool = False):
    """The user's own notifications, newest first."""
    qs = Notification.objects.visible_to(user)
    if unread_only:
        qs = qs.unread()
    return qs.order_by("-created_at", "-id")


def unread_count(user, *, cap: int | None = None) -> int:
    """How many of the user's notifications are unread: one indexed COUNT. With ``cap`` the count stops
    there (the bell shows "99+"), so a neglected inbox costs no more than a tidy one."""
    qs = Notification.objects.visible_to(user).unread()
    if cap is not None:
        qs = qs.order_by()[:cap]
    return qs.count()


class NotificationFilterSet(StyledFilterSet):
    """One filter for the page and the API: ``?unread=true`` keeps only the unread notifications."""

    unread = BooleanFilter(label=_("Unread only"), method="filter_unread")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is True:
            return queryset.filter(read_at__isnull=True)
        if value is False:
            return queryset.filter(read_at__isnull=False)
        return queryset
