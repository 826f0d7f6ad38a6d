"""In a real browser on a phone-sized screen: a street officer logs in and sees the Chinese home page."""

from __future__ import annotations

import pytest

from anjian.accounts.testing import CAST_PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_a_street_officer_logs_in_on_a_phone(browser, app_server, artifacts_dir):
    build_cast()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{app_server.url}/")
        assert "/accounts/login/" in page.url
        assert page.get_by_role("heading", name="登录您的账号").is_visible() or page.locator("h2").first.is_visible()
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{app_server.url}/")
        assert "欢迎" in page.locator("h2.page-title").inner_text()
        panel = page.locator("[data-testid=home-panel]")
        assert panel.get_attribute("data-panel") == "street_officer"
        assert "东街道" in panel.inner_text()
        assert "常住人口" in panel.inner_text()
        page.wait_for_selector("#home-map path.leaflet-interactive")  # the street's boundary is drawn
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The menu folds behind the toggler and opens on tap.
        toggler = page.locator(".navbar-toggler")
        assert toggler.is_visible()
        toggler.click()
        page.wait_for_selector("#navbar-menu.show")
        assert page.locator("#navbar-menu").get_by_text("组织机构").is_visible()
        page.screenshot(path=str(artifacts_dir / "home-street-officer-phone.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_a_wrong_password_is_answered_in_chinese(browser, app_server, artifacts_dir):
    build_cast()
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{app_server.url}/accounts/login/")
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", "not-the-password")
        page.get_by_role("button", name="登录").click()
        assert "用户名或密码错误" in page.locator(".alert-danger").inner_text()
        page.screenshot(path=str(artifacts_dir / "login-error-phone.png"))
    finally:
        page.close()
