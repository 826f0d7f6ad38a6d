"""Never a link its user cannot follow: each demo account walks the pages it reaches from its home page and menu
(a bounded crawl with the test client) and every internal link it is shown opens, with 200 or a redirect to a
page that opens, never 403 or 404. On the way, no select box offers Django's "---------" as its empty choice.

On the demo city of the session with a small share of the demo district's inspections and hazards on top
(rolled back after the module), so the hazard, task and inspection pages have rows to link to."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from anjian.accounts.models import User
from anjian.core.permissions import may_open
from anjian.demo import inspections as inspections_demo
from anjian.demo.organizations import DEMO_DISTRICT
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit

pytestmark = pytest.mark.demo

# One account of every role.
ACCOUNTS = ("cityadmin", "anban", "leader", "yingji", "haibin", "jiancha", "qiye", "sysadmin", "secadmin", "auditor")
# The home page (0) shows the menu (1); the pages of the menu link to records and actions (2), whose links are
# followed too (3) but not read further.
DEPTH = 3
# Each page (a view, or one tab of a place's page) is tried once per account, at the first address that leads
# to it: the links of one place's page are those of every place's, so the crawl stays a few seconds per account.
PER_PAGE = 1
PAGES = 250  # at most this many addresses per account
# A list's export holds what the list shows, with the list's guard: it is checked by that guard (the very rule
# its view applies) rather than by writing the workbook of 3,000 places for every account.
EXPORTS = "export.xlsx"
# Not pages: leaving, and the language switch (a POST form).
SKIPPED = ("/accounts/logout/", "/i18n/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    """The internal addresses the page's <a href> lead to (resolved against the page, without fragments)."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(("/static/", "/media/", *SKIPPED)):
            found.append(path)
    return found


def page_of(path: str) -> str | None:
    """The page an address leads to: its view, and its tab (a place's tabs are pages of their own); None for an
    address no page answers."""
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return f"{match.view_name}?tab={query['tab']}" if "tab" in query else match.view_name


def _worth_trying(page, per_page: Counter) -> bool:
    if page is None:
        return True  # an address no page answers: tried, and reported
    per_page[page] += 1
    return per_page[page] <= PER_PAGE


@dataclass
class Walk:
    username: str
    opened: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    dashes: list[str] = field(default_factory=list)  # pages with a "---------" empty choice


def walk(client: Client, user) -> Walk:
    result = Walk(user.username)
    queue: list[tuple[str, int, str]] = [("/", 0, "(start)")]
    seen: set[str] = {"/"}
    per_page: Counter = Counter()
    while queue and len(result.opened) < PAGES:
        path, depth, source = queue.pop(0)
        if page_of(path) is None:
            result.broken.append(f"{path} (no such page, linked from {source})")
            continue
        if urlsplit(path).path.endswith(EXPORTS):
            if not may_open(user, path):
                result.broken.append(f"{path} is refused by its guard (linked from {source})")
            continue
        response = client.get(path)
        result.opened.append(path)
        final = path
        hops = 0
        while response.status_code in (301, 302, 303) and hops < 3:
            final = urljoin(final, response["Location"])
            response = client.get(final)
            hops += 1
        if response.status_code != 200 or "/accounts/login/" in final:
            result.broken.append(f"{path} answers {response.status_code} (linked from {source})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if re.search(r"<option[^>]*>\s*-{9}\s*</option>", html):
            result.dashes.append(path)
        if depth >= DEPTH:
            continue
        for link in links_of(html, final):
            if link in seen:
                continue
            seen.add(link)
            if _worth_trying(page_of(link), per_page):
                queue.append((link, depth + 1, path))
    return result


@pytest.fixture(scope="module")
def with_hazards(demo_city, django_db_blocker):
    """A twentieth of the demo district's inspections and hazards on the demo city (rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=DEMO_DISTRICT["code"])
        inspections_demo.seed(district=district, size=0.05)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_link_an_account_is_shown_opens(with_hazards, db, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    result = walk(client, user)
    assert len(result.opened) > 3, result.opened
    assert result.broken == [], f"{username} is shown links it cannot follow:\n" + "\n".join(result.broken)
    assert result.dashes == [], "select boxes still offer ---------"
