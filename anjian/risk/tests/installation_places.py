"""Places with chemical units for the major hazard installation tests: one per street of 甲区 and one in 乙区."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

from anjian.registry.models import ChemicalInventory, ChemicalUnit
from anjian.registry.testing import make_site
from anjian.risk.installations import identify_sites


def add_unit(site, name, lines, people=None, kind="storage"):
    unit = ChemicalUnit.objects.create(site=site, name=name, kind=kind, people_within_500m=people)
    ChemicalInventory.objects.bulk_create(
        [
            ChemicalInventory(unit=unit, substance=s, cas_number=cas, hazard_category=cat, max_quantity_t=D(q))
            for s, q, cas, cat in lines
        ]
    )
    return unit


def build_places(cast):
    """东化工 (东街道, the enterprise account's own): 液氯罐区 8 t → 三级, 甲醇罐区 → not major, with one unknown line;
    西化工 (西街道): 光气车间 → 二级; 北化工 (乙区): 液氨罐区 → 四级."""
    east = make_site(
        name="东化工",
        district=cast.district,
        territory=cast.street,
        sectors=[("hazchem", "storage")],
        enterprise_n=1,
        longitude=D("120.15"),
        latitude=D("30.15"),
    )
    east.enterprise.accounts.add(cast.enterprise)
    west = make_site(
        name="西化工",
        district=cast.district,
        territory=cast.other_street,
        sectors=[("hazchem", "production")],
        enterprise_n=2,
        longitude=D("120.30"),
        latitude=D("30.30"),
    )
    far = make_site(name="北化工", district=cast.other_district, territory=cast.far_street, sectors=[("hazchem", "")])
    chlorine = add_unit(east, "液氯罐区", [("液氯", "8", "7782-50-5", "")], people=150)
    methanol = add_unit(east, "甲醇罐区", [("甲醇", "100", "67-56-1", "W5.3"), ("神秘物料", "3", "", "")], people=20)
    phosgene = add_unit(west, "光气车间", [("光气", "1", "75-44-5", "")], people=5, kind="production")
    ammonia = add_unit(far, "液氨罐区", [("液氨", "20", "7664-41-7", "")], people=0)
    identify_sites()
    return SimpleNamespace(
        east=east, west=west, far=far, chlorine=chlorine, methanol=methanol, phosgene=phosgene, ammonia=ammonia
    )
