"""Import of historical accidents from Excel/CSV: a valid file (grades, late flags, one audit record), a file
with every kind of error (error sheet, nothing written), scope, bad files, the page, the job and the command."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.accidents import imports
from anjian.accidents.imports import COLUMNS, import_accidents
from anjian.accidents.models import Accident
from anjian.core.imports import runner
from anjian.core.imports.errors import error_sheet
from anjian.core.models import AuditEntry, Job, JobStatus
from anjian.inspections.testing import zh
from anjian.registry.testing import credit_code, make_site

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = [c.header for c in COLUMNS]


def row(**values) -> dict:
    """A valid production accident in 东街道 (whose boundary is the square 120.1–120.2, 30.1–30.2)."""
    base = {
        "发生时间": "2025-03-04 14:30",
        "报告时间": "2025-03-04 15:00",
        "地址": "甲区东路1号车间",
        "经度": 120.15,
        "纬度": 30.15,
        "所属街镇/园区": "东街道",
        "事故类别": "生产安全事故",
        "行业领域": "工矿商贸",
        "事故类型": "机械伤害",
        "死亡人数": 1,
        "重伤人数": 0,
        "轻伤人数": 2,
        "失踪人数": 0,
        "直接经济损失(元)": 350000,
        "事故简要情况": "冲压机伤人",
    }
    base.update(values)
    return base


def xlsx(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事故"
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow(["" if values.get(h) is None else values.get(h) for h in HEADERS])
    return buffer.getvalue().encode(encoding)


def run(cast, data: bytes, filename: str = "accidents.xlsx", actor="safety_officer"):
    return import_accidents(actor=getattr(cast, actor), district=cast.district, source=data, filename=filename)


def reasons(result) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.column, e.code) for e in result.errors]


class TestValidFiles:
    def test_it_imports_accidents_with_computed_grades_and_late_flags_and_one_audit_record(self, cast):
        audits = AuditEntry.objects.count()
        data = xlsx(
            [
                row(),
                # 3 deaths: relatively serious (较大); reported two hours later: late.
                row(**{"发生时间": "2025-05-01 08:00", "报告时间": "2025-05-01 10:00", "死亡人数": 3}),
                # A loss of exactly 10,000,000 CNY is relatively serious as well ("以上" includes the number).
                row(
                    **{
                        "发生时间": "2025-06-01 08:00",
                        "报告时间": "2025-06-01 09:00",
                        "死亡人数": 0,
                        "直接经济损失(元)": 10000000,
                    }
                ),
                # Road traffic, no sector, blank type: a vehicle injury in 西街道 (no boundary), no coordinates.
                row(
                    **{
                        "发生时间": datetime.datetime(2025, 7, 1, 21, 5),
                        "报告时间": datetime.datetime(2025, 7, 1, 21, 6),
                        "事故类别": "道路交通事故（一般程序）",
                        "行业领域": None,
                        "事故类型": None,
                        "所属街镇/园区": "西街道",
                        "经度": None,
                        "纬度": None,
                        "地址": "西环路口",
                    }
                ),
            ]
        )
        result = run(cast, data)
        assert result.ok, reasons(result)
        assert result.rows == result.created == 4
        accidents = {timezone_date(a): a for a in Accident.objects.all()}
        first = accidents["2025-03-04 14:30"]
        assert (first.grade, first.late_report, first.sector_id, first.territory, first.created_by) == (
            "ordinary",
            False,
            "industry_trade",
            cast.street,
            cast.safety_officer,
        )
        assert first.direct_loss == Decimal("350000") and first.minor_injuries == 2
        assert first.longitude == Decimal("120.150000")
        assert (accidents["2025-05-01 08:00"].grade, accidents["2025-05-01 08:00"].late_report) == (
            "relatively_serious",
            True,
        )
        assert accidents["2025-06-01 08:00"].grade == "relatively_serious"
        road = accidents["2025-07-01 21:05"]
        assert (road.category, road.accident_type, road.sector_id, road.territory) == (
            "road_traffic",
            "vehicle",
            None,
            cast.other_street,
        )
        assert AuditEntry.objects.count() == audits + 1
        entry = AuditEntry.objects.latest("id")
        assert entry.action == "accidents.accident.import" and entry.after["created"] == 4

    def test_it_links_a_registered_place_by_external_id_or_credit_code_and_name(self, cast):
        site = make_site(
            district=cast.district,
            territory=cast.street,
            name="东风厂",
            enterprise_n=3,
            external_id="EXT-1",
            address="东路9号",
            latitude=Decimal("30.12"),
            longitude=Decimal("120.12"),
        )
        data = xlsx(
            [
                row(**{"场所外部编号": "EXT-1", "地址": None, "所属街镇/园区": None}),
                row(
                    **{
                        "发生时间": "2025-04-04 10:00",
                        "报告时间": "2025-04-04 10:10",
                        "统一社会信用代码": credit_code(3),
                        "场所名称": "东风厂",
                        "地址": None,
                    }
                ),
            ]
        )
        result = run(cast, data)
        assert result.ok, reasons(result)
        assert list(Accident.objects.values_list("site_id", "territory_id", "address").order_by().distinct()) == [
            (site.pk, cast.street.pk, "东路9号")
        ]

    @pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
    def test_it_imports_csv_in_the_encodings_chinese_excel_writes(self, cast, encoding):
        result = run(cast, csv_bytes([row()], encoding), filename="accidents.csv")
        assert result.ok, reasons(result)
        assert Accident.objects.get().summary == "冲压机伤人"

    def test_the_template_has_the_headers_and_an_instructions_sheet(self, cast):
        workbook = load_workbook(io.BytesIO(imports.build_template(district=cast.district)))
        assert workbook.sheetnames == ["事故", "填写说明"]
        assert [c.value for c in workbook["事故"][1]] == HEADERS
        notes = [r[0] for r in workbook["填写说明"].iter_rows(values_only=True)]
        assert "东街道" in notes and "工矿商贸" in notes
        # The template as downloaded, filled with one row, imports.
        sheet = workbook["事故"]
        sheet.append([row().get(h) for h in HEADERS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert run(cast, buffer.getvalue()).ok


def timezone_date(accident) -> str:
    return accident.occurred_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


class TestBadRows:
    def test_a_file_with_many_kinds_of_errors_writes_nothing_and_lists_every_error(self, cast):
        Accident.objects.create(
            district=cast.district,
            territory=cast.street,
            category="fire",
            accident_type="fire",
            occurred_at=datetime.datetime(2025, 1, 9, 9, 0, tzinfo=SHANGHAI),
            reported_at=datetime.datetime(2025, 1, 9, 9, 10, tzinfo=SHANGHAI),
            address="旧仓库",
            summary="火灾",
            created_by=cast.safety_officer,
        )
        rows = [
            row(**{"发生时间": "昨天"}),  # 2: not a time
            row(**{"发生时间": "2025-02-01 10:00", "报告时间": "2025-02-01 09:00"}),  # 3: report before accident
            row(**{"发生时间": "2025-02-02 10:00", "报告时间": "2025-02-02 10:01", "死亡人数": -1}),  # 4
            row(**{"发生时间": "2025-02-03 10:00", "报告时间": "2025-02-03 10:01", "重伤人数": 1.5}),  # 5
            row(**{"发生时间": "2025-02-04 10:00", "报告时间": "2025-02-04 10:01", "事故类别": "地震"}),  # 6
            row(**{"发生时间": "2025-02-05 10:00", "报告时间": "2025-02-05 10:01", "行业领域": None}),  # 7
            row(**{"发生时间": "2025-02-06 10:00", "报告时间": "2025-02-06 10:01", "事故类型": "踩踏"}),  # 8
            row(**{"发生时间": "2025-02-07 10:00", "报告时间": "2025-02-07 10:01", "所属街镇/园区": "北街道"}),  # 9
            row(**{"发生时间": "2025-02-08 10:00", "报告时间": "2025-02-08 10:01", "经度": 121.5}),  # 10
            row(**{"发生时间": "2025-02-09 10:00", "报告时间": "2025-02-09 10:01", "场所外部编号": "NOPE"}),  # 11
            row(),  # 12
            row(),  # 13: the same accident as row 12
            row(**{"发生时间": "2025-01-09 09:00", "报告时间": "2025-01-09 09:10", "地址": "旧仓库"}),  # 14: recorded
            row(**{"发生时间": "2099-01-01 10:00", "报告时间": "2099-01-01 10:01"}),  # 15: in the future
            row(**{"发生时间": "2025-02-10 10:00", "报告时间": "2025-02-10 10:01", "事故简要情况": None}),  # 16
            row(**{"发生时间": "2025-02-11 10:00", "报告时间": "2025-02-11 10:01", "纬度": None}),  # 17
        ]
        before = (Accident.objects.count(), AuditEntry.objects.count())
        result = run(cast, xlsx(rows))
        assert not result.ok
        assert (Accident.objects.count(), AuditEntry.objects.count()) == before
        found = {(e.row, e.column) for e in result.errors}
        assert {
            (2, "发生时间"),
            (3, "报告时间"),
            (4, "死亡人数"),
            (5, "重伤人数"),
            (6, "事故类别"),
            (7, "行业领域"),
            (8, "事故类型"),
            (9, "所属街镇/园区"),
            (10, "经度"),
            (11, "场所外部编号"),
            (13, "发生时间"),
            (15, "发生时间"),
            (16, "事故简要情况"),
            (17, "纬度"),
        } <= found
        # The row that is fine on its own (12) has no error; its duplicate (13) names it.
        assert 12 not in {e.row for e in result.errors}
        duplicate = next(e for e in result.errors if e.row == 13)
        assert "12" in duplicate.reason

        # The error sheet, in Chinese: 行号/列/值/错误原因.
        sheet = load_workbook(io.BytesIO(error_sheet(result))).active
        lines = list(sheet.iter_rows(values_only=True))
        assert lines[0] == (zh("Row"), zh("Column"), zh("Value"), zh("Reason"))
        assert len(lines) == 1 + result.error_count

    def test_a_duplicate_of_a_recorded_accident_is_refused_once_the_rows_are_fine(self, cast):
        assert run(cast, xlsx([row()])).ok
        result = run(cast, xlsx([row()]))
        assert not result.ok and [e.code for e in result.errors] == ["duplicate_existing"]
        assert Accident.objects.count() == 1

    def test_it_explains_errors_in_chinese(self, cast):
        result = run(cast, xlsx([row(**{"死亡人数": "三"})]))
        assert result.errors[0].reason == zh("Enter a whole number.")


class TestScope:
    def test_a_street_officer_cannot_import_into_another_street(self, cast):
        result = run(
            cast, xlsx([row(**{"所属街镇/园区": "西街道", "经度": None, "纬度": None})]), actor="street_officer"
        )
        assert [e.code for e in result.errors] == ["out_of_scope"]
        assert Accident.objects.count() == 0
        assert run(cast, xlsx([row()]), actor="street_officer").ok

    def test_a_place_out_of_scope_reads_as_unknown(self, cast):
        make_site(district=cast.district, territory=cast.other_street, name="西厂", external_id="WEST-1")
        result = run(cast, xlsx([row(**{"场所外部编号": "WEST-1", "所属街镇/园区": None})]), actor="street_officer")
        assert [e.code for e in result.errors] == ["unknown_place"]
        assert Accident.objects.count() == 0

    def test_a_department_imports_only_its_sectors(self, cast):
        result = run(cast, xlsx([row(**{"行业领域": "建筑施工"})]), actor="department_officer")
        assert [e.code for e in result.errors] == ["out_of_scope"]
        assert run(cast, xlsx([row()]), actor="department_officer").ok

    @pytest.mark.parametrize("member", ["leader", "enterprise", "audit_admin", "far_safety_officer"])
    def test_it_refuses_members_without_write_scope_over_the_district(self, cast, member):
        result = run(cast, xlsx([row()]), actor=member)
        assert [e.code for e in result.errors] == ["permission"]
        assert Accident.objects.count() == 0


class TestBadFiles:
    @pytest.mark.parametrize(
        ("data", "name", "code"),
        [
            (b"", "a.xlsx", "empty_file"),
            (b"this is text, not a workbook", "a.xlsx", "not_excel"),
            (b"PK\x03\x04garbage", "a.xlsx", "not_excel"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", "xls"),
            ("甲,乙\n1,2\n".encode("gbk"), "a.csv", "header"),
        ],
    )
    def test_it_rejects_a_bad_file_with_a_clear_error(self, cast, data, name, code):
        result = run(cast, data, filename=name)
        assert not result.ok and result.errors[0].code == code
        assert Accident.objects.count() == 0

    def test_it_rejects_headers_without_rows_and_missing_required_columns(self, cast):
        assert run(cast, xlsx([])).errors[0].code == "no_rows"
        result = run(cast, xlsx([row()], headers=[h for h in HEADERS if h != "事故类别"]))
        assert [(e.row, e.code) for e in result.errors] == [(1, "header")]


class TestPages:
    def test_it_imports_through_the_page_and_shows_the_result(self, cast, client_for):
        client = client_for(cast.safety_officer)
        page = client.get(reverse("accidents:import_form"))
        assert page.status_code == 200
        upload = io.BytesIO(xlsx([row()]))
        upload.name = "accidents.xlsx"
        response = client.post(reverse("accidents:import_form"), {"file": upload}, follow=True)
        assert response.status_code == 200
        assert b'data-testid="import-succeeded"' in response.content
        assert Accident.objects.count() == 1
        template = client.get(reverse("accidents:import_template"))
        assert template.status_code == 200 and template.content[:2] == b"PK"

    def test_a_bad_file_gives_the_error_table_and_sheet_never_a_500(self, cast, client_for):
        client = client_for(cast.safety_officer)
        upload = io.BytesIO(xlsx([row(**{"死亡人数": -2})]))
        upload.name = "bad.xlsx"
        response = client.post(reverse("accidents:import_form"), {"file": upload}, follow=True)
        assert b'data-testid="import-failed"' in response.content and b'data-testid="error-table"' in response.content
        job = Job.objects.get(kind=imports.JOB_KIND)
        sheet = client.get(reverse("accidents:import_errors", args=[job.pk]))
        assert sheet.status_code == 200
        text = io.BytesIO(b"plain text")
        text.name = "fake.xlsx"
        assert client.post(reverse("accidents:import_form"), {"file": text}, follow=True).status_code == 200

    def test_a_large_file_runs_as_a_celery_job(self, cast, client_for, monkeypatch):
        monkeypatch.setattr(runner, "INLINE_MAX_ROWS", 2)
        calls = []
        original = imports.run_accident_import.delay
        monkeypatch.setattr(imports.run_accident_import, "delay", lambda pk: calls.append(pk) or original(pk))
        rows = [
            row(**{"发生时间": f"2025-03-{day:02d} 10:00", "报告时间": f"2025-03-{day:02d} 10:20"})
            for day in range(1, 6)
        ]
        upload = io.BytesIO(xlsx(rows))
        upload.name = "big.xlsx"
        response = client_for(cast.safety_officer).post(reverse("accidents:import_form"), {"file": upload})
        job = Job.objects.get(kind=imports.JOB_KIND)
        assert calls == [job.pk] and response.status_code == 302
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.result["created"] == 5 and job.progress == job.total

    def test_pages_answer_404_out_of_scope_and_redirect_anonymous(self, cast, client_for, client):
        client_for(cast.safety_officer).post(reverse("accidents:import_form"), {"file": named(xlsx([row()]), "a.xlsx")})
        job = Job.objects.get(kind=imports.JOB_KIND)
        for member in ("leader", "enterprise", "audit_admin"):
            assert client_for(getattr(cast, member)).get(reverse("accidents:import_form")).status_code == 404
        # Another officer does not see someone else's job.
        assert client_for(cast.street_officer).get(reverse("accidents:import_job", args=[job.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("accidents:import_form")).status_code == 302


def named(data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


class TestCommand:
    def test_it_imports_with_manage_py(self, cast, tmp_path):
        path = tmp_path / "accidents.xlsx"
        path.write_bytes(xlsx([row()]))
        out = io.StringIO()
        call_command("import_accidents", str(path), "--user", cast.safety_officer.username, stdout=out)
        assert "1 accidents imported" in out.getvalue() and Accident.objects.count() == 1

    def test_it_reports_errors_and_writes_the_error_sheet(self, cast, tmp_path):
        path = tmp_path / "bad.xlsx"
        path.write_bytes(xlsx([row(**{"事故类别": "?"})]))
        errors = tmp_path / "errors.xlsx"
        with pytest.raises(CommandError):
            call_command(
                "import_accidents",
                str(path),
                "--user",
                cast.safety_officer.username,
                "--errors",
                str(errors),
                stderr=io.StringIO(),
            )
        assert errors.read_bytes()[:2] == b"PK" and Accident.objects.count() == 0
