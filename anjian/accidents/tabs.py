"""What the accidents app adds to the registry's pages: the place's tab "事故" and the accidents layer of the
map of places (through the registry's hooks, so the registry never imports this app).

``register_all()`` is called once from ``AccidentsConfig.ready()``.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accidents.choices import AccidentGrade
from anjian.accidents.models import Accident, InvestigationStatus
from anjian.core.permissions import can_supervise, is_business

ACCIDENTS_SHOWN = 100
MAP_DAYS = 365  # the map layer shows the last twelve months

# Colours of the accident grades on the map, from the most serious down.
GRADE_COLOURS = {
    AccidentGrade.ESPECIALLY_SERIOUS: "#6b0f1a",
    AccidentGrade.SERIOUS: "#d63939",
    AccidentGrade.RELATIVELY_SERIOUS: "#f76707",
    AccidentGrade.ORDINARY: "#f59f00",
}


def sees_accidents(user) -> bool:
    """Every business user sees the accidents of their scope; the three administrators see none."""
    return is_business(user)


def may_record_at(user, site) -> bool:
    """Whether the "record an accident here" link makes sense: a supervising officer (not an enterprise
    account, not a read-only leader) who may change the place — what record_accident will accept."""
    return can_supervise(user, site)


def accidents_at(user, site):
    """The accidents at a place the user may see, newest first, with their investigation (one query)."""
    return (
        Accident.objects.visible_to(user)
        .filter(site=site)
        .select_related("investigation", "sector")
        .order_by("-occurred_at", "-id")
    )


def investigation_state(accident, today: datetime.date) -> str:
    """none / open / overdue / closed, for the badge of the tab."""
    investigation = getattr(accident, "investigation", None)
    if investigation is None:
        return "none"
    if investigation.status == InvestigationStatus.CLOSED:
        return "closed"
    return "overdue" if investigation.deadline < today else "open"


def _tab_context(request, site) -> dict:
    user = request.user
    today = timezone.localdate()
    rows = list(accidents_at(user, site)[: ACCIDENTS_SHOWN + 1])
    for accident in rows:
        accident.investigation_state = investigation_state(accident, today)
    return {
        "site_accidents": rows[:ACCIDENTS_SHOWN],
        "more_accidents": len(rows) > ACCIDENTS_SHOWN,
        "may_record_accident": may_record_at(user, site),
    }


def _tab_visible(user, site) -> bool:
    return sees_accidents(user)


def map_points(user) -> list[list]:
    """[lat, lon, title, detail_url, grade] of the accidents of the last twelve months in the user's scope that
    have coordinates — their own, else their place's. One query."""
    from django.urls import reverse

    since = timezone.now() - datetime.timedelta(days=MAP_DAYS)
    rows = (
        Accident.objects.visible_to(user)
        .filter(occurred_at__gte=since)
        .annotate(
            lat=Case(When(latitude__isnull=False, then=F("latitude")), default=F("site__latitude")),
            lon=Case(When(latitude__isnull=False, then=F("longitude")), default=F("site__longitude")),
            severity=Case(
                *(When(grade=grade, then=Value(rank)) for rank, grade in enumerate(GRADE_COLOURS)),
                default=Value(len(GRADE_COLOURS)),
                output_field=IntegerField(),
            ),
        )
        .filter(lat__isnull=False, lon__isnull=False)
        # The most serious last, so they are drawn on top.
        .order_by("-severity", "occurred_at", "id")
        .values_list("pk", "lat", "lon", "occurred_at", "category", "deaths", "address", "grade", "site__name")
    )
    detail = reverse("accidents:accident_detail", args=[0])
    categories = dict(Accident._meta.get_field("category").choices)
    points = []
    for pk, lat, lon, occurred_at, category, deaths, address, grade, site_name in rows:
        title = f"{timezone.localtime(occurred_at):%Y-%m-%d} {categories.get(category, category)}"
        where = site_name or address
        if where:
            title = f"{title} · {where}"
        if deaths:
            title = f"{title} · {_('%(n)s dead') % {'n': deaths}}"
        points.append([float(lat), float(lon), title, detail.replace("/0/", f"/{pk}/"), grade])
    return points


def register_all() -> None:
    """The place's tab, the map layer, and the import task (imported so Celery workers know it)."""
    from anjian.accidents import imports  # noqa: F401
    from anjian.registry import map_layers, tabs

    tabs.register(
        tabs.SiteTab(
            key="accidents",
            label=_("Accidents"),
            template_name="accidents/tabs/site_accidents.html",
            order=40,
            visible=_tab_visible,
            context=_tab_context,
        )
    )
    map_layers.register(
        map_layers.MapLayer(
            key="accidents",
            label=_("Accidents (last 12 months)"),
            url_name="accidents:map_points",
            visible=sees_accidents,
            legend=tuple((str(grade), grade.label, colour) for grade, colour in GRADE_COLOURS.items()),
            order=40,
        )
    )
