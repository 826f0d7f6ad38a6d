"""The risk module's models, one file per part: assessments and current levels, major hazard installations,
the city safety risk assessment."""

from anjian.risk.models.assessment import *  # noqa: F403
from anjian.risk.models.city import *  # noqa: F403
from anjian.risk.models.installations import *  # noqa: F403
