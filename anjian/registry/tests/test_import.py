"""Import of places from Excel/CSV: the bad-file corpus, re-import, scope, the page, the command, the task."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from anjian.core.imports import checking, runner
from anjian.core.imports.errors import error_sheet
from anjian.core.models import AuditEntry, Job, JobStatus
from anjian.organizations.geo import contains
from anjian.registry import imports
from anjian.registry.imports import CHEMICAL_HEADERS, HEADERS, import_sites
from anjian.registry.models import ChemicalInventory, Enterprise, Site, SiteSector, SiteStatusChange
from anjian.registry.testing import credit_code

BAD_CREDIT_CODE = credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1")


def row(**values) -> dict:
    """A valid row of 东街道 (whose boundary is the square 120.1–120.2, 30.1–30.2), overridable by header."""
    base = {
        "场所名称": "东风化工仓库",
        "统一社会信用代码": credit_code(1),
        "企业名称": "东风化工有限公司",
        "法定代表人": "张三",
        "主要负责人": "李四",
        "主要负责人手机": "13800138000",
        "所属街镇/园区": "东街道",
        "详细地址": "甲区东路1号",
        "经度": 120.15,
        "纬度": 30.15,
        "行业领域": "危险化学品",
        "细分类型": "储存",
        "建筑面积(㎡)": 1200.5,
        "地上层数": 2,
        "从业人员数": 35,
    }
    base.update(values)
    return base


def xlsx(rows: list[dict], headers: list[str] | None = None, chemicals: list[dict] | None = None) -> bytes:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "场所"
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    if chemicals is not None:
        chem = workbook.create_sheet("危化品储存")
        chem.append(CHEMICAL_HEADERS)
        for values in chemicals:
            chem.append([values.get(h) for h in CHEMICAL_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding: str, headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow(["" if values.get(h) is None else values.get(h) for h in headers])
    return buffer.getvalue().encode(encoding)


def run(cast, data: bytes, filename: str = "places.xlsx", actor="safety_officer"):
    user = getattr(cast, actor) if actor else None
    return import_sites(actor=user, district=cast.district, source=data, filename=filename)


def counts():
    return Site.objects.count(), Enterprise.objects.count(), SiteSector.objects.count()


def codes(result) -> set[str]:
    return {e.code for e in result.errors}


def sheet_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


@pytest.mark.django_db
class TestValidFiles:
    def test_it_imports_places_with_enterprises_sectors_history_and_one_audit_record(self, cast):
        audit_before = AuditEntry.objects.count()
        data = xlsx(
            [
                row(外部编号="EXT-1"),
                row(场所名称="东风化工二号仓库", 外部编号="EXT-2", 细分类型="", 行业领域="危险化学品、特种设备"),
                row(
                    场所名称="西街道幸福小区3幢",
                    统一社会信用代码=None,
                    企业名称=None,
                    法定代表人=None,
                    主要负责人=None,
                    主要负责人手机=None,
                    **{"所属街镇/园区": "西街道", "经度": None, "纬度": None, "行业领域": "自建房", "细分类型": None},
                    结构类型="砖混",
                    经营用途="餐饮",
                    建成年份=1998,
                ),
            ]
        )
        result = run(cast, data)

        assert result.ok, result.errors
        assert (result.created, result.updated, result.enterprises_created) == (3, 0, 1)
        chem = Site.objects.get(external_id="EXT-1")
        assert chem.territory == cast.street and chem.district == cast.district
        assert chem.enterprise.credit_code == credit_code(1) and chem.enterprise.principal_mobile == "13800138000"
        assert chem.floor_area == Decimal("1200.50") and chem.floors == 2 and chem.longitude == Decimal("120.150000")
        assert list(chem.site_sectors.values_list("sector_id", "subtype")) == [("hazchem", "storage")]
        assert set(Site.objects.get(external_id="EXT-2").site_sectors.values_list("sector_id", flat=True)) == {
            "hazchem",
            "special_equipment",
        }
        house = Site.objects.get(name="西街道幸福小区3幢")
        assert (house.structure_type, house.business_use, house.year_built) == ("brick_concrete", "catering", 1998)
        assert house.enterprise is None
        assert (
            SiteStatusChange.objects.filter(site__in=[chem, house], from_status="", to_status="operating").count() == 2
        )
        entries = AuditEntry.objects.filter(action="registry.site.import")
        assert AuditEntry.objects.count() == audit_before + 1 and entries.count() == 1
        assert entries[0].after["created"] == 3 and len(entries[0].after["sha256"]) == 64

    def test_it_imports_a_gbk_encoded_csv(self, cast):
        result = run(cast, csv_bytes([row(), row(场所名称="东风化工二号仓库")], "gbk"), "places.csv")
        assert result.ok, result.errors
        assert Site.objects.filter(name="东风化工二号仓库", enterprise__name="东风化工有限公司").exists()

    @pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
    def test_it_imports_csv_in_the_encodings_chinese_excel_writes(self, cast, encoding):
        result = run(cast, csv_bytes([row()], encoding), "places.csv")
        assert result.ok, result.errors
        assert Site.objects.get().name == "东风化工仓库"

    def test_it_reimports_by_external_id_and_by_credit_code_and_name_instead_of_duplicating(self, cast):
        first = run(cast, xlsx([row(外部编号="EXT-1"), row(场所名称="东风化工二号仓库")]))
        assert first.ok
        again = xlsx(
            [
                row(外部编号="EXT-1", 场所名称="东风化工仓库（改名）", 从业人员数=40, 状态="停产整顿", 主要负责人=None),
                row(
                    场所名称="东风化工二号仓库",
                    企业名称="东风化工有限公司",
                    主要负责人="王五",
                    行业领域="工矿商贸",
                    细分类型=None,
                ),
            ]
        )
        result = run(cast, again)

        assert result.ok, result.errors
        assert (result.created, result.updated, result.enterprises_created) == (0, 2, 0)
        assert Site.objects.count() == 2 and Enterprise.objects.count() == 1
        renamed = Site.objects.get(external_id="EXT-1")
        assert (renamed.name, renamed.employees, renamed.status) == ("东风化工仓库（改名）", 40, "suspended")
        assert renamed.status_changes.filter(from_status="operating", to_status="suspended").exists()
        second = Site.objects.get(name="东风化工二号仓库")
        assert list(second.site_sectors.values_list("sector_id", flat=True)) == ["industry_trade"]
        assert Enterprise.objects.get().principal == "王五"

    def test_it_imports_the_chemical_inventory_sheet(self, cast):
        chemicals = [
            {
                "外部编号": "EXT-1",
                "单元名称": "储罐区",
                "单元类型": "储存单元",
                "物质名称": "液氨",
                "CAS号": "7664-41-7",
                "最大储量(吨)": 12.5,
            },
            {
                "外部编号": "EXT-1",
                "单元名称": "储罐区",
                "单元类型": "储存单元",
                "物质名称": "甲醇",
                "CAS号": "67-56-1",
                "最大储量(吨)": 300,
            },
            {
                "场所名称": "东风化工二号仓库",
                "单元名称": "甲类仓库",
                "单元类型": "储存",
                "物质名称": "汽油",
                "最大储量(吨)": 20,
            },
        ]
        result = run(cast, xlsx([row(外部编号="EXT-1"), row(场所名称="东风化工二号仓库")], chemicals=chemicals))
        assert result.ok, result.errors
        assert result.chemical_units == 2
        site = Site.objects.get(external_id="EXT-1")
        assert sorted(site.chemical_units.get().inventory.values_list("substance", "max_quantity_t")) == [
            ("液氨", Decimal("12.500")),
            ("甲醇", Decimal("300.000")),
        ]
        # A second import replaces the inventory of the places it names.
        chemicals = [
            {"外部编号": "EXT-1", "单元名称": "储罐区", "单元类型": "储存单元", "物质名称": "液氨", "最大储量(吨)": 5}
        ]
        assert run(cast, xlsx([row(外部编号="EXT-1")], chemicals=chemicals)).ok
        assert list(ChemicalInventory.objects.filter(unit__site=site).values_list("max_quantity_t", flat=True)) == [
            Decimal("5.000")
        ]

    def test_it_accepts_a_subtype_qualified_by_its_sector(self, cast):
        result = run(cast, xlsx([row(行业领域="危险化学品、烟花爆竹", 细分类型="烟花爆竹:批发")]))
        assert result.ok, result.errors
        assert sorted(SiteSector.objects.values_list("sector_id", "subtype")) == [
            ("fireworks", "wholesale"),
            ("hazchem", ""),
        ]


# The bad-file corpus of the issue: each answered by a clear error, nothing written.
BAD_ROWS = {
    "bad credit code": ([row(统一社会信用代码=BAD_CREDIT_CODE)], "credit_code", "统一社会信用代码"),
    "same credit code, two names": (
        [row(), row(场所名称="另一仓库", 企业名称="另一家公司")],
        "credit_conflict",
        "企业名称",
    ),
    "same external id twice": (
        [row(外部编号="A1"), row(场所名称="另一仓库", 外部编号="A1")],
        "duplicate_external_id",
        "外部编号",
    ),
    "unknown street": ([row(**{"所属街镇/园区": "不存在街道"})], "unknown_street", "所属街镇/园区"),
    "street missing": ([row(**{"所属街镇/园区": None})], "required", "所属街镇/园区"),
    "unknown sector": ([row(行业领域="外星行业")], "unknown_sector", "行业领域"),
    "subtype of another sector": ([row(细分类型="商场")], "subtype", "细分类型"),
    "outside the street's boundary": ([row(经度=120.5, 纬度=30.15)], "outside_street", "经度"),
    "outside the district": (
        [row(**{"所属街镇/园区": "西街道"}, 经度=116.4, 纬度=39.9)],
        "outside_district",
        "经度",
    ),
    "swapped coordinates": ([row(经度=30.15, 纬度=120.15)], "range", "纬度"),
    "only longitude": ([row(纬度=None)], "invalid", "纬度"),
    "not a number": ([row(地上层数="两层")], "integer", "地上层数"),
    "not a date": ([row(许可有效期起="明年")], "date", "许可有效期起"),
    "permit ends before it starts": (
        [row(许可有效期起="2026-05-01", 许可有效期止="2026-01-01")],
        "order",
        "许可有效期止",
    ),
    "bad mobile": ([row(主要负责人手机="12345")], "mobile", "主要负责人手机"),
    "unknown status": ([row(状态="半死不活")], "choice", "状态"),
    "name too long": ([row(场所名称="长" * 201)], "too_long", "场所名称"),
}


@pytest.mark.django_db
class TestBadFiles:
    @pytest.mark.parametrize("case", list(BAD_ROWS))
    def test_it_rejects_a_bad_row_and_writes_nothing(self, cast, case):
        rows, code, column = BAD_ROWS[case]
        good = row(场所名称="一个好的场所", 统一社会信用代码=credit_code(9), 企业名称="好公司")
        before = counts()
        result = run(cast, xlsx([good, *rows]))

        assert not result.ok
        assert code in codes(result), result.errors
        assert column in {e.column for e in result.errors}
        assert all(e.reason for e in result.errors)
        assert counts() == before
        sheet = sheet_rows(error_sheet(result))
        assert len(sheet[0]) == 4 and len(sheet) == 1 + result.error_count
        assert any(r[1] == column and r[0] >= 2 for r in sheet[1:])

    def test_the_error_sheet_names_row_column_value_and_reason(self, cast):
        result = run(cast, xlsx([row(), row(场所名称="二号", 统一社会信用代码=BAD_CREDIT_CODE)]))
        sheet = sheet_rows(error_sheet(result))
        assert sheet[1][:3] == (3, "统一社会信用代码", BAD_CREDIT_CODE)
        assert BAD_CREDIT_CODE in sheet[1][3]

    def test_it_explains_errors_in_chinese(self, cast):
        result = run(cast, xlsx([row(**{"所属街镇/园区": "不存在街道"})]))
        assert "街" in result.errors[0].reason

    def test_it_rejects_unknown_and_missing_headers(self, cast):
        headers = [h for h in HEADERS if h != "行业领域"] + ["备注栏"]
        result = run(cast, xlsx([row()], headers=headers))
        assert not result.ok and codes(result) == {"header"}
        assert {e.value for e in result.errors} >= {"备注栏"}
        assert any("行业领域" in e.column for e in result.errors)
        assert Site.objects.count() == 0

    def test_it_rejects_a_file_with_headers_only(self, cast):
        result = run(cast, xlsx([]))
        assert not result.ok and codes(result) == {"no_rows"}

    def test_it_rejects_a_zero_byte_file(self, cast):
        result = run(cast, b"", "places.xlsx")
        assert not result.ok and codes(result) == {"empty_file"}
        assert result.errors[0].row is None

    def test_it_rejects_a_non_excel_binary_named_xlsx(self, cast):
        result = run(cast, bytes(range(256)) * 20, "places.xlsx")
        assert not result.ok and codes(result) == {"not_excel"}

    def test_it_rejects_a_zip_that_is_not_a_workbook(self, cast):
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        result = run(cast, buffer.getvalue(), "places.xlsx")
        assert not result.ok and codes(result) == {"not_excel"}

    def test_it_rejects_an_old_xls_file(self, cast):
        result = run(cast, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "places.xls")
        assert codes(result) == {"xls"}

    def test_it_rejects_too_many_rows(self, cast, monkeypatch):
        monkeypatch.setattr(checking, "MAX_ROWS", 2)
        result = run(cast, xlsx([row(场所名称=f"场所{i}") for i in range(3)]))
        assert codes(result) == {"too_many_rows"} and Site.objects.count() == 0

    def test_it_refuses_a_status_change_the_rules_forbid(self, cast):
        assert run(cast, xlsx([row(外部编号="E1", 状态="已拆除")])).ok
        result = run(cast, xlsx([row(外部编号="E1", 状态="正常经营")]))
        assert codes(result) == {"status"}
        assert Site.objects.get().status == "demolished"


@pytest.mark.django_db
class TestScope:
    def test_a_street_officer_imports_only_places_of_its_street(self, cast):
        result = run(
            cast,
            xlsx([row(), row(场所名称="西边", **{"所属街镇/园区": "西街道"}, 经度=None, 纬度=None)]),
            actor="street_officer",
        )
        assert codes(result) == {"out_of_scope"} and [e.row for e in result.errors] == [3]
        assert Site.objects.count() == 0
        assert run(cast, xlsx([row()]), actor="street_officer").ok

    def test_a_department_officer_imports_only_places_of_its_sectors(self, cast):
        result = run(
            cast, xlsx([row(), row(场所名称="工地", 行业领域="建筑施工", 细分类型=None)]), actor="department_officer"
        )
        assert codes(result) == {"out_of_scope"} and [e.row for e in result.errors] == [3]

    @pytest.mark.parametrize("member", ["leader", "enterprise", "system_admin", "far_safety_officer"])
    def test_it_refuses_members_without_write_scope_over_the_district(self, cast, member):
        result = run(cast, xlsx([row()]), actor=member)
        assert codes(result) == {"permission"} and Site.objects.count() == 0

    def test_it_does_not_update_a_place_the_importer_cannot_change(self, cast):
        assert run(cast, xlsx([row(外部编号="E1", **{"所属街镇/园区": "西街道"}, 经度=None, 纬度=None)])).ok
        result = run(cast, xlsx([row(外部编号="E1")]), actor="street_officer")
        # The ledger number is taken, and the enterprise (whose only place is in 西街道) is beyond the street.
        assert codes(result) == {"external_id_taken", "enterprise_out_of_reach"}
        assert Site.objects.get().territory == cast.other_street


def test_contains_handles_holes_and_multipolygons():
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    polygon = {"type": "Polygon", "coordinates": [square, hole]}
    assert contains(polygon, 1, 1) and not contains(polygon, 5, 5) and not contains(polygon, 11, 5)
    multi = {"type": "MultiPolygon", "coordinates": [[square], [[[20, 20], [30, 20], [30, 30], [20, 20]]]]}
    assert contains(multi, 28, 22) and not contains(multi, 15, 15)


@pytest.mark.django_db
class TestPages:
    def upload(self, client, data: bytes, name: str = "places.xlsx", **extra):
        upload = io.BytesIO(data)
        upload.name = name
        return client.post(reverse("registry:import_form"), {"file": upload, **extra})

    def test_it_imports_through_the_page_and_shows_the_result(self, cast, client_for):
        client = client_for(cast.safety_officer)
        assert client.get(reverse("registry:import_form")).status_code == 200
        response = self.upload(client, xlsx([row(), row(场所名称="二号仓库")]))
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("registry:import_job", args=[job.pk])
        assert (
            job.status == JobStatus.SUCCEEDED and job.result["created"] == 2 and job.created_by == cast.safety_officer
        )
        page = client.get(response["Location"])
        assert page.status_code == 200 and b'data-testid="import-succeeded"' in page.content
        fragment = client.get(reverse("registry:import_job_status", args=[job.pk]))
        assert b"hx-trigger" not in fragment.content  # finished: the page stops polling

    def test_a_running_job_page_polls_its_status(self, cast, client_for):
        job = Job.objects.create(
            kind=imports.JOB_KIND,
            created_by=cast.safety_officer,
            status=JobStatus.RUNNING,
            total=10,
            progress=4,
            heartbeat_at=timezone.now(),
        )
        content = client_for(cast.safety_officer).get(reverse("registry:import_job", args=[job.pk])).content.decode()
        assert 'hx-trigger="every 1s"' in content and "40%" in content

    def test_a_bad_upload_shows_the_errors_and_offers_the_error_sheet(self, cast, client_for):
        client = client_for(cast.safety_officer)
        response = self.upload(client, csv_bytes([row(统一社会信用代码=BAD_CREDIT_CODE)], "gbk"), "places.csv")
        job = Job.objects.get()
        assert job.status == JobStatus.FAILED and job.error_file
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="error-table"' in page and BAD_CREDIT_CODE in page
        sheet = client.get(reverse("registry:import_errors", args=[job.pk]))
        assert sheet.status_code == 200
        rows = sheet_rows(b"".join(sheet.streaming_content))
        assert rows[1][:3] == (2, "统一社会信用代码", BAD_CREDIT_CODE)
        assert Site.objects.count() == 0

    def test_a_large_file_runs_as_a_celery_task(self, cast, client_for, monkeypatch):
        from anjian.registry.views import imports as views

        monkeypatch.setattr(runner, "INLINE_MAX_ROWS", 2)
        calls = []
        original = views.run_site_import.delay
        monkeypatch.setattr(views.run_site_import, "delay", lambda pk: calls.append(pk) or original(pk))
        response = self.upload(client_for(cast.safety_officer), xlsx([row(场所名称=f"仓库{i}") for i in range(5)]))
        job = Job.objects.get()
        assert calls == [job.pk] and response.status_code == 302
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.progress == job.total and Site.objects.count() == 5

    def test_the_task_runs_a_job_once(self, cast):
        from django.core.files.base import ContentFile

        from anjian.core import jobs
        from anjian.registry.tasks import run_site_import

        upload = ContentFile(xlsx([row()]), name="places.xlsx")
        job = jobs.create_job(
            actor=cast.safety_officer, kind=imports.JOB_KIND, params={"district": cast.district.pk}, upload=upload
        )
        assert run_site_import.delay(job.pk).get()["created"] == 1
        assert run_site_import.delay(job.pk).get() == {}  # redelivered: already done
        assert Site.objects.count() == 1

    def test_the_template_has_the_headers_and_the_instructions(self, cast, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:import_template"))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["场所", "危化品储存", "填写说明"]
        assert [c.value for c in workbook["场所"][1]] == HEADERS
        notes = {c.value for r in workbook["填写说明"].iter_rows() for c in r}
        assert {"东街道", "西街道", "甲区园区", "危险化学品", "人员密集场所"} <= notes

    def test_the_template_imports_cleanly_once_filled(self, cast):
        template = load_workbook(io.BytesIO(imports.build_template(district=cast.district)))
        template["场所"].append([row().get(h) for h in HEADERS])
        buffer = io.BytesIO()
        template.save(buffer)
        assert run(cast, buffer.getvalue()).ok

    @pytest.mark.parametrize("member", ["leader", "enterprise", "system_admin", "audit_admin"])
    def test_members_who_cannot_import_get_404(self, cast, client_for, member):
        client = client_for(getattr(cast, member))
        job = Job.objects.create(kind=imports.JOB_KIND, created_by=getattr(cast, member))
        for url in (
            reverse("registry:import_form"),
            reverse("registry:import_template"),
            reverse("registry:import_job", args=[job.pk]),
            reverse("registry:import_job_status", args=[job.pk]),
        ):
            assert client.get(url).status_code == 404, url

    def test_another_users_job_is_404(self, cast, client_for):
        job = Job.objects.create(kind=imports.JOB_KIND, created_by=cast.safety_officer, status=JobStatus.FAILED)
        client = client_for(cast.street_officer)
        for name in ("import_job", "import_job_status", "import_errors"):
            assert client.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404

    def test_anonymous_visitors_are_sent_to_login(self, cast, client_for):
        job = Job.objects.create(kind=imports.JOB_KIND, created_by=cast.safety_officer)
        client = client_for(None)
        for url in (
            reverse("registry:import_form"),
            reverse("registry:import_job", args=[job.pk]),
            reverse("registry:site_export"),
        ):
            response = client.get(url)
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_the_form_refuses_other_file_types(self, cast, client_for):
        response = self.upload(client_for(cast.safety_officer), b"hello", "places.pdf")
        assert response.status_code == 200 and not Job.objects.exists()

    def test_a_city_admin_chooses_the_district(self, cast, client_for):
        client = client_for(cast.city_admin)
        self.upload(
            client, xlsx([row(**{"所属街镇/园区": "北街道"}, 经度=None, 纬度=None)]), district=cast.other_district.pk
        )
        assert Site.objects.get().district == cast.other_district


@pytest.mark.django_db
class TestCommand:
    def test_it_imports_with_manage_py(self, cast, tmp_path):
        path = tmp_path / "places.csv"
        path.write_bytes(csv_bytes([row(), row(场所名称="二号仓库")], "gb18030"))
        out = io.StringIO()
        call_command("import_sites", str(path), "--district", str(cast.district.pk), "--user", "anban", stdout=out)
        assert "2 places created" in out.getvalue()
        assert Site.objects.count() == 2
        call_command("import_sites", str(path), "--district", "甲区", stdout=out)
        assert Site.objects.count() == 2  # updated, not duplicated

    def test_it_reports_errors_and_writes_the_error_sheet(self, cast, tmp_path):
        path = tmp_path / "places.xlsx"
        path.write_bytes(xlsx([row(**{"所属街镇/园区": "火星街道"})]))
        errors = tmp_path / "errors.xlsx"
        with pytest.raises(CommandError, match="1 errors"):
            call_command("import_sites", str(path), "--user", "anban", "--errors", str(errors), stderr=io.StringIO())
        assert sheet_rows(errors.read_bytes())[1][1] == "所属街镇/园区"
        assert Site.objects.count() == 0


@pytest.mark.django_db
def test_an_unexpected_failure_ends_the_job_with_a_message_not_a_500(cast, client_for, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "import_sites", boom)
    upload = io.BytesIO(xlsx([row()]))
    upload.name = "places.xlsx"
    response = client_for(cast.safety_officer).post(reverse("registry:import_form"), {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.FAILED and job.message
    assert Site.objects.count() == 0
