"""The demo district's campaigns, a year of inspections and about 8,000 hazards in every state (``seed``), built
by replaying the services' transitions; see :mod:`anjian.demo.inspections.seeder` for the rules the data keeps."""

from anjian.demo.inspections.seeder import Seeder, is_seeded, seed
from anjian.demo.inspections.vocabulary import AUDIT_ACTION, DEFAULT_SEED

__all__ = ["AUDIT_ACTION", "DEFAULT_SEED", "Seeder", "is_seeded", "seed"]
