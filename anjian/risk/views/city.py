"""Pages of the city safety risk assessment: the ranking of the city's districts, a district's street ranking,
the explanation of one area's score with its trend, the export, the yearly snapshot, and the configuration of
units, indicators and weights (the city administrator changes it, district users read it).

What a user reads is decided by :func:`anjian.risk.city.access_for`; anything else answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accidents.choices import AccidentCategory
from anjian.core import xlsx
from anjian.core.permissions import page_guard
from anjian.organizations.models import OrgUnit, Sector
from anjian.risk import city
from anjian.risk.models import IndicatorDirection, RiskIndicator, RiskScheme, RiskUnit


def _access(request: HttpRequest) -> city.Access:
    return city.access_or_404(request.user)


def _city(access: city.Access) -> OrgUnit:
    return OrgUnit.objects.get(pk=access.city_id)


def _trend_chart(trends: dict[int, list[dict]], names: dict[int, str]) -> dict:
    """ECharts data: one line of scores per area over the snapshot years. Every point is a snapshot, labelled
    with the day it was recorded (this year's snapshot differs from the live score of the table above)."""
    years = sorted({row["year"] for rows in trends.values() for row in rows})
    taken: dict[int, datetime.date] = {}
    for rows in trends.values():
        for row in rows:
            day = timezone.localtime(row["taken_at"]).date()
            taken[row["year"]] = max(taken.get(row["year"], day), day)
    snapshots = [
        {"year": year, "taken": taken[year].isoformat(), "label": _("Snapshot of %(date)s") % {"date": taken[year]}}
        for year in years
    ]
    series = []
    for area_id, rows in trends.items():
        by_year = {row["year"]: row for row in rows}
        series.append(
            {
                "name": names[area_id],
                "scores": [str(by_year[y]["score"]) if y in by_year else None for y in years],
                "ranks": [f"{by_year[y]['rank']}/{by_year[y]['of']}" if y in by_year else "" for y in years],
            }
        )
    return {
        "years": years,
        "series": series,
        "snapshots": snapshots,
        "score_label": _("Snapshot score"),
        "rank_label": _("Rank"),
    }


@login_required
@page_guard(city.reads_ranking)
def ranking(request: HttpRequest) -> HttpResponse:
    """The districts of the city ranked overall and per unit; the user's district highlighted."""
    access = _access(request)
    result = city.compute_ranking(parent=_city(access))
    table = result.table(request.GET.get("unit", "overall")) or result.overall
    own = result.overall.row_for(access.district_id) if access.district_id else None
    trends = city.trend(area_ids=result.areas.ids)
    return render(
        request,
        "risk/ranking_districts.html",
        {
            "result": result,
            "table": table,
            "access": access,
            "own": own,
            "chart": _trend_chart(trends, {area.pk: area.name for area in result.areas.units}),
            "years": city.snapshot_years(city_id=access.city_id),
            "this_year": timezone.localdate().year,
            "computed_at": timezone.localtime(),
        },
    )


def _district(access: city.Access, pk) -> OrgUnit:
    return city.visible_district_or_404(access, pk)


@login_required
@page_guard(city.reads_ranking)
def street_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The streets and parks of a district; a street officer sees its own row only, with its place of all."""
    access = _access(request)
    district = _district(access, pk)
    result = city.compute_ranking(parent=district)
    table = result.table(request.GET.get("unit", "overall")) or result.overall
    rows = city.visible_rows(table, access)
    shown = [row.area.pk for row in rows]
    trends = city.trend(area_ids=shown)
    return render(
        request,
        "risk/ranking_streets.html",
        {
            "district": district,
            "result": result,
            "table": table,
            "rows": rows,
            "access": access,
            "chart": _trend_chart(trends, {row.area.pk: row.area.name for row in rows}),
            "this_year": timezone.localdate().year,
            "computed_at": timezone.localtime(),
        },
    )


@login_required
@page_guard(city.reads_ranking)
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Why an area has its score: each unit's indicators (value, normalised, weight, contribution), and its
    trend over the snapshot years."""
    access = _access(request)
    area, parent = city.visible_area_or_404(access, pk)
    result = city.compute_ranking(parent=parent)
    tables = [(table, table.row_for(area.pk)) for table in result.tables]
    trends = city.trend(area_ids=[area.pk])
    return render(
        request,
        "risk/ranking_explain.html",
        {
            "area": area,
            "parent": parent,
            "overall": result.overall.row_for(area.pk),
            "tables": tables,
            "chart": _trend_chart(trends, {area.pk: area.name}),
            "computed_at": timezone.localtime(),
        },
    )


# --- export ------------------------------------------------------------------------------------------------


@login_required
@page_guard(city.reads_ranking)
def export(request: HttpRequest) -> FileResponse:
    """The ranking as .xlsx: the districts, or with ``?district=`` that district's streets (in scope)."""
    handle, parent = city.export_ranking(actor=request.user, district_id=request.GET.get("district"))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"城市安全风险排名-{parent.name}-{stamp}.xlsx",
        content_type=xlsx.CONTENT_TYPE,
    )


# --- snapshots ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def snapshot(request: HttpRequest) -> HttpResponse:
    """Record this or a past year's ranking now (the beat does it at year end)."""
    access = _access(request)
    district_id = request.POST.get("district")
    try:
        year = int(request.POST.get("year") or timezone.localdate().year)
        if district_id:
            district = _district(access, district_id)
            count = city.take_snapshots(actor=request.user, year=year, district=district)
            target = reverse("risk:street_ranking", args=[district.pk])
        else:
            count = city.take_snapshots(actor=request.user, year=year, city=_city(access))
            target = reverse("risk:ranking")
    except ValueError:
        raise Http404 from None
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.META.get("HTTP_REFERER") or reverse("risk:ranking"))
    messages.success(request, _("The %(year)s ranking was recorded (%(count)s rows).") % {"year": year, "count": count})
    return redirect(target)


# --- configuration -----------------------------------------------------------------------------------------


def _matrix_from_post(data, labels: list[str], prefix: str, read: list[str]) -> list[list[str]]:
    """The upper triangle as entered (m_<i>_<j>), the rest filled as reciprocals and ones. Every cell is checked
    before any is refused: each refusal names its cell (row, column and what they compare) and the value typed.
    ``read`` receives each judgement as it was read ("A : B = 1/3"), to be shown after saving."""
    from fractions import Fraction

    from anjian.risk import ahp

    size = len(labels)
    matrix = [["1"] * size for _row in range(size)]
    errors = []
    for i in range(size):
        for j in range(i + 1, size):
            raw = (data.get(f"{prefix}_{i}_{j}") or "").strip()
            try:
                entry = ahp.parse_entry(raw or "1")
            except ValidationError as error:
                cell = _("Row %(i)s, column %(j)s (%(a)s : %(b)s)") % {
                    "i": i + 1,
                    "j": j + 1,
                    "a": labels[i],
                    "b": labels[j],
                }
                errors.extend(f"{cell}：{message}" for message in error.messages)
                continue
            matrix[i][j] = str(entry)
            matrix[j][i] = str(Fraction(1) / entry)
            read.append(f"{labels[i]} : {labels[j]} = {entry}")
    if errors:
        raise ValidationError(errors)
    return matrix


@login_required
@page_guard(city.reads_ranking_method)
def config(request: HttpRequest) -> HttpResponse:
    """Units, indicators and weights; the city administrator changes them, district users read them."""
    access = _access(request)
    the_city = _city(access)
    if request.method == "POST":
        if not access.can_configure:
            raise PermissionDenied(_("Only the city administrator configures the city's risk assessment units."))
        read: list[str] = []
        try:
            _apply_config(request, the_city, read)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            refused = request.POST  # the form is shown again with what was typed
        else:
            messages.success(request, _("The assessment configuration was saved."))
            if read:
                messages.info(request, _("Judgements as read: %(read)s") % {"read": "；".join(read)})
            return redirect("risk:ranking_config")
    else:
        refused = None
    units = list(RiskUnit.objects.filter(city=the_city).prefetch_related("indicators"))
    scheme = RiskScheme.objects.filter(city=the_city).first()
    specs = city.unit_specs(the_city.pk)
    names = city.sector_names()
    for spec in specs:
        spec.sector_labels = "、".join(names.get(code, code) for code in spec.sectors)
        spec.category_labels = "、".join(str(AccidentCategory(c).label) for c in spec.accident_categories)
        for indicator in spec.indicators:
            definition = city.INDICATORS.get(indicator.code)
            indicator.label = definition.label if definition else indicator.code
            indicator.sector_labels = "、".join(names.get(code, code) for code in indicator.sectors)
    for spec in specs:
        spec.pairs = _pairs([str(indicator.label) for indicator in spec.indicators])
    unit_pairs = _pairs([spec.name for spec in specs])
    for spec in specs:
        spec.method = "direct"
    unit_method = _keep_submitted(refused, specs, unit_pairs) if refused is not None else "direct"
    return render(
        request,
        "risk/ranking_config.html",
        {
            "specs": specs,
            "unit_pairs": unit_pairs,
            "unit_method": unit_method,
            "saved": bool(units),
            "scheme": scheme,
            "access": access,
            "indicator_choices": [(code, ind.label) for code, ind in city.INDICATORS.items()],
            "sectors": Sector.objects.all(),
            "categories": AccidentCategory.choices,
            "directions": IndicatorDirection.choices,
        },
    )


def _pairs(labels: list[str]) -> list[list]:
    """The upper triangle of a comparison matrix, as form fields: [row, column, row label, column label, value]."""
    return [[i, j, labels[i], labels[j], "1"] for i in range(len(labels)) for j in range(i + 1, len(labels))]


def _keep_submitted(data, specs, unit_pairs) -> str:
    """A refused form is shown again with the judgements and weights as typed, and the method chosen."""
    action, method = data.get("action"), data.get("method") or "direct"
    unit_method = method if action == "unit_weights" else "direct"
    if action == "unit_weights":
        for spec in specs:
            spec.weight = data.get(f"w_{spec.code}", spec.weight)
        for pair in unit_pairs:
            pair[4] = data.get(f"m_{pair[0]}_{pair[1]}", "1")
    elif action == "indicator_weights":
        for spec in specs:
            if spec.code != data.get("unit"):
                continue
            spec.method = method
            for indicator in spec.indicators:
                indicator.weight = data.get(f"w_{indicator.pk}", indicator.weight)
            for pair in spec.pairs:
                pair[4] = data.get(f"m_{pair[0]}_{pair[1]}", "1")
    return unit_method


def _apply_config(request: HttpRequest, the_city: OrgUnit, read: list[str]) -> None:
    data = request.POST
    action = data.get("action")
    user = request.user
    if action == "adopt":
        city.adopt_default_units(actor=user, city=the_city)
        return
    if action == "unit_weights":
        specs = city.unit_specs(the_city.pk)
        if data.get("method") == "ahp":
            matrix = _matrix_from_post(data, [spec.name for spec in specs], "m", read)
            city.set_unit_weights(actor=user, city=the_city, matrix=matrix)
        else:
            city.set_unit_weights(actor=user, city=the_city, weights={s.code: data.get(f"w_{s.code}") for s in specs})
        return
    if action in ("indicator_weights", "add_indicator"):
        city.persist_default_units(city=the_city)
        unit = get_object_or_404(RiskUnit, city=the_city, code=data.get("unit"))
        if action == "add_indicator":
            city.add_indicator(
                actor=user,
                unit=unit,
                code=data.get("code", ""),
                sectors=data.getlist("sectors"),
                direction=data.get("direction") or IndicatorDirection.POSITIVE,
            )
            return
        indicators = list(unit.indicators.all())
        if data.get("method") == "ahp":
            labels = [str(getattr(city.INDICATORS.get(i.code), "label", i.code)) for i in indicators]
            matrix = _matrix_from_post(data, labels, "m", read)
            city.set_indicator_weights(actor=user, unit=unit, matrix=matrix)
        else:
            city.set_indicator_weights(
                actor=user, unit=unit, weights={str(i.pk): data.get(f"w_{i.pk}") for i in indicators}
            )
        return
    if action == "remove_indicator":
        indicator = get_object_or_404(RiskIndicator, pk=data.get("indicator"), unit__city=the_city)
        city.remove_indicator(actor=user, indicator=indicator)
        return
    if action == "save_unit":
        city.save_unit(
            actor=user,
            city=the_city,
            code=data.get("code", ""),
            name=data.get("name", ""),
            sectors=data.getlist("sectors"),
            accident_categories=data.getlist("accident_categories"),
            is_active=data.get("is_active", "on") == "on",
        )
        return
    raise ValidationError(_("Unknown action."))
