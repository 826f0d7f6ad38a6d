"""The top menu in a real browser at 375, 1366 and 1920 px: no label broken across lines, nothing wider than the
screen, no header element over another, every group's dropdown opens and leads to its pages, and on the phone the
menu folds behind its toggler and opens on tap."""

from __future__ import annotations

import pytest

from anjian.accounts.testing import CAST_PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
DESKTOP = {"width": 1920, "height": 1080}

# How many lines each element's text takes (distinct tops of its text's boxes).
LINES = """els => els.map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
})"""
# The header's visible pieces, pairwise: none may cover another.
HEADER_PIECES = ", ".join(
    f"header {piece}"
    for piece in (
        ".navbar-brand",
        ".navbar-toggler",
        "[data-testid=language-form]",
        ".nav-item.dropdown > a.nav-link[aria-label]",
        "[data-testid=notification-bell]",
    )
)
OVERLAPS = """selector => {
  const pieces = Array.from(document.querySelectorAll(selector))
    .filter(el => el.offsetParent !== null).map(el => [el.className || el.tagName, el.getBoundingClientRect()]);
  const found = [];
  for (let i = 0; i < pieces.length; i++) for (let j = i + 1; j < pieces.length; j++) {
    const [a, r] = pieces[i], [b, s] = pieces[j];
    const apart = r.right - 1 <= s.left || s.right - 1 <= r.left || r.bottom - 1 <= s.top || s.bottom - 1 <= r.top;
    if (!apart) found.push(a + " / " + b);
  }
  return pieces.length >= 3 ? found : ["only " + pieces.length + " header pieces found"];
}"""


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _one_line_each(page, selector: str) -> dict:
    """The labels under ``selector`` that take other than one line (there must be some labels)."""
    measured = page.locator(selector).evaluate_all(LINES)
    assert measured, selector
    return {text: lines for text, lines in measured if lines != 1}


@pytest.mark.parametrize("viewport", [LAPTOP, DESKTOP], ids=["1366", "1920"])
def test_the_menu_on_a_desktop(browser, app_server, artifacts_dir, viewport):
    build_cast()
    page = browser.new_context(viewport=viewport).new_page()
    _log_in(page, app_server.url, "anban")
    menu = page.locator("[data-testid=site-menu]")
    groups = menu.locator(":scope > li")
    assert groups.count() == 6  # 首页 and the five groups
    # One row, every label on one line, nothing wider than the screen, no header piece over another.
    assert len({round(box["y"]) for box in (groups.nth(i).bounding_box() for i in range(6))}) == 1
    assert _one_line_each(page, "[data-testid=site-menu] .nav-link-title") == {}
    assert _fits(page, viewport["width"])
    assert page.evaluate(OVERLAPS, HEADER_PIECES) == []
    assert page.evaluate("document.querySelectorAll('header [data-testid=notification-bell]').length") == 1
    # Each group opens its dropdown, whose items stay on one line.
    for key in ("registry", "field", "risk", "accidents"):
        page.locator(f"#nav-group-{key}").click()
        dropdown = page.locator(f"[data-nav-group={key}] .dropdown-menu")
        dropdown.wait_for(state="visible")
        assert _one_line_each(page, f"[data-nav-group={key}] .dropdown-item") == {}
        assert _fits(page, viewport["width"])
        page.keyboard.press("Escape")
        dropdown.wait_for(state="hidden")
    # An item leads to its page, which marks its group.
    page.locator("#nav-group-risk").click()
    page.locator("[data-nav=risk_ranking]").click()
    page.wait_for_url(f"{app_server.url}/risk/ranking/")
    assert "active" in page.locator("[data-nav-group=risk]").get_attribute("class")
    page.locator("#nav-group-risk").click()
    assert page.locator("[data-nav=risk_ranking]").get_attribute("aria-current") == "page"
    page.screenshot(path=str(artifacts_dir / f"menu-{viewport['width']}.png"))


def test_the_menu_on_a_phone(browser, app_server, artifacts_dir):
    build_cast()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    _log_in(page, app_server.url, "anban")
    menu = page.locator("#navbar-menu")
    assert not menu.is_visible()
    assert _fits(page, PHONE["width"])
    assert page.evaluate(OVERLAPS, HEADER_PIECES) == []
    page.locator(".navbar-toggler").click()
    page.wait_for_selector("#navbar-menu.show")
    assert _one_line_each(page, "[data-testid=site-menu] .nav-link-title") == {}
    # A group unfolds in place; its items are on one line each and lead to their pages.
    page.locator("#nav-group-field").click()
    page.locator("[data-nav-group=field] .dropdown-menu").wait_for(state="visible")
    assert _one_line_each(page, "[data-nav-group=field] .dropdown-item") == {}
    assert _fits(page, PHONE["width"])
    page.screenshot(path=str(artifacts_dir / "menu-375-open.png"), full_page=True)
    page.locator("[data-nav=hazards]").click()
    page.wait_for_url(f"{app_server.url}/hazards/")
    page.locator(".navbar-toggler").click()
    page.wait_for_selector("#navbar-menu.show")
    assert "active" in page.locator("[data-nav-group=field]").get_attribute("class")
    context.close()
