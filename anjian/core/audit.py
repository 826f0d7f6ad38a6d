"""Writing and verifying the keyed, hash-chained audit log (等保2.0 安全审计).

Each row carries an HMAC-SHA256 of its content with the audit key (``audit_keys``), and its
content includes the previous row's signature: editing, inserting or removing a row breaks
the chain there, and only the holder of the key can sign a replacement, so the database's
owner cannot re-hash the chain after a forged row. Each row names its key id; a change of
key is itself a row (``audit.key_rotated``) signed with the new key, and a key the chain
has moved away from never signs again. Rows from before the chain was keyed (key id "",
plain SHA-256) are accepted only as the chain's first rows. What the database alone cannot
show (its end removed and the head rewritten, the tables truncated, the whole chain
re-hashed without a key) is caught by the signed checkpoints kept outside it
(``audit_checkpoints``), which ``verify_audit`` and the nightly task compare and append.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit_checkpoints, context
from anjian.core.audit_keys import LEGACY_KEY_ID, AuditKeyError, KeyRing, key_ring
from anjian.core.models import AuditChainHead, AuditEntry

logger = logging.getLogger("anjian.core.audit")

GENESIS_HASH = "0" * 64
KEY_ROTATED = "audit.key_rotated"
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "org_unit_id",
    "org_unit_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "ip",
    "prev_hash",
)
# Rows signed with a key also sign the key's id; rows from before keying hashed only the fields above.
KEYED_FIELDS = (*HASHED_FIELDS, "key_id")
WALKED_FIELDS = (*KEYED_FIELDS, "hash")


def to_json(value: Any) -> Any:
    """Plain JSON values (dates as ISO strings, decimals as strings), as stored and as hashed."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _canonical(values: Mapping[str, Any], names: Iterable[str]) -> bytes:
    payload = {name: values[name] for name in names}
    # The same instant hashes the same however the database hands it back.
    payload["created_at"] = payload["created_at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload["ip"] = payload["ip"] or None
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _row_hash(values: Mapping[str, Any], ring: KeyRing) -> str | None:
    """HMAC-SHA256 with the row's key, plain SHA-256 for a row from before keying; None for a key not held."""
    key_id = values["key_id"]
    if key_id == LEGACY_KEY_ID:
        return hashlib.sha256(_canonical(values, HASHED_FIELDS)).hexdigest()
    if key_id not in ring:
        return None
    return ring.sign(_canonical(values, KEYED_FIELDS), key_id)


def compute_hash(entry: AuditEntry, ring: KeyRing | None = None) -> str:
    """The hash ``entry`` must carry; refuses a key this process does not hold."""
    digest = _row_hash({name: getattr(entry, name) for name in KEYED_FIELDS}, ring or key_ring())
    if digest is None:
        raise AuditKeyError(f"The audit key {entry.key_id!r} is not in AUDIT_HMAC_KEYS.")
    return digest


def signature_ok(entry: AuditEntry, ring: KeyRing | None = None) -> bool:
    """Whether one row still matches its signature (False also for a key this process does not hold)."""
    digest = _row_hash({name: getattr(entry, name) for name in KEYED_FIELDS}, ring or key_ring())
    return digest is not None and hmac.compare_digest(digest, entry.hash)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "updated_at"}:  # secrets and bookkeeping stay out of the log
            continue
        data[field.attname] = field.value_from_object(instance)
    return to_json(data)


def record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    org_unit=None,
) -> AuditEntry:
    """Append one audit row. Call it inside the transaction of the change it records."""
    ctx = context.current()
    if actor is None and ctx is not None:
        actor = ctx.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    if org_unit is None and actor is not None:
        org_unit = getattr(actor, "org_unit", None)
    actor_name = ""
    if actor is not None and getattr(actor, "pk", None):
        real = getattr(actor, "real_name", "")
        actor_name = f"{actor.get_username()}（{real}）" if real else actor.get_username()
    ring = key_ring()
    fields = {
        "actor_id": getattr(actor, "pk", None),
        "actor_name": actor_name[:200],
        "org_unit_id": getattr(org_unit, "pk", None),
        "org_unit_name": str(org_unit)[:200] if org_unit is not None else "",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:64],
        "object_repr": object_repr[:300],
        "before": to_json(before),
        "after": to_json(after),
        "request_id": ctx.request_id if ctx else "",
        "ip": ctx.ip if ctx else None,
    }
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return _append(head, _signing_key(head, ring), ring, **fields)


def _append(head: AuditChainHead, key_id: str, ring: KeyRing, **fields: Any) -> AuditEntry:
    """Sign and insert the row after ``head`` (locked by the caller) and move the head to it."""
    entry = AuditEntry(
        seq=head.last_seq + 1, created_at=timezone.now(), prev_hash=head.last_hash, key_id=key_id, **fields
    )
    entry.hash = compute_hash(entry, ring)
    entry.save(force_insert=True)
    head.last_seq, head.last_hash, head.key_id = entry.seq, entry.hash, key_id
    AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash, key_id=key_id)
    return entry


def _signing_key(head: AuditChainHead, ring: KeyRing) -> str:
    """The key of the next row. When this process signs with a new key, the change is recorded first,
    as a row signed with the new key; a key the chain has already moved away from is never taken back."""
    if head.last_seq == 0 or head.key_id == ring.current_id:
        return ring.current_id
    retired = AuditEntry.objects.filter(action=KEY_ROTATED, after__previous_key_id=ring.current_id).exists()
    if not retired:
        _append(
            head,
            ring.current_id,
            ring,
            actor_id=None,
            actor_name="",
            org_unit_id=None,
            org_unit_name="",
            action=KEY_ROTATED,
            object_type="core.auditkey",
            object_id=ring.current_id,
            object_repr=f"{head.key_id or 'SHA-256'} → {ring.current_id}",
            before=None,
            after={"previous_key_id": head.key_id, "key_id": ring.current_id},
            request_id="",
            ip=None,
        )
        return ring.current_id
    if head.key_id in ring:
        # This process still lists first a key the chain has left (its AUDIT_HMAC_KEYS lags behind
        # a rotation): it keeps signing with the chain's key rather than switching back.
        return head.key_id
    raise AuditKeyError(
        f"The audit chain is signed with key {head.key_id!r}, which this process's AUDIT_HMAC_KEYS lacks; "
        "give every process the same AUDIT_HMAC_KEYS."
    )


def ensure_signing_key() -> tuple[str, str | None]:
    """Record now, not with the next change, that this process signs with its current key.

    Returns the key id in effect and the previous one when a change was recorded (None otherwise)."""
    ring = key_ring()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        if not head.last_seq:
            return ring.current_id, None  # an empty chain: its first row will carry the key
        previous, seq_before = head.key_id, head.last_seq
        key_id = _signing_key(head, ring)
    return key_id, (previous if head.last_seq != seq_before else None)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""  # the first problem
    problems: tuple[str, ...] = ()  # every problem found: the chain's first, then each bad checkpoint line
    last_hash: str = GENESIS_HASH
    checkpoints: int = 0  # valid checkpoints the database was compared with


class _Broken(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.reason = seq, reason


class _ChainWalk:
    """One pass over the rows in order, checking position, link, key and signature of each,
    and the rows that a checkpoint or the chain head names."""

    def __init__(self, ring: KeyRing, checkpoints: list[audit_checkpoints.Checkpoint], head_seq: int) -> None:
        self.ring = ring
        self.expected_seq, self.expected_prev, self.checked = 1, GENESIS_HASH, 0
        self.key_id: str | None = None  # the key the chain signs with so far
        self.keyed_since: int | None = None  # the first row signed with a key
        self.retired: dict[str, int] = {}  # key id → the row that moved the chain away from it
        self.checkpoints_at: dict[int, list[audit_checkpoints.Checkpoint]] = {}
        for checkpoint in checkpoints:
            self.checkpoints_at.setdefault(checkpoint.last_seq, []).append(checkpoint)
        self.head_seq, self.head_row_hash = head_seq, None

    def check(self, row: Mapping[str, Any]) -> None:
        seq = row["seq"]
        if seq != self.expected_seq:
            raise _Broken(self.expected_seq, _("Row #%(seq)s is missing.") % {"seq": self.expected_seq})
        if row["prev_hash"] != self.expected_prev:
            raise _Broken(seq, _("Row #%(seq)s does not link to the row before it.") % {"seq": seq})
        self._check_key(row)
        digest = _row_hash(row, self.ring)
        if digest is None:
            raise _Broken(
                seq,
                _(
                    "Row #%(seq)s is signed with key “%(key)s”, which this server does not hold: "
                    "add the key to AUDIT_HMAC_KEYS to verify it."
                )
                % {"seq": seq, "key": row["key_id"]},
            )
        if not hmac.compare_digest(digest, row["hash"]):
            raise _Broken(seq, _("Row #%(seq)s was altered: its content no longer matches its hash.") % {"seq": seq})
        for checkpoint in self.checkpoints_at.get(seq, ()):
            if row["hash"] != checkpoint.head_hash:
                raise _Broken(
                    seq,
                    _(
                        "Rows up to #%(seq)s were rewritten: row #%(seq)s no longer has the hash that the checkpoint "
                        "of %(time)s recorded."
                    )
                    % {"seq": seq, "time": checkpoint.local_time},
                )
        if seq == self.head_seq:
            self.head_row_hash = row["hash"]
        self.expected_prev, self.expected_seq, self.checked = row["hash"], seq + 1, self.checked + 1

    def _check_key(self, row: Mapping[str, Any]) -> None:
        seq, key_id = row["seq"], row["key_id"]
        if self.keyed_since is None and key_id != LEGACY_KEY_ID:
            self.keyed_since = seq
        if self.key_id is None or key_id == self.key_id:
            self.key_id = key_id
            return
        if key_id == LEGACY_KEY_ID:
            raise _Broken(
                seq,
                _(
                    "Row #%(seq)s carries a plain SHA-256 hash, but the chain is signed with a key from row "
                    "#%(since)s on: it was written without the audit key."
                )
                % {"seq": seq, "since": self.keyed_since},
            )
        after = row["after"] if isinstance(row["after"], dict) else {}
        recorded = (
            row["action"] == KEY_ROTATED
            and after.get("key_id") == key_id
            and after.get("previous_key_id") == self.key_id
        )
        if not recorded:
            raise _Broken(
                seq,
                _(
                    "Row #%(seq)s is signed with key “%(key)s” and the row before it with “%(previous)s”, "
                    "but no change of key was recorded."
                )
                % {"seq": seq, "key": key_id, "previous": self.key_id or "SHA-256"},
            )
        if key_id in self.retired:
            raise _Broken(
                seq,
                _("Row #%(seq)s switches back to key “%(key)s”, which the chain stopped using at row #%(retired)s.")
                % {"seq": seq, "key": key_id, "retired": self.retired[key_id]},
            )
        self.retired[self.key_id] = seq
        self.key_id = key_id

    def finish(self, head: Mapping[str, Any] | None, checkpoints: list[audit_checkpoints.Checkpoint]) -> None:
        """What the rows alone cannot show: the end of the log removed, or the table emptied."""
        if head is None and self.checked:
            raise _Broken(None, _("The chain head is missing."))
        if head is not None and head["last_seq"]:
            if self.checked < head["last_seq"]:
                raise _Broken(self.checked + 1, _("Rows after #%(seq)s were removed.") % {"seq": self.checked})
            if self.head_row_hash != head["last_hash"]:
                raise _Broken(
                    head["last_seq"],
                    _("The chain head does not match row #%(seq)s: it was rewritten.") % {"seq": head["last_seq"]},
                )
        if not checkpoints:
            return
        furthest = max(checkpoints, key=lambda checkpoint: max(checkpoint.rows, checkpoint.last_seq))
        if self.checked < max(furthest.rows, furthest.last_seq):
            raise _Broken(
                self.checked + 1,
                _(
                    "The log holds %(checked)s rows, but the checkpoint of %(time)s recorded %(rows)s, up to row "
                    "#%(seq)s: rows were removed or the table was emptied."
                )
                % {
                    "checked": self.checked,
                    "time": furthest.local_time,
                    "rows": furthest.rows,
                    "seq": furthest.last_seq,
                },
            )


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order and compare it with every signed checkpoint; name the first broken row,
    and every checkpoint line that is not genuine."""
    ring = key_ring()
    checkpoints, file_problems = audit_checkpoints.read()
    # The head is read before the walk: rows appended meanwhile only lengthen what the walk sees.
    head = AuditChainHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    walk = _ChainWalk(ring, checkpoints, head["last_seq"] if head else 0)
    broken: _Broken | None = None
    try:
        last_seq = 0
        while True:
            rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq").values(*WALKED_FIELDS)[:batch_size])
            if not rows:
                break
            for row in rows:
                walk.check(row)
            last_seq = rows[-1]["seq"]
        walk.finish(head, checkpoints)
    except _Broken as error:
        broken = error
    problems = ([broken.reason] if broken else []) + file_problems
    return ChainReport(
        ok=not problems,
        checked=walk.checked,
        broken_seq=broken.seq if broken else None,
        reason=problems[0] if problems else "",
        problems=tuple(problems),
        last_hash=walk.expected_prev,
        checkpoints=len(checkpoints),
    )


def verify_and_checkpoint() -> tuple[ChainReport, str | None]:
    """``verify_audit`` and the nightly task: verify, and when the chain is intact append a signed
    checkpoint of it outside the database (returned as its JSON line, also logged)."""
    report = verify_chain()
    if not report.ok:
        where = f" at row #{report.broken_seq}" if report.broken_seq else ""
        logger.error("audit chain BROKEN%s: %s", where, " | ".join(report.problems))
        return report, None
    _checkpoint, line = audit_checkpoints.write(
        rows=report.checked, last_seq=report.checked, head_hash=report.last_hash
    )
    logger.info("audit chain OK: %s rows, compared with %s checkpoints", report.checked, report.checkpoints)
    return report, line
