"""/api/risk-ranking/: the city safety risk ranking for clients — the city's districts, a district's streets (a
street sees only its own row), the explanation of one area, the recorded yearly snapshots, the .xlsx export.

The same rules as the pages (:func:`anjian.risk.city.access_for`): outside them every answer is 404.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.renderers import XLSX, XlsxRenderer
from anjian.organizations.models import OrgUnit
from anjian.risk import city
from anjian.risk.models import RiskSnapshot


def _row(row: city.Row) -> dict:
    return {
        "area": {"id": row.area.pk, "name": row.area.name, "kind": row.area.kind},
        "score": None if row.score is None else str(row.score),  # None: no data (无数据), not ranked
        "rank": row.rank,
        "of": row.of,
        **row.explanation(),
    }


def _tables(result: city.Ranking, access: city.Access) -> list[dict]:
    return [
        {"unit": table.key, "title": str(table.title), "rows": [_row(r) for r in city.visible_rows(table, access)]}
        for table in result.tables
    ]


class SnapshotSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name")
    unit_code = serializers.CharField(source="unit.code", default="overall")

    class Meta:
        model = RiskSnapshot
        fields = ["id", "year", "area", "area_name", "unit_code", "score", "rank", "of", "explanation", "taken_at"]


def _given(params) -> dict:
    """The query parameters with a value: an empty one filters nothing, as in the lists' filters."""
    return {name: value for name, value in params.items() if value != ""}


class SnapshotQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1)
    area = serializers.IntegerField(required=False, min_value=1)


class ExportQuery(serializers.Serializer):
    district = serializers.IntegerField(required=False, min_value=1)


class RiskRankingViewSet(viewsets.GenericViewSet):
    """Higher score = higher risk; rank 1 = highest risk; ties share a rank (1, 2, 2, 4)."""

    pagination_class = None
    queryset = RiskSnapshot.objects.none()  # for the schema only
    serializer_class = SnapshotSerializer

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        """The districts of the caller's city, overall and per assessment unit."""
        access = city.access_or_404(request.user)
        result = city.compute_ranking(parent=OrgUnit.objects.get(pk=access.city_id))
        own = result.overall.row_for(access.district_id) if access.district_id else None
        return Response(
            {
                "own": _row(own) if own else None,
                "tables": _tables(result, access),
            }
        )

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def streets(self, request, pk=None):
        """The streets and parks of a district (``pk``); a street officer receives only its own row."""
        access = city.access_or_404(request.user)
        district = city.visible_district_or_404(access, pk)
        result = city.compute_ranking(parent=district)
        return Response({"district": {"id": district.pk, "name": district.name}, "tables": _tables(result, access)})

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def explain(self, request, pk=None):
        """One area's (district, street or park ``pk``) score per unit and overall, term by term."""
        access = city.access_or_404(request.user)
        area, parent = city.visible_area_or_404(access, pk)
        result = city.compute_ranking(parent=parent)
        return Response(
            {
                "area": {"id": area.pk, "name": area.name, "kind": area.kind},
                "tables": [
                    {"unit": table.key, "title": str(table.title), **_row(table.row_for(area.pk))}
                    for table in result.tables
                ],
            }
        )

    @extend_schema(parameters=[SnapshotQuery], responses={200: SnapshotSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def snapshots(self, request):
        """The recorded yearly rankings the caller may read (districts' rows; their own district's or street's)."""
        city.access_or_404(request.user)
        query = SnapshotQuery(data=_given(request.query_params))
        query.is_valid(raise_exception=True)
        queryset = RiskSnapshot.objects.visible_to(request.user).select_related("area", "unit")
        if "year" in query.validated_data:
            queryset = queryset.filter(year=query.validated_data["year"])
        if "area" in query.validated_data:
            queryset = queryset.filter(area_id=query.validated_data["area"])
        return Response(SnapshotSerializer(queryset.order_by("year", "unit__order", "rank", "area_id"), many=True).data)

    @extend_schema(
        parameters=[ExportQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The ranking as .xlsx")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[renderers.JSONRenderer, XlsxRenderer])
    def export(self, request):
        """The districts' ranking, or with ``district`` that district's streets, as an .xlsx workbook."""
        query = ExportQuery(data=_given(request.query_params))
        query.is_valid(raise_exception=True)
        handle, parent = city.export_ranking(actor=request.user, district_id=query.validated_data.get("district"))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return FileResponse(
            handle, as_attachment=True, filename=f"城市安全风险排名-{parent.name}-{stamp}.xlsx", content_type=XLSX
        )
