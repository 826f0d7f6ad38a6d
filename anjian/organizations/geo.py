"""Validation and simple geometry of the GeoJSON boundaries of streets and parks."""

from __future__ import annotations

import itertools

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
