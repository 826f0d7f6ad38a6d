"""Linking a place to an enterprise by its credit code, from the API, the form and the import: only to an
enterprise the author sees (one of its places is in their scope); anyone else is refused in the same words
wherever the enterprise is, and nothing of it (name, people, mobile, district) comes back. External ids are
numbers of a district's ledger: another district's numbers are not a district's business."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.imports.errors import error_sheet
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.registry import imports, services
from anjian.registry.models import EXTERNAL_ID_TAKEN, Enterprise, Site
from anjian.registry.services import ENTERPRISE_OUT_OF_REACH
from anjian.registry.testing import credit_code, make_site
from anjian.registry.tests._places import VISIBLE, cast_places
from anjian.registry.tests.factories import EnterpriseFactory
from anjian.registry.tests.test_import import row, sheet_rows, xlsx

pytestmark = pytest.mark.django_db

SITES = "/api/sites/"
# What the enterprise of 东化工仓库 (credit code 1, in 东街道) must never show a stranger.
SECRETS = ("东化工有限公司", "张三", "李四", "13812345678", "138****5678", "东化工仓库", "东街道", "甲区")


@shared_fixture
def places(cast):
    found = cast_places(cast)
    services.update_site(actor=None, site=found["chem"], fields={"external_id": "JA-0001"})
    return found


def _payload(cast, territory, **enterprise):
    return {
        "name": "新登记的仓库",
        "territory": territory.pk,
        "sectors": [{"code": "hazchem", "subtype": "storage"}],
        "enterprise": {"credit_code": credit_code(1), **enterprise},
    }


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


# --- who sees an enterprise ------------------------------------------------------------------------------


@pytest.mark.parametrize("member", sorted(VISIBLE))
def test_an_enterprise_is_seen_by_those_who_see_one_of_its_places(cast, places, member):
    visible = set(Enterprise.objects.visible_to(getattr(cast, member)).values_list("credit_code", flat=True))
    assert visible == ({credit_code(1)} if "chem" in VISIBLE[member] else set())


def test_an_enterprise_account_sees_its_enterprise_before_it_has_a_place(cast):
    enterprise = EnterpriseFactory(name="新开业有限公司", accounts=[cast.enterprise])
    assert list(Enterprise.objects.visible_to(cast.enterprise)) == [enterprise]
    assert not Enterprise.objects.visible_to(cast.street_officer).exists()


# --- the API -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "territory"), [("far_safety_officer", "far_street"), ("other_street_officer", "other_street")]
)
@pytest.mark.parametrize("name", ["东化工有限公司", "别的名字有限公司"])
def test_the_api_refuses_to_link_a_place_to_an_enterprise_out_of_reach(
    cast, places, client_for, member, territory, name
):
    before = Site.objects.count()
    client = client_for(getattr(cast, member))
    response = client.post(SITES, _payload(cast, getattr(cast, territory), name=name), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"credit_code": [zh(ENTERPRISE_OUT_OF_REACH)]}
    assert _leaks(response.content.decode()) == []
    assert Site.objects.count() == before
    # The enterprise's own account still sees its own place only.
    assert list(Site.objects.visible_to(cast.enterprise)) == [places["chem"]]


def test_leaving_out_the_name_tells_nothing_of_what_is_stored(cast, places, client_for):
    client = client_for(cast.far_safety_officer)
    stored = client.post(SITES, _payload(cast, cast.far_street), content_type="application/json")
    unknown = _payload(cast, cast.far_street)
    unknown["enterprise"]["credit_code"] = credit_code(404)
    never = client.post(SITES, unknown, content_type="application/json")
    assert stored.status_code == never.status_code == 400
    assert stored.json() == never.json()


def test_the_api_refuses_to_relink_a_place_of_ones_own_to_an_enterprise_out_of_reach(cast, places, client_for):
    far = places["far"]
    response = client_for(cast.far_safety_officer).patch(
        f"{SITES}{far.pk}/",
        {"enterprise": {"credit_code": credit_code(1), "name": "东化工有限公司"}},
        content_type="application/json",
    )
    assert response.status_code == 400 and _leaks(response.content.decode()) == []
    far.refresh_from_db()
    assert far.enterprise_id is None


def test_whoever_sees_the_enterprise_links_a_place_to_it(cast, places, client_for):
    # A second store of the enterprise in the same street: the street sees the enterprise, links and reads it.
    response = client_for(cast.street_officer).post(SITES, _payload(cast, cast.street), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"]["principal"] == "李四"
    # Across districts, the city administrator links the far place once it is checked to be the same enterprise.
    far = places["far"]
    response = client_for(cast.city_admin).patch(
        f"{SITES}{far.pk}/", {"enterprise": {"credit_code": credit_code(1)}}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    far.refresh_from_db()
    assert far.enterprise.credit_code == credit_code(1)


def test_an_unknown_credit_code_still_creates_its_enterprise(cast, places, client_for):
    payload = _payload(cast, cast.far_street, name="北新材料有限公司", principal="王五")
    payload["enterprise"]["credit_code"] = credit_code(55)
    response = client_for(cast.far_safety_officer).post(SITES, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"]["name"] == "北新材料有限公司"


# --- the form -----------------------------------------------------------------------------------------------


def test_the_form_refuses_the_link_and_shows_nothing_of_the_enterprise(cast, places, client_for):
    before = Site.objects.count()
    response = client_for(cast.far_safety_officer).post(
        reverse("registry:site_create"),
        {
            "name": "北仓库",
            "district": cast.other_district.pk,
            "territory": cast.far_street.pk,
            "sectors": ["hazchem"],
            "subtype_hazchem": "storage",
            "enterprise-credit_code": credit_code(1),
            "enterprise-name": "随便写的名字",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert zh(ENTERPRISE_OUT_OF_REACH) in html
    assert _leaks(html) == []
    assert Site.objects.count() == before


# --- the import -----------------------------------------------------------------------------------------


NO_ENTERPRISE = dict.fromkeys(("统一社会信用代码", "企业名称", "法定代表人", "主要负责人", "主要负责人手机"))


def _far_row(**values) -> dict:
    return row(**{"所属街镇/园区": "北街道", "经度": None, "纬度": None, **values})


def _import(cast, member: str, district, rows: list[dict]):
    return imports.import_sites(actor=getattr(cast, member), district=district, source=xlsx(rows), filename="f.xlsx")


@pytest.mark.parametrize("name", ["东化工有限公司", "别的名字有限公司"])
def test_the_import_refuses_the_link_in_the_same_words_and_its_error_sheet_names_nothing(cast, places, name):
    result = _import(cast, "far_safety_officer", cast.other_district, [_far_row(企业名称=name)])
    assert not result.ok
    assert [(e.column, e.reason) for e in result.errors] == [("统一社会信用代码", zh(ENTERPRISE_OUT_OF_REACH))]
    sheet = "\n".join(str(cell) for line in sheet_rows(error_sheet(result)) for cell in line)
    assert _leaks(sheet) == []
    assert not Site.objects.filter(district=cast.other_district, name=row()["场所名称"]).exists()


def test_another_districts_external_id_is_no_different_from_an_unused_one(cast, places):
    taken = _import(cast, "far_safety_officer", cast.other_district, [_far_row(**NO_ENTERPRISE, 外部编号="JA-0001")])
    unused = _import(
        cast,
        "far_safety_officer",
        cast.other_district,
        [_far_row(**NO_ENTERPRISE, 场所名称="北二号仓库", 外部编号="JA-9999")],
    )
    assert taken.ok and unused.ok and (taken.created, unused.created) == (1, 1)
    assert Site.objects.filter(external_id="JA-0001").count() == 2  # one per district's ledger
    places["chem"].refresh_from_db()
    assert places["chem"].name == "东化工仓库"  # the other district's place is untouched


def test_a_ledger_number_taken_beyond_reach_is_refused_naming_nothing_of_its_place(cast, places):
    # 西街道 cannot see 东化工仓库, which holds JA-0001 in the district's ledger.
    result = _import(
        cast,
        "other_street_officer",
        cast.district,
        [row(**NO_ENTERPRISE, 外部编号="JA-0001", **{"所属街镇/园区": "西街道", "经度": None, "纬度": None})],
    )
    assert [(e.column, e.reason, e.code) for e in result.errors] == [
        ("外部编号", zh(EXTERNAL_ID_TAKEN), "external_id_taken")
    ]
    assert _leaks(result.errors[0].reason) == []


def test_the_credit_code_and_name_match_only_places_the_importer_sees(cast, places):
    # An enterprise with a shop in 东街道 and a store of the same name in 西街道, which 东街道 does not see.
    make_site(district=cast.district, territory=cast.street, name="连锁门店", enterprise_n=60)
    hidden = make_site(district=cast.district, territory=cast.other_street, name="共同名称仓库", enterprise_n=60)
    result = _import(
        cast,
        "street_officer",
        cast.district,
        [row(场所名称="共同名称仓库", 统一社会信用代码=credit_code(60), 企业名称="测试企业60有限公司")],
    )
    # Read as unknown: a place of 东街道 is registered, the hidden one is neither matched nor named.
    assert result.ok and (result.created, result.updated) == (1, 0)
    hidden.refresh_from_db()
    assert hidden.territory == cast.other_street
