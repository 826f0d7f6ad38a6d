"""No N+1: the place list, the map points and the API list run the same number of queries for 10 and 500 places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.registry.models import ChemicalInventory, ChemicalUnit, Enterprise, Site, SiteSector
from anjian.registry.testing import credit_code

pytestmark = pytest.mark.django_db

SECTORS = [("hazchem", "storage"), ("crowded_place", "mall"), ("industry_trade", ""), ("fireworks", "retail")]


def _bulk_places(cast, count: int, *, start: int = 0) -> None:
    """Places of the street with an enterprise, two sectors and a chemical unit each: written in bulk."""
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"企业{n}", credit_code=credit_code(10_000 + n), principal_mobile="13812345678")
        for n in range(start, start + count)
    )
    sites = Site.objects.bulk_create(
        Site(
            name=f"场所{n}",
            district=cast.district,
            territory=cast.street,
            enterprise=enterprise,
            longitude=Decimal("120.15"),
            latitude=Decimal("30.15"),
        )
        for n, enterprise in zip(range(start, start + count), enterprises, strict=True)
    )
    SiteSector.objects.bulk_create(
        SiteSector(site=site, sector_id=code, subtype=subtype)
        for i, site in enumerate(sites)
        for code, subtype in (SECTORS[i % 4], SECTORS[(i + 1) % 4])
    )
    units = ChemicalUnit.objects.bulk_create(ChemicalUnit(site=site, name="储罐区", kind="storage") for site in sites)
    ChemicalInventory.objects.bulk_create(
        ChemicalInventory(unit=unit, substance="氨", max_quantity_t=Decimal("1")) for unit in units
    )


def _count(client, url, params=None) -> int:
    client.get(url, params)  # warm caches (session, content types) so both runs start alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url,params",
    [
        (reverse("registry:site_list"), None),
        (reverse("registry:site_list"), {"sector": "hazchem", "q": "场所"}),
        (reverse("registry:site_map_points"), None),
        ("/api/sites/", None),
        ("/api/sites/", {"sector": "hazchem"}),
    ],
)
@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer"])
def test_the_number_of_queries_does_not_grow_with_the_places(cast, client_for, url, params, member):
    client = client_for(getattr(cast, member))
    _bulk_places(cast, 10)
    with_ten = _count(client, url, params)
    _bulk_places(cast, 490, start=10)
    assert Site.objects.count() == 500
    assert _count(client, url, params) == with_ten
