"""Geometry the demo needs to place points: inside a GeoJSON polygon, and a random point drawn inside one."""

from __future__ import annotations

import random
from decimal import Decimal


def point_in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    """Ray casting: a horizontal ray from the point crosses the ring's edges an odd number of times."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(x: float, y: float, polygon: dict) -> bool:
    """Inside the outer ring of a GeoJSON Polygon (or of any part of a MultiPolygon), outside its holes."""
    parts = [polygon["coordinates"]] if polygon["type"] == "Polygon" else polygon["coordinates"]
    for rings in parts:
        if point_in_ring(x, y, rings[0]) and not any(point_in_ring(x, y, hole) for hole in rings[1:]):
            return True
    return False


def random_point_in(polygon: dict, rng: random.Random) -> tuple[Decimal, Decimal]:
    """A point inside the polygon, by rejection sampling in its bounding box (rounded as stored)."""
    parts = [polygon["coordinates"]] if polygon["type"] == "Polygon" else polygon["coordinates"]
    xs = [p[0] for rings in parts for p in rings[0]]
    ys = [p[1] for rings in parts for p in rings[0]]
    for _attempt in range(10_000):
        x = Decimal(f"{rng.uniform(min(xs), max(xs)):.6f}")
        y = Decimal(f"{rng.uniform(min(ys), max(ys)):.6f}")
        if point_in_polygon(float(x), float(y), polygon):
            return x, y
    raise ValueError("no point found inside the polygon")
