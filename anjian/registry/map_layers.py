"""Extra layers of the map of places: a registry that higher modules extend (accidents, major hazard installations,
the four-colour risk map…), like :mod:`anjian.registry.tabs` for a place's tabs.

A module registers its layer once, from its ``AppConfig.ready()``::

    from anjian.registry import map_layers

    map_layers.register(map_layers.MapLayer(
        key="accidents", label=_("Accidents"), url_name="accidents:map_points",
        visible=lambda user: user.is_authenticated and user.sees_business_data,
        legend=(("ordinary", _("Ordinary accident"), "#f59f00"),),
    ))

The view named by ``url_name`` answers ``{"points": [[lat, lon, title, detail_url, colour_key], ...]}`` for the
requesting user's scope (it scopes itself: the map page only lists the layer). The map page shows one toggle per
layer the user may see; a layer's points are fetched only when it is switched on, so a layer nobody opens costs
nothing. ``legend`` (optional) names and colours the colour keys: rows of ``(colour_key, label, css_colour)``;
a key missing from the legend is drawn in a neutral colour and listed under its own name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: Any  # lazy string
    url_name: str  # answers {"points": [[lat, lon, title, detail_url, colour_key], ...]} for the user's scope
    visible: Callable[[Any], bool]  # who may see the layer
    default_on: bool = False
    legend: tuple[tuple[str, Any, str], ...] = ()  # (colour_key, label, css colour)
    order: int = 500


_registry: dict[str, MapLayer] = {}


def register(layer: MapLayer) -> None:
    """Add or replace (same key) a layer; registering twice (tests, autoreload) keeps one."""
    _registry[layer.key] = layer


def unregister(key: str) -> None:
    """Remove a layer (a test that registered one of its own)."""
    _registry.pop(key, None)


def layers_for(user) -> list[MapLayer]:
    """The layers ``user`` may see, in a stable order (``order``, then key)."""
    return [
        layer for layer in sorted(_registry.values(), key=lambda item: (item.order, item.key)) if layer.visible(user)
    ]
