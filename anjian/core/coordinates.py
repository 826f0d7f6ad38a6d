"""How the platform writes a position and a distance for people: one order everywhere, latitude first, each number
labelled (纬度 30.152300，经度 120.148800), so an official never has to guess which is which. Templates use the
``coordinates`` and ``distance`` filters of ``{% load anjian %}``; Python code (error sheets, messages) calls these.
Machine formats keep their own order (GeoJSON and Leaflet data are [lon, lat] or [lat, lon] as they define)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

PLACES = Decimal("0.000001")


def _number(value) -> str:
    try:
        return str(Decimal(str(value)).quantize(PLACES))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


def format_coordinates(latitude, longitude) -> str:
    """ "纬度 30.152300，经度 120.148800"; empty when either is missing."""
    if latitude is None or longitude is None or latitude == "" or longitude == "":
        return ""
    return _("latitude %(lat)s, longitude %(lon)s") % {"lat": _number(latitude), "lon": _number(longitude)}


def format_distance(metres) -> str:
    """A distance as people say it: "850 米" below a kilometre, "12.3 公里" up to a hundred, "1000 公里" beyond."""
    if metres is None:
        return ""
    metres = float(metres)
    if metres < 1000:
        return _("%(m)s m") % {"m": round(metres)}
    kilometres = metres / 1000
    shown = f"{kilometres:.1f}" if kilometres < 100 else f"{kilometres:.0f}"
    return _("%(km)s km") % {"km": shown}
