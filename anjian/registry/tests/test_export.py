"""Export of places to .xlsx: scope, filters, formula injection, query count, round trip."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.models import AuditEntry
from anjian.registry.exports import escape_cell
from anjian.registry.imports import HEADERS, import_sites
from anjian.registry.models import Site
from anjian.registry.testing import credit_code
from anjian.registry.tests.test_import import csv_bytes, row, xlsx


def seed(cast, rows):
    result = import_sites(actor=None, district=cast.district, source=xlsx(rows), filename="seed.xlsx")
    assert result.ok, result.errors
    return result


@pytest.fixture
def places(cast):
    seed(
        cast,
        [
            row(场所名称="东化工", 外部编号="E1"),
            row(
                场所名称="西工地",
                外部编号="E2",
                统一社会信用代码=credit_code(4),
                企业名称="西工地公司",
                **{"所属街镇/园区": "西街道"},
                经度=None,
                纬度=None,
                行业领域="建筑施工",
                细分类型=None,
            ),
            row(
                场所名称="东商场",
                外部编号="E3",
                统一社会信用代码=credit_code(2),
                企业名称="东商场公司",
                行业领域="人员密集场所",
                细分类型="商场",
                状态="停产整顿",
            ),
            row(
                场所名称="园区烟花仓库",
                外部编号="E4",
                **{"所属街镇/园区": "甲区园区"},
                经度=None,
                纬度=None,
                统一社会信用代码=credit_code(3),
                企业名称="园区烟花公司",
                行业领域="烟花爆竹",
                细分类型="批发",
            ),
        ],
    )
    Site.objects.get(name="东化工").enterprise.accounts.add(cast.enterprise)


def export(client, **params):
    response = client.get(reverse("registry:site_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def names(data: bytes) -> set[str]:
    rows = list(load_workbook(io.BytesIO(data), read_only=True)["场所"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return {r[0] for r in rows[1:]}


@pytest.mark.django_db
class TestScopeAndFilters:
    @pytest.mark.parametrize(
        ("member", "expected"),
        [
            ("safety_officer", {"东化工", "西工地", "东商场", "园区烟花仓库"}),
            ("leader", {"东化工", "西工地", "东商场", "园区烟花仓库"}),
            ("street_officer", {"东化工", "东商场"}),  # its street only
            ("other_street_officer", {"西工地"}),
            ("department_officer", {"东化工", "园区烟花仓库"}),  # 应急管理局: hazchem, fireworks, industry & trade
            ("enterprise", {"东化工"}),  # its own places only
            ("far_safety_officer", set()),
        ],
    )
    def test_the_export_holds_exactly_the_members_scope(self, cast, places, client_for, member, expected):
        assert names(export(client_for(getattr(cast, member)))) == expected

    @pytest.mark.parametrize("member", ["system_admin", "security_admin", "audit_admin"])
    def test_the_three_administrators_get_no_export(self, cast, places, client_for, member):
        assert client_for(getattr(cast, member)).get(reverse("registry:site_export")).status_code == 404

    def test_the_export_applies_the_list_filters(self, cast, places, client_for):
        client = client_for(cast.safety_officer)
        assert names(export(client, sector="hazchem")) == {"东化工"}
        assert names(export(client, status="suspended")) == {"东商场"}
        assert names(export(client, territory=cast.street.pk)) == {"东化工", "东商场"}
        assert names(export(client, q="烟花")) == {"园区烟花仓库"}
        assert names(export(client, subtype="mall")) == {"东商场"}
        assert names(export(client_for(cast.street_officer), sector="construction")) == set()

    def test_it_audits_who_exported_how_many_with_which_filters(self, cast, places, client_for):
        export(client_for(cast.safety_officer), sector="hazchem")
        entry = AuditEntry.objects.get(action="registry.site.export")
        assert entry.actor_id == cast.safety_officer.pk
        assert entry.after["rows"] == 1 and entry.after["filters"] == {"sector": ["hazchem"]}

    def test_an_invalid_filter_exports_nothing_rather_than_everything(self, cast, places, client_for):
        assert names(export(client_for(cast.safety_officer), territory=cast.far_street.pk)) == set()

    def test_anonymous_visitors_are_sent_to_login(self, client_for):
        response = client_for(None).get(reverse("registry:site_export"))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
class TestContent:
    def test_it_escapes_cells_that_would_run_as_formulas(self, cast, client_for):
        # Typed as text into a CSV (an .xlsx would hold a real formula, which the import reads as empty).
        data = csv_bytes(
            [row(场所名称='=HYPERLINK("http://evil")', 详细地址="+1+2", 外部编号="@SUM(A1)", 法定代表人="-张")], "utf-8"
        )
        assert import_sites(actor=None, district=cast.district, source=data, filename="evil.csv").ok
        data = export(client_for(cast.safety_officer))
        sheet = load_workbook(io.BytesIO(data))["场所"]
        values = {h: c.value for h, c in zip(HEADERS, sheet[2], strict=True)}
        assert values["场所名称"] == '\'=HYPERLINK("http://evil")'
        assert values["详细地址"] == "'+1+2" and values["外部编号"] == "'@SUM(A1)" and values["法定代表人"] == "'-张"
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
        assert [escape_cell(v) for v in ("\tx", "\rx", "ok", 5)] == ["'\tx", "'\rx", "ok", 5]

    def test_an_export_imports_again_as_updates_not_duplicates(self, cast, places, client_for):
        data = export(client_for(cast.safety_officer))
        before = set(Site.objects.values_list("pk", "name", "status", "territory_id", "floor_area"))
        result = import_sites(actor=cast.safety_officer, district=cast.district, source=data, filename="export.xlsx")
        assert result.ok, result.errors
        assert (result.created, result.updated) == (0, 4)
        assert set(Site.objects.values_list("pk", "name", "status", "territory_id", "floor_area")) == before
        sectors = set(Site.objects.values_list("name", "site_sectors__sector_id", "site_sectors__subtype"))
        assert ("东商场", "crowded_place", "mall") in sectors and ("园区烟花仓库", "fireworks", "wholesale") in sectors

    def test_the_chemical_inventory_goes_into_its_own_sheet(self, cast, client_for):
        chemicals = [
            {
                "外部编号": "E1",
                "单元名称": "储罐区",
                "单元类型": "储存单元",
                "物质名称": "液氨",
                "CAS号": "7664-41-7",
                "最大储量(吨)": 12,
            }
        ]
        import_sites(actor=None, district=cast.district, source=xlsx([row(外部编号="E1")], chemicals=chemicals))
        workbook = load_workbook(io.BytesIO(export(client_for(cast.safety_officer))))
        rows = list(workbook["危化品储存"].iter_rows(values_only=True))
        assert rows[1][:7] == ("E1", "东风化工仓库", credit_code(1), "储罐区", "储存单元", "液氨", "7664-41-7")


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(cast, client_for):
    client = client_for(cast.safety_officer)

    def queries_for(n: int) -> int:
        Site.objects.all().delete()
        seed(
            cast,
            [row(场所名称=f"场所{i}", 统一社会信用代码=credit_code(100 + i), 企业名称=f"公司{i}") for i in range(n)],
        )
        with CaptureQueriesContext(connection) as captured:
            assert len(names(export(client))) == n
        return len(captured)

    assert queries_for(10) == queries_for(200)


@pytest.mark.django_db
def test_a_masked_export_imports_again_without_overwriting_the_personal_data(cast, places, client_for):
    data = export(client_for(cast.city_admin))  # city staff read personal data masked (registry.masking)
    cells = {c for r in load_workbook(io.BytesIO(data))["场所"].iter_rows(values_only=True) for c in r}
    assert "138****8000" in cells and "13800138000" not in cells and "张*" in cells
    result = import_sites(actor=cast.city_admin, district=cast.district, source=data, filename="export.xlsx")
    assert result.ok, result.errors
    enterprise = Site.objects.get(name="东化工").enterprise
    assert (enterprise.legal_representative, enterprise.principal_mobile) == ("张三", "13800138000")
