"""Streets, parks and sectors as users name them in a file, with the streets' boundaries prepared for point tests:
built once per import (a handful of queries) and asked for every row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.imports.cells import plain
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.geo import Area
from anjian.organizations.models import OrgUnit, Sector


class Territories:
    """The active streets and parks of a district: by name (full or short) → id, their names and boundaries."""

    def __init__(self, district: OrgUnit):
        self.district = district
        units = list(
            OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).only(
                "id", "name", "short_name", "boundary"
            )
        )
        self.ids: dict[str, int] = {}
        self.areas: dict[int, Area] = {}
        for unit in units:
            self.ids.setdefault(unit.name.strip(), unit.pk)
            if unit.short_name:
                self.ids.setdefault(unit.short_name.strip(), unit.pk)
            self.areas[unit.pk] = Area(unit.boundary)
        self.names = {unit.pk: unit.name for unit in units}
        self.district_area = Area(district.boundary)
        # Where the district has no boundary of its own, its streets' boxes with a wide margin catch
        # the gross mistakes (another city, swapped coordinates) for places of streets without one.
        boxes = [a.bbox for a in self.areas.values() if a]
        self.extent = None
        if boxes:
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            margin = max(x1 - x0, y1 - y0) * 0.5 + 0.05
            self.extent = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)

    def point_problem(self, territory_id: int | None, lon: float, lat: float) -> tuple[str, str] | None:
        """What is wrong with a point given for a street (or for no street): (code, reason), or None.

        Inside the street's boundary where it has one (swapped coordinates are named as such), else inside the
        district's boundary, else inside the streets' extent; nothing to test against is no problem."""
        area = self.areas.get(territory_id)
        if area:
            if area.contains(lon, lat):
                return None
            if area.contains(lat, lon):
                return "coordinates", _("Longitude and latitude seem to be swapped.")
            unit = self.names.get(territory_id, "")
            return "outside_street", _("The point lies outside the boundary of %(unit)s.") % {"unit": unit}
        if self.district_area:
            inside = self.district_area.contains(lon, lat)
        elif self.extent:
            x0, y0, x1, y1 = self.extent
            inside = x0 <= lon <= x1 and y0 <= lat <= y1
        else:
            return None
        if inside:
            return None
        return "outside_district", _("The point lies outside %(district)s.") % {"district": self.district.name}


class SectorNames:
    """Sectors by what users write (code, Chinese or English name, quotes and spaces ignored) → code."""

    def __init__(self):
        self.codes: dict[str, str] = {}
        self.names: dict[str, str] = {}  # code → Chinese name
        for sector in Sector.objects.all():
            self.names[sector.code] = sector.name
            for key in (sector.code, sector.name, sector.name_en, plain(sector.name)):
                self.codes.setdefault(plain(key).lower(), sector.code)

    def code(self, text: str) -> str | None:
        return self.codes.get(plain(text).lower())
