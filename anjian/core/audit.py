"""Writing and verifying the hash-chained audit log (等保2.0 安全审计)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import context
from anjian.core.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
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


def to_json(value: Any) -> Any:
    """Plain JSON values (dates as ISO strings, decimals as strings), as stored and as hashed."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def compute_hash(entry: AuditEntry) -> str:
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    created = payload["created_at"]
    # The same instant hashes the same however the database hands it back.
    payload["created_at"] = created.astimezone(UTC).isoformat(timespec="microseconds")
    payload["ip"] = payload["ip"] or None
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=actor_name[:200],
            org_unit_id=getattr(org_unit, "pk", None),
            org_unit_name=str(org_unit)[:200] if org_unit is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr[:300],
            before=to_json(before),
            after=to_json(after),
            request_id=ctx.request_id if ctx else "",
            ip=ctx.ip if ctx else None,
            prev_hash=head.last_hash,
        )
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; name the first row whose content, link or position is wrong."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_id).order_by("seq")[:batch_size])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, _("Row #%(seq)s is missing.") % {"seq": expected_seq})
            if entry.prev_hash != expected_prev:
                return ChainReport(
                    False,
                    checked,
                    entry.seq,
                    _("Row #%(seq)s does not link to the row before it.") % {"seq": entry.seq},
                )
            if compute_hash(entry) != entry.hash:
                return ChainReport(
                    False,
                    checked,
                    entry.seq,
                    _("Row #%(seq)s was altered: its content no longer matches its hash.") % {"seq": entry.seq},
                )
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
            last_id = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(False, checked, checked + 1, _("Rows after #%(seq)s were removed.") % {"seq": checked})
    return ChainReport(True, checked)
