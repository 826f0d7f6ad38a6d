"""Signed checkpoints outside the database expose what the database alone cannot: its end removed
and the head rewritten, the tables truncated, the checkpoint file itself altered."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from anjian.core import audit, audit_checkpoints
from anjian.core.models import AuditEntry
from anjian.core.tasks import verify_audit_chain
from anjian.core.testing import as_database_owner

K1 = "k1:" + "1" * 40


def _entries(n: int) -> list[AuditEntry]:
    return [audit.record(action="test.event", object_repr=f"对象{i}", after={"i": i}) for i in range(n)]


def _checkpoint_lines(settings) -> list[dict]:
    path = audit_checkpoints.checkpoint_path()
    assert path.parent == settings.AUDIT_CHECKPOINT_DIR
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _empty_the_log_as_its_owner() -> None:
    """PostgreSQL: the owner (here a superuser) switches triggers off for the session and truncates;
    SQLite: whoever holds the file drops the triggers and deletes every row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("TRUNCATE core_auditentry, core_auditchainhead")
            cursor.execute("SET session_replication_role = origin")
    else:
        as_database_owner(("DELETE FROM core_auditentry", []), ("DELETE FROM core_auditchainhead", []))


@pytest.fixture(autouse=True)
def _english():
    """Findings are asserted in English here; the Chinese ones through the page and the command."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
class TestWritingCheckpoints:
    def test_verify_audit_prints_and_appends_a_signed_checkpoint(self, settings, capsys):
        settings.AUDIT_HMAC_KEYS = [K1]
        entries = _entries(3)
        call_command("verify_audit")
        out = capsys.readouterr().out
        assert "OK: 3 rows" in out
        printed = json.loads(out.split("Checkpoint: ", 1)[1])
        (written,) = _checkpoint_lines(settings)
        assert printed == written
        assert (written["rows"], written["last_seq"], written["head_hash"], written["key_id"]) == (
            3,
            3,
            entries[-1].hash,
            "k1",
        )
        valid, problems = audit_checkpoints.read()
        assert (len(valid), problems) == (1, [])

    def test_the_nightly_task_writes_a_checkpoint_and_logs_it(self, settings, caplog):
        _entries(2)
        with caplog.at_level(logging.INFO, logger="anjian.core.audit"):
            result = verify_audit_chain.delay().get()
        assert result == {"ok": True, "checked": 2, "broken_seq": None, "reason": ""}
        (written,) = _checkpoint_lines(settings)
        assert written["last_seq"] == 2
        assert any(
            record.levelno == logging.INFO and written["sig"] in record.getMessage() for record in caplog.records
        )
        _entries(1)
        verify_audit_chain.delay().get()
        assert [line["rows"] for line in _checkpoint_lines(settings)] == [2, 3]

    def test_a_broken_chain_gets_no_checkpoint(self, settings, caplog):
        _entries(3)
        as_database_owner(("UPDATE core_auditentry SET object_repr = %s WHERE seq = 2", ["改"]))
        with caplog.at_level(logging.ERROR, logger="anjian.core.audit"):
            assert verify_audit_chain.delay().get()["broken_seq"] == 2
        assert not audit_checkpoints.checkpoint_path().exists()
        assert any("BROKEN at row #2" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
class TestTheCheckpointsExposeWhatTheDatabaseHides:
    def test_a_log_emptied_by_its_owner_is_reported(self, settings):
        _entries(4)
        call_command("verify_audit")
        _empty_the_log_as_its_owner()
        _entries(1)  # and the application goes on writing
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 2)
        assert "holds 1 rows, but the checkpoint of" in report.reason and "recorded 4, up to row #4" in report.reason
        with translation.override("zh-hans"), pytest.raises(CommandError, match="整表被清空"):
            call_command("verify_audit")

    def test_the_end_deleted_and_the_head_rewritten_is_reported(self, settings):
        entries = _entries(5)
        call_command("verify_audit")
        as_database_owner(
            ("DELETE FROM core_auditentry WHERE seq > 3", []),
            ("UPDATE core_auditchainhead SET last_seq = 3, last_hash = %s WHERE id = 1", [entries[2].hash]),
        )
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 4)
        assert "holds 3 rows" in report.reason and "recorded 5" in report.reason

    def test_the_end_replaced_by_new_rows_is_reported_at_the_checkpoint_row(self, settings):
        entries = _entries(5)
        call_command("verify_audit")
        as_database_owner(
            ("DELETE FROM core_auditentry WHERE seq > 3", []),
            ("UPDATE core_auditchainhead SET last_seq = 3, last_hash = %s WHERE id = 1", [entries[2].hash]),
        )
        _entries(2)  # rows 4 and 5 again, genuinely signed, but not the rows the checkpoint saw
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 5)
        assert "no longer has the hash that the checkpoint" in report.reason

    def test_a_chain_rewritten_whole_as_plain_hashes_is_reported(self, settings):
        from anjian.core.tests.test_audit_keyed_chain import plain_sha256, rehash_from

        _entries(4)
        call_command("verify_audit")
        rehash_from(1, plain_sha256, key_id="", object_repr="伪造")  # a consistent chain of pre-keying rows
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 4)
        assert "Rows up to #4 were rewritten" in report.reason

    def test_a_forged_later_checkpoint_does_not_hide_an_earlier_one(self, settings):
        _entries(3)
        call_command("verify_audit")
        path = audit_checkpoints.checkpoint_path()
        first = path.read_text("utf-8")
        _empty_the_log_as_its_owner()
        _entries(1)
        path.write_text(first + first.replace('"rows":3', '"rows":1'), "utf-8")  # and a forged lower one after it
        report = audit.verify_chain()
        assert not report.ok
        assert "recorded 3, up to row #3" in report.reason
        assert any("line 2" in problem and "invalid signature" in problem for problem in report.problems)

    def test_the_audit_page_shows_the_checkpoint_finding_in_chinese(self, client, cast, settings):
        _entries(2)
        call_command("verify_audit")
        _empty_the_log_as_its_owner()
        client.force_login(cast.audit_admin)
        body = client.get("/audit/", {"verify": "1"}).content.decode()
        assert "的检查点记录了" in body and "整表被清空" in body


@pytest.mark.django_db
class TestACheckpointFileThatWasAltered:
    def test_a_changed_value_is_reported_as_a_bad_signature(self, settings):
        _entries(3)
        call_command("verify_audit")
        path = audit_checkpoints.checkpoint_path()
        path.write_text(path.read_text("utf-8").replace('"rows":3', '"rows":2'), "utf-8")
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, None)
        assert report.reason.startswith("Checkpoint line 1 of ") and "invalid signature" in report.reason
        with translation.override("zh-hans"):
            assert "第 1 行签名无效：检查点文件被篡改" in audit.verify_chain().reason

    def test_a_line_that_is_no_checkpoint_and_one_signed_with_an_unknown_key_are_reported(self, settings):
        settings.AUDIT_HMAC_KEYS = ["k9:" + "9" * 40, K1]
        _entries(1)
        call_command("verify_audit")
        with audit_checkpoints.checkpoint_path().open("a", encoding="utf-8") as file:
            file.write('{"rows": 1, "sig": "00"}\n')
        settings.AUDIT_HMAC_KEYS = [K1, "k9:" + "9" * 40]
        assert audit.verify_chain().problems == (
            f"Checkpoint line 2 of {audit_checkpoints.checkpoint_path().name} is not a valid checkpoint.",
        )
        settings.AUDIT_HMAC_KEYS = [K1]
        report = audit.verify_chain()
        # row #1 is signed with k9 too: the chain's own finding comes first, then each bad line
        assert report.problems[0].startswith("Row #1 is signed with key “k9”")
        assert any("line 1" in problem and "“k9”" in problem for problem in report.problems[1:])

    def test_a_genuine_checkpoint_of_another_database_is_not_taken_for_this_one(self, settings):
        _entries(1)
        elsewhere = audit_checkpoints.Checkpoint(
            database="postgresql-staging-5432-anjian",
            at="2026-01-01T00:00:00+00:00",
            rows=1,
            last_seq=1,
            head_hash="f" * 64,
            key_id=audit.key_ring().current_id,
        )
        path = audit_checkpoints.checkpoint_path()
        path.parent.mkdir(parents=True)
        path.write_text(elsewhere.as_line(audit.key_ring()) + "\n", "utf-8")
        report = audit.verify_chain()
        assert report.problems == (
            f"Checkpoint line 1 of {path.name} was written for another database (postgresql-staging-5432-anjian).",
        )

    def test_an_unreadable_checkpoint_file_is_a_finding_not_a_crash(self, settings, client, cast):
        audit_checkpoints.checkpoint_path().mkdir(parents=True)  # where the file should be, something unreadable
        report = audit.verify_chain()
        assert not report.ok and "cannot be read" in report.reason
        client.force_login(cast.audit_admin)
        response = client.get("/audit/", {"verify": "1"})
        assert response.status_code == 200 and "无法读取检查点文件" in response.content.decode()
        with pytest.raises(CommandError, match="无法读取检查点文件"):  # the page left Chinese active
            call_command("verify_audit")
