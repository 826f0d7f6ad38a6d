"""Helpers for registry tests and demo data: valid credit codes and places of the cast."""

from __future__ import annotations

from stdnum.cn import uscc


def credit_code(n: int) -> str:
    """A valid unified social credit code, different for each n (region 330106, an enterprise)."""
    body = f"91330106{n:09d}"
    return body + uscc.calc_check_digit(body)


def make_site(
    *, district, territory=None, sectors=(("industry_trade", ""),), enterprise_n: int | None = None, **fields
):
    from anjian.registry.services import create_site

    enterprise = None
    if enterprise_n is not None:
        enterprise = {"name": f"测试企业{enterprise_n}有限公司", "credit_code": credit_code(enterprise_n)}
    fields.setdefault("name", "测试场所")
    return create_site(
        actor=None,
        fields={"district": district, "territory": territory, **fields},
        sectors=list(sectors),
        enterprise=enterprise,
    )
