"""In a real browser: the four-colour map of a street with 10,000 places draws every one of them on one canvas,
hides a colour from its legend, fits a phone, and prints the map, legend and counts on one A4 landscape page."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.registry.choices import ChemicalUnitKind
from anjian.registry.models import ChemicalUnit, Site, SiteSector
from anjian.risk.models import MajorHazardSource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = 10_000
LEVELS = ["red", "orange", "yellow", "blue", ""]
WEIGHTS = [3, 12, 35, 35, 15]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 740}
# A4 landscape less the print stylesheet's 8 mm margins, in CSS pixels (96 per inch).
A4_CONTENT = {"width": round((297 - 16) / 25.4 * 96), "height": round((210 - 16) / 25.4 * 96)}


def _city_of_places(cast) -> dict[str, int]:
    """10,000 places spread over the cast street's square (120.1–120.2, 30.1–30.2), and three installations."""
    rng = random.Random(11)
    levels = rng.choices(LEVELS, weights=WEIGHTS, k=PLACES)
    sites = Site.objects.bulk_create(
        (
            Site(
                name=f"东街道场所{n:05d}",
                district=cast.district,
                territory=cast.street,
                longitude=Decimal(f"{rng.uniform(120.101, 120.199):.6f}"),
                latitude=Decimal(f"{rng.uniform(30.101, 30.199):.6f}"),
                risk_level=levels[n],
            )
            for n in range(PLACES)
        ),
        batch_size=2000,
    )
    SiteSector.objects.bulk_create((SiteSector(site=s, sector_id="industry_trade") for s in sites), batch_size=2000)
    for site, level in zip(sites[:3], ["1", "2", "4"], strict=True):
        unit = ChemicalUnit.objects.create(site=site, name="储罐区", kind=ChemicalUnitKind.STORAGE)
        MajorHazardSource.objects.create(
            site=site, unit=unit, district=cast.district, s_value=Decimal("3"), r_value=Decimal("60"),
            alpha=Decimal("2.0"), level=level,
        )  # fmt: skip
    return {level: levels.count(level) for level in LEVELS}


def _log_in(page, app_server, path: str) -> None:
    page.goto(f"{app_server.url}/accounts/login/?next={path}")
    page.fill("input[name=username]", "street_in")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_ten_thousand_places_draw_toggle_and_print(browser, app_server, artifacts_dir):
    cast = build_cast()
    counts = _city_of_places(cast)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        _log_in(page, app_server, "/risk/map/")
        started = time.perf_counter()
        page.wait_for_url(f"{app_server.url}/risk/map/")
        page.wait_for_selector("#risk-map[data-ready]", state="attached", timeout=60_000)
        elapsed = time.perf_counter() - started
        figures = page.evaluate(
            "() => { const d = document.getElementById('risk-map').dataset;"
            " return {fetch: d.fetchMs, render: d.renderMs, drawn: d.drawn, canvas: d.canvasLayers}; }"
        )
        print(
            f"\nfour-colour map, {PLACES} places: page to drawn {elapsed * 1000:.0f} ms "
            f"(request {figures['fetch']} ms, drawing {figures['render']} ms in the browser)"
        )
        assert figures["drawn"] == str(PLACES)
        assert figures["canvas"] == str(PLACES)  # every place is on the canvas, none as a DOM element
        assert page.locator("#risk-map .leaflet-marker-icon.risk-installation").count() == 3
        assert page.inner_text("[data-testid=legend-red]") == str(counts["red"])
        assert page.inner_text("[data-testid=legend-installations]") == "3"
        assert page.inner_text("[data-testid=counts-by-street] tfoot td.risk-total") == str(PLACES)
        page.screenshot(path=str(artifacts_dir / "risk-map-10000.png"))

        # Hide red from the legend: only the red places leave the canvas; show it again.
        page.locator("input[data-level='0']").uncheck()
        assert page.get_attribute("#risk-map", "data-drawn") == str(PLACES - counts["red"])
        assert page.get_attribute("#risk-map", "data-canvas-layers") == str(PLACES - counts["red"])
        page.locator("input[data-level='0']").check()
        assert page.get_attribute("#risk-map", "data-drawn") == str(PLACES)

        # A click on a place opens its popup with a link to the place.
        box = page.locator("#risk-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

        # The server-side level filter reloads the map with that colour only.
        page.goto(f"{app_server.url}/risk/map/?level=red")
        page.wait_for_selector("#risk-map[data-ready]", state="attached", timeout=30_000)
        assert page.get_attribute("#risk-map", "data-drawn") == str(counts["red"])
        page.goto(f"{app_server.url}/risk/map/")
        page.wait_for_selector("#risk-map[data-ready]", state="attached", timeout=60_000)

        # Printing: no navigation, and the map, its legend and the street counts fit one A4 landscape page.
        page.set_viewport_size(A4_CONTENT)
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        assert page.locator("header.navbar").first.is_hidden()
        assert page.locator("[data-testid=risk-map-filters]").is_hidden()
        bottoms = page.evaluate(
            "() => ['.risk-map-card', '.risk-counts-card', '[data-testid=risk-map-legend]']"
            ".map(s => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY)"
        )
        assert max(bottoms) <= A4_CONTENT["height"], bottoms
        page.screenshot(path=str(artifacts_dir / "risk-map-print-preview.png"))
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
        (artifacts_dir / "risk-map-print.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
        print(f"printed to PDF: {len(pdf) // 1024} KB, {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')} pages")
        assert errors == []
    finally:
        context.close()


def test_the_map_fits_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    rng = random.Random(5)
    sites = Site.objects.bulk_create(
        Site(
            name=f"东街道场所{n}",
            district=cast.district,
            territory=cast.street,
            longitude=Decimal(f"{rng.uniform(120.105, 120.195):.6f}"),
            latitude=Decimal(f"{rng.uniform(30.105, 30.195):.6f}"),
            risk_level=LEVELS[n % len(LEVELS)],
        )
        for n in range(200)
    )
    SiteSector.objects.bulk_create(SiteSector(site=s, sector_id="industry_trade") for s in sites)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _log_in(page, app_server, "/risk/map/")
        page.wait_for_url(f"{app_server.url}/risk/map/")
        page.wait_for_selector("#risk-map[data-ready]", state="attached", timeout=30_000)
        assert page.get_attribute("#risk-map", "data-drawn") == "200"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "risk-map-phone.png"), full_page=True)
    finally:
        context.close()
