"""Who is told of what: the one table of notification kinds and the rule that names each kind's recipients.

Every notification the platform sends is of a kind listed in :data:`KINDS`. A kind says what the message is
about (one model), when it is sent, and its **audiences**: named recipient rules such as "the street or park
where it is (属地)", "the departments supervising its sector (管行业必须管安全)", "the 督办单位", "the district
leaders". A service never chooses recipients itself: it calls :func:`anjian.core.notifications.tell` with the
kind and the record, and the table decides who hears of it. The README's table of notifications is rendered
from this one (:func:`readme_table`; a test compares them), and a test walks every kind with the fixed cast.

**Why the table lives in core and the rules are registered by the apps.** Core imports no app (DESIGN.md), yet
the audiences need what only the apps know: who answers for a place is the registry's knowledge (its street,
its sector's departments after the mandates and overrides, its enterprise's accounts); the district's leaders,
safety office and city are the organisations'; the reporting unit, the 督办单位 and a task's assignee are the
hazard loop's. So core holds the table of kinds and the vocabulary of audiences, and the app that owns a model
registers, at start-up, how each audience is found for its records (:func:`register`), composing the
selectors of the lowest app that has the knowledge (``registry.selectors.answering_departments``,
``organizations.selectors.district_units``). The table stays in one place and readable without any app; an
app cannot add a recipient without adding it to the table; a kind whose audience has no rule for its model is
refused when sent (and a test checks every kind at once).

**Resolved in batches, when sent.** A message carries its kind's audiences; :func:`resolve` turns a whole batch
of messages into unit and user ids with one call per (model, audience) present in the batch, each a fixed
handful of queries: a job that reminds about a thousand hazards costs the queries of its batches, not of a
thousand messages (the rest of the batch, the scope check included, is set-based in core.notifications). What
a recipient may see is still checked there: an audience names units and users, the record's ``visible_to``
decides, so the three administrators (三员分立) and anyone out of scope are never told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Audience(models.TextChoices):
    """The recipient rules a kind may name, each worded as the README shows it."""

    TERRITORY = "territory", "the street or park where it is (属地)"
    SECTOR_DEPARTMENTS = "sector_departments", "the departments supervising its sector (行业主管部门)"
    REPORTING_UNIT = "reporting_unit", "the unit that reported the hazard"
    VERIFIERS = (
        "verifiers",
        (
            "who verifies: the unit that reported the hazard, or, for a hazard the enterprise reported itself, "
            "the place's street or park and its sector's departments"
        ),
    )
    SUPERVISING_UNIT = "supervising_unit", "the 督办单位: the unit that placed the hazard under 挂牌督办"
    ENTERPRISE = "enterprise", "the accounts of the place's enterprise"
    SAFETY_OFFICE = "safety_office", "the district safety office (区安办)"
    DISTRICT_LEADERS = "district_leaders", "the district leaders (区领导)"
    CITY = "city", "the city's staff (市级)"
    ASSIGNEE = "assignee", "the task's assignee, or its unit while nobody is assigned"
    UPLOADER = "uploader", "who uploaded the photo"
    TASKED_UNITS = "tasked_units", "each unit given new tasks, with its own count"


# Audiences that only the sender knows (which units a generation of tasks just reached): the sender names the
# units, the table says that it does.
NAMED_BY_SENDER = frozenset({Audience.TASKED_UNITS})


@dataclass(frozen=True)
class Kind:
    """One kind of notification: about which model (``app_label.Model``), when it is sent, who gets it.

    ``spares_actor_unit``: the unit of whoever caused it is not told (it knows: it reported the hazard)."""

    code: str
    about: str
    when: str
    audiences: tuple[Audience, ...]
    spares_actor_unit: bool = False

    def __post_init__(self):
        if not self.audiences:
            raise ImproperlyConfigured(f"The notification kind {self.code} names nobody.")


# The models the kinds are about, by label (core imports no app).
HAZARD = "inspections.Hazard"
TASK = "inspections.InspectionTask"
CAMPAIGN = "inspections.Campaign"
PHOTO = "inspections.Photo"
ACCIDENT = "accidents.Accident"
A = Audience

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            "inspections.hazard_new",
            HAZARD,
            "a hazard is reported (by an inspection, an enterprise's self-inspection or a direct report)",
            (A.TERRITORY, A.SECTOR_DEPARTMENTS),
            spares_actor_unit=True,
        ),
        Kind(
            "inspections.escalated",
            HAZARD,
            "a hazard is placed under 挂牌督办: a major hazard at once, an overdue one by the hourly scan, "
            "any by a supervisor",
            (A.SUPERVISING_UNIT, A.TERRITORY, A.SECTOR_DEPARTMENTS, A.ENTERPRISE),
        ),
        Kind("inspections.notice_issued", HAZARD, "a rectification notice (整改通知书) is issued", (A.ENTERPRISE,)),
        Kind(
            "inspections.submitted",
            HAZARD,
            "the place submits its rectification for verification",
            (A.VERIFIERS, A.SUPERVISING_UNIT),
        ),
        Kind(
            "inspections.verified_on_site",
            HAZARD,
            "a hazard under 挂牌督办 is verified on site and awaits the lifting of its supervision (摘牌)",
            (A.SAFETY_OFFICE,),
        ),
        Kind("inspections.verified", HAZARD, "the rectification is verified and the hazard closed", (A.ENTERPRISE,)),
        Kind(
            "inspections.rejected",
            HAZARD,
            "verification fails and the hazard goes back to rectifying",
            (A.ENTERPRISE,),
        ),
        Kind(
            "inspections.due_soon",
            HAZARD,
            "3 days before a rectification deadline (hourly scan)",
            (A.REPORTING_UNIT, A.ENTERPRISE),
        ),
        Kind(
            "inspections.overdue",
            HAZARD,
            "the day after a missed rectification deadline (hourly scan)",
            (A.REPORTING_UNIT, A.TERRITORY, A.SECTOR_DEPARTMENTS, A.ENTERPRISE),
        ),
        Kind("inspections.suspension", HAZARD, "an order to suspend operations (责令停产停业整顿)", (A.ENTERPRISE,)),
        Kind(
            "inspections.closure_requested", HAZARD, "closure of the place is requested (提请关闭)", (A.SAFETY_OFFICE,)
        ),
        Kind("inspections.campaign_tasks", CAMPAIGN, "a campaign's inspection tasks are generated", (A.TASKED_UNITS,)),
        Kind("inspections.task_assigned", TASK, "an inspection task is given to an inspector", (A.ASSIGNEE,)),
        Kind(
            "inspections.task_due",
            TASK,
            "3 days before an inspection task is due, and once it is overdue (hourly scan)",
            (A.ASSIGNEE,),
        ),
        Kind(
            "inspections.photo_failed",
            PHOTO,
            "an evidence photo is found damaged when it is processed, or its processing is given up",
            (A.UPLOADER,),
        ),
        Kind(
            "accidents.fatal",
            ACCIDENT,
            "an accident with a death is recorded, or a correction of its casualties records its first death",
            (A.TERRITORY, A.SECTOR_DEPARTMENTS, A.SAFETY_OFFICE, A.DISTRICT_LEADERS),
            spares_actor_unit=True,
        ),
        Kind(
            "accidents.serious",
            ACCIDENT,
            "an accident of grade 较大 or above is recorded, or a correction raises it to such a grade",
            (A.TERRITORY, A.SECTOR_DEPARTMENTS, A.SAFETY_OFFICE, A.DISTRICT_LEADERS, A.CITY),
            spares_actor_unit=True,
        ),
    )
}


def kind(code: str) -> Kind:
    """The kind of that code; an unknown code is the sender's mistake, refused loudly."""
    try:
        return KINDS[code]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown notification kind {code!r}: add it to anjian.core.notification_rules.KINDS."
        ) from None


# --- the rules each app registers ----------------------------------------------------------------------


@dataclass(frozen=True)
class To:
    """What an audience comes to for one record: unit ids (their active users) and user ids."""

    units: tuple[int, ...] = ()
    users: tuple[int, ...] = ()


# (model label, audience) → a function from record ids to what the audience is for each of them.
Resolver = Callable[[list[int]], dict[int, To]]
_resolvers: dict[tuple[str, str], Resolver] = {}


def register(model: type[models.Model], audience: Audience) -> Callable[[Resolver], Resolver]:
    """Decorator: how ``audience`` is found for records of ``model``. The function takes a list of ids and
    returns a :class:`To` for each id it has someone for, in a fixed number of queries."""

    def decorator(resolver: Resolver) -> Resolver:
        _resolvers[(model._meta.label, str(audience))] = resolver
        return resolver

    return decorator


def unresolved(codes: Iterable[str] | None = None) -> list[str]:
    """Each (kind, audience) of the table that no app has said how to find: empty when the table is whole."""
    missing = []
    for code in codes if codes is not None else KINDS:
        entry = kind(code)
        for audience in entry.audiences:
            if audience not in NAMED_BY_SENDER and (entry.about, str(audience)) not in _resolvers:
                missing.append(f"{code}: {audience} of {entry.about}")
    return missing


def resolve(messages: list) -> list[tuple[set[int], set[int]]]:
    """Unit ids and user ids of each message's audiences: one resolver call per (model, audience) in the batch.

    A message without audiences (core's own tests address users directly) keeps its own units and users;
    ``spare_units`` are taken out of the units the audiences name."""
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for message in messages:
        label = type(message.about)._meta.label
        for audience in message.audiences:
            if audience not in NAMED_BY_SENDER:
                wanted[(label, audience)].add(message.about.pk)
    found: dict[tuple[str, str], dict[int, To]] = {}
    for key, pks in wanted.items():
        if key not in _resolvers:
            raise ImproperlyConfigured(f"No rule finds {key[1]} of {key[0]}: register one (core.notification_rules).")
        found[key] = _resolvers[key](sorted(pks))
    result = []
    for message in messages:
        units, users = set(message.units), set(message.users)
        label = type(message.about)._meta.label
        for audience in message.audiences:
            to = found.get((label, audience), {}).get(message.about.pk)
            if to is not None:
                units.update(to.units)
                users.update(to.users)
        units.difference_update(message.spare_units)
        units.discard(None)
        users.discard(None)
        result.append((units, users))
    return result


# --- the README's table -----------------------------------------------------------------------------------


def readme_table() -> str:
    """The table of notifications as the README shows it (a test keeps the two the same)."""
    lines = ["| Kind | About | Sent when | Who is told |", "|---|---|---|---|"]
    for entry in KINDS.values():
        who = "; ".join(Audience(a).label for a in entry.audiences)
        if entry.spares_actor_unit:
            who += "; not the unit of whoever reported it"
        lines.append(f"| `{entry.code}` | {entry.about.split('.')[1]} | {entry.when} | {who} |")
    return "\n".join(lines)
