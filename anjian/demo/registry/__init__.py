"""The demo city's supervised places: about 3,000 in 滨江区 and a few hundred in each other district, drawn from
a seeded random stream and written in bulk (``seed_places``). The geometry, vocabulary and generator it uses are
exposed here for the tests that check them."""

from anjian.demo.registry.generator import DEMO_DISTRICT_PLACES, PLAN, Generator, Spec, generate
from anjian.demo.registry.geometry import point_in_polygon, point_in_ring, random_point_in
from anjian.demo.registry.places import seed_places
from anjian.demo.registry.vocabulary import DEMO_ENTERPRISE, ROADS, SUBSTANCES

__all__ = [
    "DEMO_DISTRICT_PLACES",
    "DEMO_ENTERPRISE",
    "PLAN",
    "ROADS",
    "SUBSTANCES",
    "Generator",
    "Spec",
    "generate",
    "point_in_polygon",
    "point_in_ring",
    "random_point_in",
    "seed_places",
]
