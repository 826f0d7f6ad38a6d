"""The current (dynamic) risk level of places (STANDARDS §2, "Dynamic risk"), written to ``Site.risk_level``
with a one-line Chinese reason in ``Site.risk_reason``.

Rule: start from the level of the place's latest assessment and raise it one colour (never above red) while
any of these holds:

* an open major hazard at the place;
* a rectification overdue (a hazard past its deadline and still owed);
* an accident with deaths at the place in the last 12 months;
* an active orange or red weather warning whose response plan names the place's sector. The warnings
  module (``alerts``) does not exist yet; when it does, this rule becomes a fourth flag below, computed the
  same way (an EXISTS over the active warnings' plan sectors), and the alerts service sends
  ``site_risk_inputs_changed`` when a warning starts or ends.

A place with no assessment stays blank (shown as 未评估), never blue.

The recompute is set-based: one UPDATE statement, whatever the number of places. A SELECT computes each
place's short code "<assessed level>:<flags>" by correlated subqueries on indexed columns; the UPDATE joins it
to the table of the (at most 33) possible codes with their level and Chinese reason, and writes only the places
whose level or reason changes (a nightly run touches only what moved). The same function serves the
event path (a few site ids, from :data:`anjian.core.signals.site_risk_inputs_changed`) and the nightly full
recompute.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents.models import Accident
from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade
from anjian.inspections.models import Escalation, Hazard
from anjian.registry.models import Site
from anjian.risk import standards
from anjian.risk.models import RiskAssessment

# The rules in the order their reasons are listed; the code keeps one digit per rule in this order.
RULES: tuple[tuple[str, object], ...] = (
    ("major_hazard", gettext_lazy("an open major hazard")),
    ("overdue", gettext_lazy("a rectification overdue")),
    ("fatal_accident", gettext_lazy("an accident with deaths in the last 12 months")),
)

COLOUR_NAMES = {
    "red": gettext_lazy("Red"),
    "orange": gettext_lazy("Orange"),
    "yellow": gettext_lazy("Yellow"),
    "blue": gettext_lazy("Blue"),
}

# The batch size of the id list of an event recompute (SQLite limits bound parameters).
_ID_BATCH = 900


def level_for(assessed: str, flags: Iterable[bool]) -> str:
    """The current level from the assessed one and the rule flags: one colour up if any holds."""
    if not assessed:
        return ""
    return standards.raise_one(assessed) if any(flags) else assessed


def _join(items: list[str]) -> str:
    """ "a, b, c" in the active language (Chinese lists take 、)."""
    text = items[0] if items else ""
    for item in items[1:]:
        text = _("%(list)s, %(item)s") % {"list": text, "item": item}
    return text


def reason_for(assessed: str, flags: Iterable[bool]) -> str:
    """The one-line reason of a current level, in Chinese whatever the request's language (it is stored)."""
    flags = list(flags)
    with translation.override("zh-hans"):
        if not assessed:
            return _("Not assessed")
        current = level_for(assessed, flags)
        held = [str(label) for (_key, label), on in zip(RULES, flags, strict=True) if on]
        values = {
            "current": str(COLOUR_NAMES[current]),
            "assessed": str(COLOUR_NAMES[assessed]),
            "reasons": _join(held),
        }
        if not held:
            return _("%(current)s: as assessed") % values
        if current == assessed:
            # Already red: the rules still hold and are worth stating.
            return _("%(current)s: assessed as %(assessed)s; %(reasons)s (already the highest level)") % values
        return _("%(current)s: assessed as %(assessed)s, raised one level because of %(reasons)s") % values


def _codes() -> list[tuple[str, str, str]]:
    """Every possible code with its level and reason."""
    rows = [(":", "", reason_for("", ()))]
    for assessed in standards.LEVEL_ORDER:
        for flags in itertools.product((False, True), repeat=len(RULES)):
            code = f"{assessed}:" + "".join("1" if on else "0" for on in flags)
            rows.append((code, level_for(assessed, flags), reason_for(assessed, flags)))
    return rows


def overdue_q(today: datetime.date) -> Q:
    """A rectification overdue: past its deadline and still owed, or, once escalated for being overdue (挂牌督办
    gives it a new deadline), still open: the escalation does not make the delay go away."""
    escalated_overdue = Escalation.objects.filter(hazard_id=OuterRef("pk"), reason=Escalation.Reason.OVERDUE)
    return Q(status__in=DEADLINE_STATUSES, deadline__lt=today) | (
        Q(status__in=OPEN_STATUSES) & Q(Exists(escalated_overdue))
    )


def _flag(condition) -> Case:
    return Case(When(condition, then=Value("1")), default=Value("0"), output_field=CharField())


def _code_expression(today: datetime.date, now: datetime.datetime):
    """The "<assessed level>:<flags>" expression of a place (correlated subqueries on indexed columns)."""
    latest = RiskAssessment.objects.filter(site_id=OuterRef("pk")).order_by("-assessed_on", "-id").values("level")[:1]
    major = Hazard.objects.filter(site_id=OuterRef("pk"), grade=HazardGrade.MAJOR, status__in=OPEN_STATUSES)
    overdue = Hazard.objects.filter(Q(site_id=OuterRef("pk")) & overdue_q(today))
    since = now - datetime.timedelta(days=standards.ACCIDENT_LOOKBACK_DAYS)
    fatal = Accident.objects.filter(site_id=OuterRef("pk"), deaths__gt=0, occurred_at__gte=since, occurred_at__lte=now)
    return Concat(
        Coalesce(Subquery(latest, output_field=CharField()), Value("")),
        Value(":"),
        Case(
            When(Exists(latest), then=Concat(_flag(Exists(major)), _flag(Exists(overdue)), _flag(Exists(fatal)))),
            default=Value(""),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )


def _apply(sites, today: datetime.date, now: datetime.datetime) -> int:
    """One UPDATE … FROM: each place's code (a SELECT of correlated subqueries on indexed columns), joined to the
    table of every code's level and reason, writing only the places whose level or reason changes (SQLite ≥ 3.33
    and PostgreSQL both take this form). Returns the number of places changed."""
    inner, inner_params = (
        sites.order_by()
        .annotate(risk_code=_code_expression(today, now))
        .values("id", "risk_code")
        .query.sql_with_params()
    )
    codes = _codes()
    table = " UNION ALL ".join(["SELECT %s AS code, %s AS level, %s AS reason"] * len(codes))
    site = connection.ops.quote_name(Site._meta.db_table)
    # Only the ORM's own SQL, the quoted table name and placeholders go into the text; every value is a parameter.
    sql = (
        f"UPDATE {site} SET risk_level = m.level, risk_reason = m.reason "  # noqa: S608
        f"FROM ({inner}) AS c, ({table}) AS m "
        f"WHERE {site}.id = c.id AND m.code = c.risk_code "
        f"AND ({site}.risk_level <> m.level OR {site}.risk_reason <> m.reason)"
    )
    params = [*inner_params, *(value for row in codes for value in row)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def recompute_levels(site_ids: Iterable[int] | None = None, *, today: datetime.date | None = None, now=None) -> int:
    """Recompute the current level and reason of the given places (None: every place). Set-based; returns
    the number of places whose level or reason changed."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if site_ids is None:
        return _apply(Site.objects.all(), today, now)
    ids = sorted({int(pk) for pk in site_ids})
    written = 0
    for start in range(0, len(ids), _ID_BATCH):
        written += _apply(Site.objects.filter(pk__in=ids[start : start + _ID_BATCH]), today, now)
    return written


def recompute_district(district_id: int) -> int:
    """Every place of one district (after its colour bands changed)."""
    with transaction.atomic():
        now = timezone.now()
        return _apply(Site.objects.filter(district_id=district_id), timezone.localdate(now), now)


def current_flags(site: Site, *, today: datetime.date | None = None) -> dict[str, bool]:
    """Which dynamic rules hold for one place now (the place's risk tab shows them). Three EXISTS queries."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    since = now - datetime.timedelta(days=standards.ACCIDENT_LOOKBACK_DAYS)
    hazards = Hazard.objects.filter(site_id=site.pk)
    return {
        "major_hazard": hazards.filter(grade=HazardGrade.MAJOR, status__in=OPEN_STATUSES).exists(),
        "overdue": hazards.filter(overdue_q(today)).exists(),
        "fatal_accident": Accident.objects.filter(
            site_id=site.pk, deaths__gt=0, occurred_at__gte=since, occurred_at__lte=now
        ).exists(),
    }
