"""The navigation that grows as modules land: each app registers its menu items in ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 500
    visible: Callable[[object], bool] = field(default=lambda user: True)


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _registry[item.key] = item


def items_for(user, path: str = "") -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in sorted(_registry.values(), key=lambda i: (i.order, i.key)):
        if item.visible(user):
            items.append({"key": item.key, "label": item.label, "url": reverse(item.url_name), "active": False})
    # Only the most specific matching item is active (/places/responsibility/ is not also /places/).
    matching = [item for item in items if path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
