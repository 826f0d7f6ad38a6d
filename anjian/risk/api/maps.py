"""/api/risk-map/: the four-colour map of the caller's scope in one response (points as compact arrays, the counts
per street or park and per sector, the major hazard installations) and its counts as an .xlsx workbook."""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from anjian.core.api.renderers import XLSX, XlsxRenderer
from anjian.core.permissions import require_business
from anjian.registry.models import Site
from anjian.risk import maps


class RiskMapViewSet(viewsets.GenericViewSet):
    """The places of the caller's scope coloured by their current risk level, with the filters of the map page.

    ``points``: ``[id, latitude, longitude, colour, name]`` with colour 0 red, 1 orange, 2 yellow, 3 blue,
    4 unassessed; ``installations``: ``[place id, latitude, longitude, level "1"–"4", name, installations]``;
    ``counts``: street or park × level with totals; ``sectors``: sector × level.
    """

    filterset_class = maps.RiskMapFilterSet
    pagination_class = None
    queryset = Site.objects.none()  # for the schema only; every read starts from the caller's scope

    def _filterset(self, request) -> maps.RiskMapFilterSet:
        require_business(request.user)
        filterset = maps.map_filterset(request.user, request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        # The filters of another scope's map (a district for city staff, a street within a district) are not
        # offered to this caller: naming one is a 400, not a silent "every place of your scope".
        foreign = [
            name
            for name, value in request.query_params.items()
            if value != "" and name in maps.RiskMapFilterSet.base_filters and name not in filterset.filters
        ]
        if foreign:
            raise ValidationError({name: [_("This filter does not apply to your scope.")] for name in foreign})
        return filterset

    @extend_schema(filters=True, responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        result = maps.risk_map(request.user, self._filterset(request))
        response = Response(result)
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        filters=True,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The counts as an .xlsx workbook")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[renderers.JSONRenderer, XlsxRenderer])
    def export(self, request):
        """The counts table (street or park × level, sector × level) of the caller's scope and these filters."""
        handle = maps.export_counts(actor=request.user, filterset=self._filterset(request))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(handle, as_attachment=True, filename=f"风险四色图统计-{stamp}.xlsx", content_type=XLSX)
