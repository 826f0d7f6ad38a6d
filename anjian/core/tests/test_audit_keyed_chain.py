"""The audit chain is signed with a secret key: whoever controls the database but not the key
cannot re-hash it after a forged row; keys rotate with the change recorded in the chain."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from anjian.core import audit, audit_keys
from anjian.core.models import AuditChainHead, AuditEntry
from anjian.core.testing import as_database_owner

K1 = "k1:" + "1" * 40
K2 = "k2:" + "2" * 40
STOLEN_OR_GUESSED = b"not-the-audit-key-but-the-same-length-as-it!"


def _entries(n: int, start: int = 0) -> list[AuditEntry]:
    return [audit.record(action="test.event", object_repr=f"对象{i}", after={"i": i}) for i in range(start, start + n)]


def _canonical(row: dict, names) -> bytes:
    payload = {name: row[name] for name in names}
    payload["created_at"] = payload["created_at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload["ip"] = payload["ip"] or None
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def plain_sha256(row: dict) -> str:
    """The hash of the chain before it was keyed: anyone who reads the source can compute it."""
    return hashlib.sha256(_canonical(row, audit.HASHED_FIELDS)).hexdigest()


def hmac_with(secret: bytes):
    def sign(row: dict) -> str:
        return hmac.digest(secret, _canonical(row, audit.KEYED_FIELDS), "sha256").hex()

    return sign


def rehash_from(seq: int, sign, *, key_id: str | None = None, object_repr: str | None = None) -> None:
    """The attacker with the database's owner rights: change row ``seq``, re-hash it and every row after
    it with ``sign``, re-link each to the one before, and move the chain head to the new last hash."""
    rows = [dict(row) for row in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values(*audit.WALKED_FIELDS)]
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS_HASH
    statements = []
    for row in rows:
        if row["seq"] == seq and object_repr is not None:
            row["object_repr"] = object_repr
        if key_id is not None:
            row["key_id"] = key_id
        row["prev_hash"] = previous
        row["hash"] = sign(row)
        statements.append(
            (
                "UPDATE core_auditentry SET object_repr = %s, key_id = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [row["object_repr"], row["key_id"], row["prev_hash"], row["hash"], row["seq"]],
            )
        )
        previous = row["hash"]
    statements.append(
        ("UPDATE core_auditchainhead SET last_hash = %s, key_id = %s WHERE id = 1", [previous, rows[-1]["key_id"]])
    )
    as_database_owner(*statements)


def append_forged(sign, *, key_id: str, action: str = "test.event", after: dict | None = None) -> None:
    """The attacker appends a row of their own at the end of the chain and moves the head to it."""
    head = AuditChainHead.objects.get(pk=1)
    last = AuditEntry.objects.get(seq=head.last_seq)
    row = {
        **{name: getattr(last, name) for name in audit.WALKED_FIELDS},
        "seq": last.seq + 1,
        "action": action,
        "object_repr": "伪造",
        "after": after,
        "before": None,
        "key_id": key_id,
        "prev_hash": last.hash,
    }
    row["hash"] = sign(row)
    columns = list(audit.WALKED_FIELDS)
    values = [
        json.dumps(row[name]) if name in {"before", "after"} and row[name] is not None else row[name]
        for name in columns
    ]
    as_database_owner(
        (
            f"INSERT INTO core_auditentry ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
            values,
        ),
        (
            "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s, key_id = %s WHERE id = 1",
            [row["seq"], row["hash"], key_id],
        ),
    )


@pytest.fixture(autouse=True)
def _english():
    """Findings are asserted in English here; the Chinese ones through the page and the command."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
class TestTheDatabaseOwnerCannotReHashTheChain:
    def test_each_row_is_signed_with_the_configured_key_and_names_it(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        first, second = _entries(2)
        assert first.key_id == second.key_id == "k1"
        assert first.hash == hmac_with(b"1" * 40)({n: getattr(first, n) for n in audit.KEYED_FIELDS})
        assert first.hash != plain_sha256({n: getattr(first, n) for n in audit.HASHED_FIELDS})
        assert audit.verify_chain().ok

    def test_a_chain_re_hashed_with_plain_sha256_after_a_forged_row_is_reported(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(5)
        rehash_from(3, plain_sha256, key_id="", object_repr="伪造的记录")
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 3)
        assert "plain SHA-256" in report.reason and "without the audit key" in report.reason

    def test_a_chain_re_hashed_with_a_wrong_key_under_the_right_key_id_is_reported(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(5)
        rehash_from(2, hmac_with(STOLEN_OR_GUESSED), object_repr="伪造的记录")
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 2)
        with translation.override("zh-hans"):
            assert "第 #2 条记录被篡改" in audit.verify_chain().reason

    def test_a_row_signed_with_an_unknown_key_id_is_reported(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(3)
        rehash_from(2, hmac_with(STOLEN_OR_GUESSED), key_id="k9")
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 2)
        assert "no change of key was recorded" in report.reason

    def test_the_detail_page_flags_a_row_signed_with_a_wrong_key(self, settings, client, cast):
        settings.AUDIT_HMAC_KEYS = [K1]
        entry = audit.record(action="test.event", object_repr="原样", org_unit=cast.city)
        rehash_from(entry.seq, hmac_with(STOLEN_OR_GUESSED), object_repr="伪造")
        client.force_login(cast.audit_admin)
        body = client.get(f"/audit/{entry.seq}/").content.decode()
        assert "已被篡改" in body and "k1" in body


@pytest.mark.django_db
class TestKeyRotation:
    def test_rotation_records_the_change_and_old_rows_keep_verifying(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(2)
        call_command("verify_audit")  # a checkpoint signed with k1
        settings.AUDIT_HMAC_KEYS = [K2, K1]
        _entries(2, start=2)
        rows = list(AuditEntry.objects.order_by("seq").values_list("seq", "key_id", "action", "after"))
        assert [(seq, key) for seq, key, _a, _b in rows] == [(1, "k1"), (2, "k1"), (3, "k2"), (4, "k2"), (5, "k2")]
        assert rows[2][2:] == (audit.KEY_ROTATED, {"previous_key_id": "k1", "key_id": "k2"})
        report = audit.verify_chain()
        assert report.ok and report.checked == 5 and report.checkpoints == 1

    def test_the_rotation_command_generates_a_key_and_records_the_change_at_once(self, settings, capsys):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(1)
        call_command("rotate_audit_key", "--generate", "--id", "k2027")
        line = capsys.readouterr().out.strip()
        assert line.startswith("k2027:") and audit_keys.parse_keys([line])[0][0] == "k2027"
        settings.AUDIT_HMAC_KEYS = [line, K1]
        call_command("rotate_audit_key")
        out = capsys.readouterr().out
        assert "k1 → k2027" in out and "checkpoint:" in out
        assert AuditEntry.objects.get(seq=2).action == audit.KEY_ROTATED
        call_command("rotate_audit_key")
        assert "no change to record" in capsys.readouterr().out
        assert AuditEntry.objects.count() == 2

    def test_a_process_whose_keys_lag_behind_a_rotation_keeps_signing_with_the_chain_key(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(1)
        settings.AUDIT_HMAC_KEYS = [K2, K1]
        _entries(1)
        settings.AUDIT_HMAC_KEYS = [K1, K2]  # a process not yet restarted with the new order
        (late,) = _entries(1)
        assert late.key_id == "k2"
        assert audit.verify_chain().ok

    def test_a_process_without_the_chain_key_refuses_to_sign_rather_than_fork_the_chain(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(1)
        settings.AUDIT_HMAC_KEYS = [K2, K1]
        _entries(1)
        settings.AUDIT_HMAC_KEYS = [K1]
        with pytest.raises(audit_keys.AuditKeyError, match="'k2'"):
            _entries(1)
        settings.AUDIT_HMAC_KEYS = [K2, K1]
        assert audit.verify_chain().ok and AuditEntry.objects.count() == 3

    def test_a_leaked_old_key_cannot_sign_after_the_rotation(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(2)
        settings.AUDIT_HMAC_KEYS = [K2, K1]
        _entries(1)  # row 3 moves the chain to k2
        old_key = hmac_with(b"1" * 40)
        append_forged(old_key, key_id="k1", action=audit.KEY_ROTATED, after={"previous_key_id": "k2", "key_id": "k1"})
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 5)
        assert "switches back to key “k1”" in report.reason and "#3" in report.reason

    def test_removing_a_key_that_signed_rows_is_reported_not_ignored(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        _entries(1)
        settings.AUDIT_HMAC_KEYS = [K2]
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 1)
        assert "AUDIT_HMAC_KEYS" in report.reason


@pytest.mark.django_db
class TestTheDefaultKey:
    def test_without_audit_hmac_keys_the_key_is_derived_from_the_secret_key_under_its_own_label(self, settings):
        settings.AUDIT_HMAC_KEYS = []
        (entry,) = _entries(1)
        key_id, secret = audit_keys.derived_key(settings.SECRET_KEY)
        assert entry.key_id == key_id and key_id.startswith("sk-")
        assert secret != settings.SECRET_KEY.encode() and settings.SECRET_KEY[:8] not in key_id
        assert entry.hash == hmac_with(secret)({n: getattr(entry, n) for n in audit.KEYED_FIELDS})

    def test_a_changed_secret_key_is_recorded_and_old_rows_verify_through_the_fallbacks(self, settings):
        settings.AUDIT_HMAC_KEYS = []
        _entries(1)
        old = settings.SECRET_KEY
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "n" * 40, [old]
        _entries(1)
        assert AuditEntry.objects.get(seq=2).action == audit.KEY_ROTATED
        assert audit.verify_chain().ok

    def test_malformed_keys_are_refused_with_the_reason(self, settings):
        for value, reason in [
            (["k1"], "'id:secret'"),
            (["k1:short"], "shorter than 32"),
            ([K1, K1], "listed twice"),
            (["sk-12345678:" + "x" * 40], "reserved"),
            (["bad id:" + "x" * 40], "'id:secret'"),
        ]:
            settings.AUDIT_HMAC_KEYS = value
            with pytest.raises(audit_keys.AuditKeyError, match=reason):
                audit_keys.key_ring()


@pytest.mark.django_db
class TestRowsFromBeforeKeying:
    def _legacy_rows(self, n: int) -> None:
        """Rows as the log wrote them before it was keyed: key id "" and a plain SHA-256."""
        head, _created = AuditChainHead.objects.get_or_create(pk=1)
        for i in range(n):
            entry = AuditEntry(
                seq=head.last_seq + 1,
                created_at=timezone.now(),
                action="test.legacy",
                object_repr=f"旧记录{i}",
                after={"i": i},
                prev_hash=head.last_hash,
                key_id="",
            )
            entry.hash = plain_sha256({n: getattr(entry, n) for n in audit.HASHED_FIELDS})
            entry.save(force_insert=True)
            head.last_seq, head.last_hash = entry.seq, entry.hash
        AuditChainHead.objects.filter(pk=1).update(last_seq=head.last_seq, last_hash=head.last_hash, key_id="")

    def test_they_verify_and_the_chain_continues_keyed_from_a_recorded_change(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        self._legacy_rows(3)
        assert audit.verify_chain().ok
        _entries(2)
        rotation = AuditEntry.objects.get(seq=4)
        assert (rotation.action, rotation.key_id, rotation.after) == (
            audit.KEY_ROTATED,
            "k1",
            {"previous_key_id": "", "key_id": "k1"},
        )
        report = audit.verify_chain()
        assert report.ok and report.checked == 6

    def test_a_plain_row_appended_after_keying_is_reported(self, settings):
        settings.AUDIT_HMAC_KEYS = [K1]
        self._legacy_rows(2)
        _entries(1)  # rows 3 (the change of key) and 4
        append_forged(plain_sha256, key_id="")
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 5)
        assert "from row #3 on" in report.reason
