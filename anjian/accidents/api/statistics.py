"""The accident statistics for a client: ``GET /api/accident-statistics/?start=…&end=…&group=…``.

The same rows as the statistics page, from the same selector and the caller's scope: the four indices per
category (simple-procedure traffic accidents apart, never in the total), or per street, or per sector of
production safety, each with last year's and the previous period's figures and the worded changes. The
three administrators and enterprise accounts get 404, like the page; bad dates are 400 with the reason."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from anjian.accidents import selectors

CENTS = Decimal("0.01")


class StatisticsQuery(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group = serializers.ChoiceField(choices=selectors.GROUPS, default="category", required=False)

    def validate(self, attrs):
        try:
            attrs["period"] = selectors.check_period(attrs["start"], attrs["end"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"end": error.messages}) from None
        return attrs


def _indices(values: dict) -> dict:
    """Counts as numbers; the loss in CNY as a string with two decimals (as DRF writes decimals)."""
    return {
        name: f"{Decimal(values[name]).quantize(CENTS):f}" if name == "loss" else values[name]
        for name in selectors.INDICES
    }


def _changes(changes: dict) -> dict:
    return {
        name: {"percent": None if change.percent is None else str(change.percent), "text": str(change)}
        for name, change in changes.items()
    }


def row_json(row: dict) -> dict:
    return {
        "key": row["key"],
        "label": str(row["label"]),
        "current": _indices(row["current"]),
        "last_year": _indices(row["last_year"]),
        "previous": _indices(row["previous"]),
        "year_on_year": _changes(row["year_on_year"]),
        "period_on_period": _changes(row["period_on_period"]),
    }


def _span(period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


class AccidentStatisticsViewSet(viewsets.ViewSet):
    """统计：事故四项指标（起数、死亡人数、受伤人数、直接财产损失）及同比、环比，只统计调用者辖区。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(selectors.GROUPS)),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not selectors.can_read_statistics(request.user):
            raise Http404
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = selectors.statistics_report(
            request.user, query.validated_data["period"], group=query.validated_data["group"]
        )
        return Response(
            {
                "period": _span(report.period),
                "same_period_last_year": _span(report.last_year),
                "previous_period": _span(report.previous),
                "group": report.group,
                "rows": [
                    {**row_json(row), **({"sentence": row["sentence"]} if "sentence" in row else {})}
                    for row in report.breakdown
                ],
                "categories": [{**row_json(row), "sentence": row["sentence"]} for row in report.categories],
                "total": row_json(report.total),
                "simple_procedure": row_json(report.apart),
            }
        )
