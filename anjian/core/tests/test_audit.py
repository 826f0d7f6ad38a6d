"""The audit log is append-only and hash-chained; tampering is found and named."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from anjian.core import audit
from anjian.core.models import AppendOnlyError, AuditEntry
from anjian.core.testing import as_database_owner


def _entries(n: int) -> list[AuditEntry]:
    return [
        audit.record(action="test.event", object_repr=f"对象{i}", after={"i": i, "名称": "值", "amount": 1.5})
        for i in range(n)
    ]


def _tamper(sql: str, params: list) -> None:
    """Change the table behind the application's back, as someone with database access could."""
    as_database_owner((sql, params))


@pytest.mark.django_db
class TestChain:
    def test_it_links_each_row_to_the_previous_one(self):
        first, second, third = _entries(3)
        assert first.prev_hash == audit.GENESIS_HASH
        assert second.prev_hash == first.hash and third.prev_hash == second.hash
        assert [first.seq, second.seq, third.seq] == [1, 2, 3]
        report = audit.verify_chain()
        assert report.ok and report.checked == 3

    def test_a_reloaded_row_hashes_the_same(self):
        (entry,) = _entries(1)
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert audit.compute_hash(stored) == entry.hash

    def test_it_names_the_row_whose_content_was_altered(self):
        entries = _entries(5)
        _tamper("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["改过了", entries[2].seq])
        report = audit.verify_chain()
        assert not report.ok
        assert report.broken_seq == 3
        assert "#3" in report.reason

    def test_it_names_a_row_removed_from_the_middle(self):
        entries = _entries(5)
        _tamper("DELETE FROM core_auditentry WHERE seq = %s", [entries[1].seq])
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 2)

    def test_it_notices_rows_removed_from_the_end(self):
        entries = _entries(4)
        _tamper("DELETE FROM core_auditentry WHERE seq = %s", [entries[3].seq])
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 4)

    def test_it_names_a_row_whose_hash_was_recomputed_but_not_its_successor(self):
        entries = _entries(3)
        entry = AuditEntry.objects.get(seq=2)
        entry.object_repr = "伪造"
        forged_hash = audit.compute_hash(entry)
        _tamper(
            "UPDATE core_auditentry SET object_repr = %s, hash = %s WHERE seq = %s",
            ["伪造", forged_hash, entries[1].seq],
        )
        report = audit.verify_chain()
        assert (report.ok, report.broken_seq) == (False, 3)

    def test_verify_audit_command_prints_ok(self, capsys):
        _entries(2)
        call_command("verify_audit")
        assert "OK：审计链完整，共校验 2 行，与此前 0 个签名检查点一致" in capsys.readouterr().out
        call_command("verify_audit")
        assert "与此前 1 个签名检查点一致" in capsys.readouterr().out

    def test_verify_audit_command_names_the_broken_row(self):
        entries = _entries(3)
        _tamper("UPDATE core_auditentry SET after = %s WHERE seq = %s", ['{"i": 99}', entries[0].seq])
        with pytest.raises(CommandError, match=r"^BROKEN：审计链自第 #1 行起被破坏："):
            call_command("verify_audit")

    def test_it_records_the_request_id_and_address_of_a_page_request(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            f"/accounts/users/{cast.street_officer.pk}/reset-password/",
            HTTP_X_REQUEST_ID="req-1234567890",
            REMOTE_ADDR="10.1.2.3",
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.filter(action="accounts.user.reset_password").get()
        assert entry.request_id == "req-1234567890"
        assert entry.ip == "10.1.2.3"
        assert entry.actor_id == cast.system_admin.pk
        assert entry.org_unit_id == cast.street.pk
        assert entry.object_id == str(cast.street_officer.pk)


@pytest.mark.django_db
class TestAppendOnly:
    def test_the_application_cannot_update_or_delete_a_row(self):
        (entry,) = _entries(1)
        entry.action = "changed"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"

    def test_the_database_refuses_an_update(self):
        (entry,) = _entries(1)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET action = %s WHERE seq = %s", ["changed", entry.seq])
        assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"

    def test_the_database_refuses_a_delete(self):
        (entry,) = _entries(1)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry WHERE seq = %s", [entry.seq])
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry")
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its DELETE is refused)")
    def test_postgresql_refuses_to_truncate_the_log_or_its_head(self):
        _entries(2)
        for table in ("core_auditentry", "core_auditchainhead"):
            with (
                pytest.raises(DatabaseError, match="TRUNCATE refused"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"TRUNCATE {table} CASCADE")
        assert AuditEntry.objects.count() == 2
        assert audit.verify_chain().ok


@pytest.mark.django_db
class TestAuditPages:
    def test_a_city_auditor_reads_failed_logins_of_unknown_names(self, client, cast):
        client.post("/accounts/login/", {"username": "ghost", "password": "whatever1"})
        client.force_login(cast.audit_admin)
        body = client.get("/audit/", {"q": "ghost"}).content.decode()
        assert "登录失败" in body

    def test_a_district_auditor_reads_only_its_district(self, client, cast):
        from anjian.accounts.services import create_user

        district_auditor, _pw = create_user(
            actor=None,
            username="d_audit",
            real_name="区审计",
            org_unit=cast.district,
            role="audit_admin",
            must_change_password=False,
        )
        mine = audit.record(action="test.event", object_repr="本区", org_unit=cast.street)
        theirs = audit.record(action="test.event", object_repr="外区", org_unit=cast.far_street)
        nobody = audit.record(action="test.event", object_repr="无单位")
        seen = set(AuditEntry.objects.visible_to(district_auditor).values_list("seq", flat=True))
        assert mine.seq in seen and theirs.seq not in seen and nobody.seq not in seen

    def test_a_contradictory_date_range_lists_nothing(self, client, cast):
        _entries(3)
        client.force_login(cast.audit_admin)
        response = client.get("/audit/", {"date_from": "2026-12-31", "date_to": "2026-01-01"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "开始日期晚于结束日期" in body or "晚于" in body
        assert "对象0" not in body

    def test_the_detail_shows_readable_action_and_json(self, client, cast):
        entry = audit.record(action="auth.login", after={"名称": "值"}, org_unit=cast.city)
        client.force_login(cast.audit_admin)
        body = client.get(f"/audit/{entry.seq}/").content.decode()
        assert "登录" in body and "&quot;名称&quot;: &quot;值&quot;" in body

    def test_the_chain_check_button_says_how_many_checkpoints_it_compared(self, client, cast):
        _entries(2)
        call_command("verify_audit")
        client.force_login(cast.audit_admin)
        body = client.get("/audit/", {"verify": "1"}).content.decode()
        rows = AuditEntry.objects.count()
        assert f"审计链完整：已校验 {rows} 条记录，与库外保存的 1 个签名检查点一致。" in body

    def test_the_chain_check_button_reports_in_chinese(self, client, cast):
        entries = _entries(3)
        _tamper("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["改", entries[1].seq])
        client.force_login(cast.audit_admin)
        body = client.get("/audit/", {"verify": "1"}).content.decode()
        assert f"第 #{entries[1].seq} 条记录被篡改" in body
