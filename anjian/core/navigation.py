"""The top menu. Each app registers its pages in ready() (:func:`register`), each in one of the groups below,
which follow how a district's work-safety work is organised; the menu shows a user the groups that hold a
page for them, as Tabler dropdowns (a group with one page for the user is a plain link).

A page is offered only to those its view lets in: the view's own guards (``permissions.page_guard``) decide,
through :func:`anjian.core.permissions.may_open`, so the menu never shows a link its user cannot follow. An
item's ``visible`` predicate narrows that further to the users who work with the page (the enforcement desk is
open to every business user, but only the units that decide suspensions have it in their menu).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from anjian.core.permissions import may_open


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int


# The groups, in menu order: the registry of places and who answers for them (台账); finding and removing
# hazards (排查治理: tasks, inspections, hazards, campaigns, enforcement); risk (风险); accidents with their
# investigations and statistics (事故); the platform itself (系统).
GROUPS: dict[str, NavGroup] = {
    group.key: group
    for group in (
        NavGroup("registry", pgettext_lazy("menu", "Registry"), 100),
        NavGroup("field", pgettext_lazy("menu", "Inspections and hazards"), 200),
        NavGroup("risk", pgettext_lazy("menu", "Risk"), 300),
        NavGroup("accidents", pgettext_lazy("menu", "Accidents"), 400),
        NavGroup("system", pgettext_lazy("menu", "System"), 900),
    )
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    group: str
    icon: str = "circle"
    order: int = 500
    # Narrows the page's own guards to those who use it; None: everyone the page lets in.
    visible: Callable[[object], bool] | None = None


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    if item.group not in GROUPS:
        raise ValueError(f"Menu item {item.key!r} names the unknown group {item.group!r} (one of {sorted(GROUPS)}).")
    _registry[item.key] = item


def unregister(key: str) -> None:
    """Take an item out of the menu (an app switched off by a setting; tests of the menu's rules)."""
    _registry.pop(key, None)


def registered() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda i: (GROUPS[i.group].order, i.order, i.key))


def items_for(user, path: str = "") -> list[dict]:
    """The menu items ``user`` is offered, in menu order; the one whose address is the longest prefix of
    ``path`` is active (/places/responsibility/ is not also /places/)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [
        {"key": item.key, "label": item.label, "url": reverse(item.url_name), "group": item.group, "active": False}
        for item in registered()
        if (item.visible is None or item.visible(user)) and may_open(user, item.url_name)
    ]
    matching = [item for item in items if path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items


def menu_for(items: list[dict]) -> list[dict]:
    """The groups holding at least one of ``items`` (from :func:`items_for`), in order, each with its items;
    a group is active when one of its items is."""
    menu = []
    for group in sorted(GROUPS.values(), key=lambda g: g.order):
        members = [item for item in items if item["group"] == group.key]
        if members:
            menu.append(
                {
                    "key": group.key,
                    "label": group.label,
                    "items": members,
                    "active": any(item["active"] for item in members),
                }
            )
    return menu
