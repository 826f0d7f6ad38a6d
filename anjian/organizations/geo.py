"""Validation and simple geometry of the GeoJSON boundaries of streets and parks: use it wherever a boundary is
checked, drawn or asked whether it holds a point (the place form, imports, the map)."""

from __future__ import annotations

import itertools
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _check_ring(ring) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of the boundary needs at least four positions."))
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise ValidationError(_("Each position of the boundary must be [longitude, latitude]."))
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("Longitude must lie within ±180 and latitude within ±90."))
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValidationError(_("Each ring of the boundary must be closed (first position equals last)."))
    if abs(_ring_area(ring)) < 1e-12:
        raise ValidationError(_("A ring of the boundary encloses no area."))


def _ring_area(ring) -> float:
    """Twice the signed planar area (shoelace); positions may carry a third number, which is ignored."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))


def validate_boundary(value) -> None:
    """A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), or nothing."""
    if value in (None, {}, ""):
        return
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The boundary has no coordinates."))
    polygons = coordinates if value["type"] == "MultiPolygon" else [coordinates]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The boundary has an empty polygon."))
        for ring in polygon:
            _check_ring(ring)


def outer_rings(value) -> list[list]:
    if not value:
        return []
    if value["type"] == "Polygon":
        return [value["coordinates"][0]]
    return [polygon[0] for polygon in value["coordinates"]]


def centroid(value) -> tuple[float, float] | None:
    """Area-weighted centroid (lon, lat) of the outer rings; planar, fine at district scale."""
    total_area = cx = cy = 0.0
    for ring in outer_rings(value):
        for a, b in itertools.pairwise(ring):
            (x0, y0), (x1, y1) = a[:2], b[:2]
            cross = x0 * y1 - x1 * y0
            total_area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if not total_area:
        return None
    return cx / (3 * total_area), cy / (3 * total_area)


def polygons(boundary) -> list[list[list[tuple[float, float]]]]:
    """The rings of each polygon of a GeoJSON Polygon/MultiPolygon as (lon, lat) floats; [] for no boundary."""
    if not boundary or not isinstance(boundary, dict):
        return []
    coordinates = boundary.get("coordinates") or []
    parts = coordinates if boundary.get("type") == "MultiPolygon" else [coordinates]
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in parts]


def _in_polygon(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    """Ray casting, even-odd over all rings: a point in a hole is outside."""
    inside = False
    for ring in rings:
        xj, yj = ring[-1]
        for xi, yi in ring:
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            xj, yj = xi, yi
    return inside


def contains(boundary, lon: float, lat: float) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon contains the point (lon, lat)."""
    return Area(boundary).contains(float(lon), float(lat))


class Area:
    """A boundary prepared for many point tests: bounding boxes first, rings only when inside them."""

    def __init__(self, boundary):
        self.parts = []
        for rings in polygons(boundary):
            if not rings or not rings[0]:
                continue
            xs = [p[0] for p in rings[0]]
            ys = [p[1] for p in rings[0]]
            self.parts.append(((min(xs), min(ys), max(xs), max(ys)), rings))

    def __bool__(self) -> bool:
        return bool(self.parts)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if not self.parts:
            return None
        boxes = [b for b, _r in self.parts]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def contains(self, x: float, y: float) -> bool:
        for (x0, y0, x1, y1), rings in self.parts:
            if x0 <= x <= x1 and y0 <= y <= y1 and _in_polygon(rings, x, y):
                return True
        return False


EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def distance_m(lon1, lat1, lon2, lat2) -> float:
    """The great-circle distance in metres between two points given in degrees (haversine): plenty for telling
    whether someone stands at a place, with no projection."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
