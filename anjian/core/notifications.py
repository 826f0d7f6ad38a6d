"""In-app notifications: services to send and read them, selectors to list and count them.

Notifications live in core so every app can send them (DESIGN.md); core imports no app below it, so
the senders pass users, or org units and role codes, and core only needs the user model's
``org_unit``, ``role`` and ``scope`` (and, when the user model offers it, ``prime_scopes(users)``, which
computes many users' scopes at once).

**A notification goes only to someone who may see what it is about.** Every message names the record it
is about (``about``: a hazard, a task, a campaign); at the point of sending, one place here, a recipient
who cannot see that record through its manager's ``visible_to`` gets nothing. So the three
administrators (三员分立), who see no business data, never receive business notifications, and a unit's
member whose scope no longer covers the record (the place moved to another street) is not told about
it. The check is set-based: a batch of messages costs a fixed handful of queries, however many
recipients and records it names.

Notifications are messages, not changes to the records: sending or reading one writes no audit
row. The change that causes a notification is audited by its own service.

**Who is told is decided by the kind** (:mod:`anjian.core.notification_rules`, one table for the whole
platform): a service names the kind and the record, never the recipients, and the message is sent when the
transaction commits, so that a change that rolls back tells nobody::

    notifications.tell("inspections.task_assigned", about=task, title=..., url=..., key=f"task:{task.pk}:...")

A job that sends many messages opens :func:`batched` and adds :func:`message` objects to its outbox: they are
sent, their audiences resolved and their readers checked, in batches of :data:`BATCH` messages instead of one
message at a time. :func:`send`, :func:`notify` and :func:`notify_units` address users directly; they are the
mechanism's own (and its tests'), not the apps' (a test keeps the apps on :func:`tell`).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import notification_rules as rules
from anjian.core.filters import BooleanFilter, StyledFilterSet
from anjian.core.models import Notification
from anjian.core.permissions import holds_one_of, is_business

TITLE_MAX = Notification._meta.get_field("title").max_length
KIND_MAX = Notification._meta.get_field("kind").max_length
URL_MAX = Notification._meta.get_field("url").max_length
DEDUPE_MAX = Notification._meta.get_field("dedupe_key").max_length
# Messages resolved together: their recipients, the visibility check and the dedupe lookup are one set of
# queries. Kept small enough for the ids of one batch to stay well inside SQLite's variable limit.
BATCH = 200
# Recipients checked by one UNION query (SQLite allows at most 500 terms in a compound SELECT).
UNION_PARTS = 100


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


def _ids(items: Iterable) -> tuple:
    if isinstance(items, models.QuerySet):
        return tuple(items.values_list("pk", flat=True))
    return tuple(pk for pk in (getattr(item, "pk", item) for item in items) if pk is not None)


@dataclass(frozen=True)
class Message:
    """One notification about one record, for some users and the users of some units.

    ``about`` is the record the message is about (a model instance whose manager offers ``visible_to``):
    only recipients who may see it get the message. ``users``: users or user ids (or a queryset of users);
    ``units``: org units or their ids, whose active users receive it (exactly these units, not the units
    below them), limited to ``roles`` when given. ``audiences``: recipient rules of the kind's table
    (:mod:`anjian.core.notification_rules`), resolved when the batch is sent; ``spare_units`` are left out of
    the units they name. Build messages with :func:`message`, which fills these from the kind.
    """

    about: models.Model
    kind: str
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str = ""
    users: tuple = ()
    units: tuple = ()
    roles: tuple | None = None
    audiences: tuple = ()
    spare_units: tuple = ()

    def __post_init__(self):
        # Normalised once, so the batch works on ids and strings only.
        object.__setattr__(self, "users", _ids(self.users))
        object.__setattr__(self, "units", _ids(self.units))
        object.__setattr__(self, "spare_units", _ids(self.spare_units))
        object.__setattr__(self, "audiences", tuple(str(audience) for audience in self.audiences))
        if self.roles is not None:
            object.__setattr__(self, "roles", tuple(str(role) for role in self.roles))
        for name in ("kind", "body", "url", "dedupe_key"):
            object.__setattr__(self, name, str(getattr(self, name)))
        object.__setattr__(self, "title", _truncate(str(self.title)))
        if not isinstance(self.about, models.Model) or self.about.pk is None:
            raise TypeError("A notification is about a saved record: pass it as about=.")
        if not hasattr(type(self.about)._default_manager, "visible_to"):
            raise TypeError(f"{type(self.about).__name__} has no visible_to(user): nobody could be told about it.")


def send(messages: Iterable[Message]) -> int:
    """Send the messages now; return how many notifications were created.

    Each active recipient who may see the message's record gets one notification; the others are skipped,
    as are repeated recipients. With a ``dedupe_key`` a recipient who already has a notification with that key
    gets no second one (the database constraint guarantees it even when two workers send at once), so a
    periodic job can remind "due in 3 days" exactly once per hazard per user. Not audited: a notification is a
    message, not a change. Prefer :func:`queue`, which sends after the commit.
    """
    messages = list(messages)
    for message in messages:
        _check(kind=message.kind, title=message.title, url=message.url, dedupe_key=message.dedupe_key)
    return sum(_send_batch(messages[start : start + BATCH]) for start in range(0, len(messages), BATCH))


def _recipients(addressed: list[tuple[set[int], set[int]]]) -> dict[int, object]:
    """The active users the batch names, with a business scope, by id: one query (plus the scopes' own)."""
    unit_ids = {pk for units, _users in addressed for pk in units}
    user_ids = {pk for _units, users in addressed for pk in users}
    if not user_ids and not unit_ids:
        return {}
    User = get_user_model()
    users = list(
        User._default_manager.filter(models.Q(pk__in=user_ids) | models.Q(org_unit_id__in=unit_ids), is_active=True)
        .select_related("org_unit")
        .order_by("pk")
    )
    prime = getattr(User, "prime_scopes", None)
    if prime is not None:
        prime(users)
    # 三员分立: an account that sees no business data is told nothing about it, whatever the record.
    return {user.pk: user for user in users if is_business(user)}


def _visible_pairs(wanted: dict[type, dict[int, set[int]]], users: dict[int, object]) -> set[tuple[type, int, int]]:
    """(model, record id, user id) for each record a user may see, among those asked: per model, one UNION of
    ``visible_to(user)`` restricted to that user's records, so the query count does not grow with the records."""
    visible: set[tuple[type, int, int]] = set()
    for model, per_user in wanted.items():
        manager = model._default_manager
        parts = []
        for user_id, pks in per_user.items():
            part = manager.visible_to(users[user_id]).filter(pk__in=pks)
            if part.query.is_empty():
                continue
            parts.append(
                part.order_by()
                .annotate(recipient=Value(user_id, output_field=IntegerField()))
                .values_list("pk", "recipient")
            )
        for start in range(0, len(parts), UNION_PARTS):
            first, *rest = parts[start : start + UNION_PARTS]
            query = first.union(*rest, all=True) if rest else first
            visible.update((model, pk, user_id) for pk, user_id in query)
    return visible


def _send_batch(messages: list[Message]) -> int:
    addressed = rules.resolve(messages)  # (unit ids, user ids) of each message, its audiences resolved
    users = _recipients(addressed)
    if not users:
        return 0
    by_unit: dict[int, list] = defaultdict(list)
    for user in users.values():
        by_unit[user.org_unit_id].append(user)
    targets: list[list[int]] = []
    wanted: dict[type, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for message, (unit_ids, user_ids) in zip(messages, addressed, strict=True):
        ids = {pk for pk in user_ids if pk in users}
        for unit_id in unit_ids:
            ids.update(
                user.pk
                for user in by_unit.get(unit_id, ())
                if message.roles is None or holds_one_of(user, message.roles)
            )
        targets.append(sorted(ids))
        for pk in ids:
            wanted[type(message.about)][pk].add(message.about.pk)
    visible = _visible_pairs(wanted, users)
    keys = {m.dedupe_key for m in messages if m.dedupe_key}
    # One query finds who already has which key, so the count returned is the rows really added.
    sent = set(Notification.objects.filter(dedupe_key__in=keys).order_by().values_list("recipient_id", "dedupe_key"))
    now = timezone.now()
    rows = []
    for message, ids in zip(messages, targets, strict=True):
        for pk in ids:
            if (type(message.about), message.about.pk, pk) not in visible:
                continue
            if message.dedupe_key:
                if (pk, message.dedupe_key) in sent:
                    continue
                sent.add((pk, message.dedupe_key))
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind=message.kind,
                    title=message.title,
                    body=message.body,
                    url=message.url,
                    created_at=now,
                    dedupe_key=message.dedupe_key,
                )
            )
    with transaction.atomic():
        # A concurrent sender may have added the same key since: ignore_conflicts skips it silently.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


class Outbox:
    """Messages waiting to be sent together (see :func:`batched`)."""

    def __init__(self, size: int = BATCH):
        self.size = size
        self.pending: list[Message] = []
        self.sent = 0
        self.closed = False

    def add(self, message: Message) -> None:
        if self.closed:  # delivered after the job ended (a commit the job did not wait for): alone
            self.sent += send([message])
            return
        self.pending.append(message)
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            self.sent += send(pending)


_outbox: contextvars.ContextVar[Outbox | None] = contextvars.ContextVar("anjian_outbox", default=None)


@contextlib.contextmanager
def batched(size: int = BATCH) -> Iterator[Outbox]:
    """Inside the block, messages queued (and committed) or added to the outbox are sent in batches of
    ``size`` messages; the rest go when the block ends, also when it ends with an error, since they belong
    to changes that were committed."""
    outbox = Outbox(size)
    token = _outbox.set(outbox)
    try:
        yield outbox
    finally:
        _outbox.reset(token)
        outbox.closed = True
        outbox.flush()


def queue(message: Message) -> None:
    """Send the message when the current transaction commits (never, if it rolls back); inside
    :func:`batched`, with the block's batch."""
    _check(kind=message.kind, title=message.title, url=message.url, dedupe_key=message.dedupe_key)
    outbox = _outbox.get()
    transaction.on_commit(lambda: outbox.add(message) if outbox is not None else send([message]))


def message(
    kind: str,
    *,
    about: models.Model,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    actor=None,
    units: Iterable = (),
) -> Message:
    """A message of ``kind`` about ``about``, addressed as the kind's row of the table says
    (:mod:`anjian.core.notification_rules`). ``actor``: whoever caused it (a kind may spare their unit);
    ``units``: only for a kind whose audience is named by the sender (the units a generation of tasks reached).
    ``key``: the dedupe key (one notification per recipient and key, ever)."""
    entry = rules.kind(kind)
    if not isinstance(about, models.Model) or about._meta.label != entry.about:
        raise TypeError(f"A {kind} notification is about a {entry.about}, not {type(about).__name__}.")
    units = tuple(units)
    if units and not rules.NAMED_BY_SENDER.intersection(entry.audiences):
        raise TypeError(f"The table names who gets {kind}: its sender names no units.")
    missing = rules.unresolved([kind])
    if missing:
        raise ImproperlyConfigured(f"No rule finds {', '.join(missing)}: register one (core.notification_rules).")
    actor_unit = getattr(actor, "org_unit_id", None)
    return Message(
        about=about,
        kind=kind,
        title=title,
        body=body,
        url=url,
        dedupe_key=key,
        units=tuple(u for u in units if u),
        audiences=entry.audiences,
        spare_units=(actor_unit,) if entry.spares_actor_unit and actor_unit else (),
    )


def tell(
    kind: str,
    *,
    about: models.Model,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    actor=None,
    units: Iterable = (),
) -> None:
    """Tell whom the table names for ``kind`` about ``about``, once the transaction commits (see :func:`message`).
    The services of every app send their notifications through this one function."""
    queue(message(kind, about=about, title=title, body=body, url=url, key=key, actor=actor, units=units))


def notify(
    *,
    recipients: Iterable,
    about: models.Model,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> int:
    """Send one message about ``about`` to each of ``recipients`` (users, user ids or a queryset of users) who
    may see it, now; return how many notifications were created. Same rules as :func:`send`."""
    return send(
        [Message(about=about, users=recipients, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)]
    )


def notify_units(
    *,
    units: Iterable,
    about: models.Model,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    roles: Iterable[str] | None = None,
) -> int:
    """Send one message about ``about`` to every active user of ``units`` (units or unit ids; exactly these
    units, not the units below them) who may see it, optionally only those with one of ``roles``. Same rules as
    :func:`send`."""
    message = Message(
        about=about,
        units=units,
        roles=tuple(roles) if roles is not None else None,
        kind=kind,
        title=title,
        body=body,
        url=url,
        dedupe_key=dedupe_key,
    )
    return send([message])


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
