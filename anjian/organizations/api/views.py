from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.organizations import services
from anjian.organizations.api.serializers import (
    MandatesSerializer,
    OrgUnitSerializer,
    OrgUnitUpdateSerializer,
    SectorSerializer,
)
from anjian.organizations.filtersets import OrgUnitFilterSet
from anjian.organizations.models import OrgUnit, Sector


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The sectors of STANDARDS §1 (reference data)."""

    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    # A code is a word (industry_trade): anything else, a NUL character above all, matches no route (404) instead
    # of reaching the database as a lookup.
    lookup_value_regex = r"[\w-]+"
    pagination_class = None


class OrgUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Org units the caller may see; changes by those who manage them, through the services."""

    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet

    def get_queryset(self):
        return (
            OrgUnit.objects.visible_to(self.request.user)
            .select_related("parent")
            .prefetch_related("sectors")
            .order_by("id")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return OrgUnitUpdateSerializer
        return OrgUnitSerializer

    def perform_create(self, serializer):
        serializer.instance = services.create_org_unit(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        unit = serializer.instance
        if not OrgUnit.objects.manageable_by(self.request.user).filter(pk=unit.pk).exists():
            raise Http404
        serializer.instance = services.update_org_unit(actor=self.request.user, unit=unit, **serializer.validated_data)

    @extend_schema(request=MandatesSerializer, responses=MandatesSerializer)
    @action(detail=True, methods=["put"])
    def mandates(self, request, pk=None):
        """Replace the sectors a department supervises (the district's safety office)."""
        department = self.get_object()
        serializer = MandatesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            codes = services.set_mandates(
                actor=request.user, department=department, sector_codes=serializer.validated_data["sectors"]
            )
        return Response({"sectors": codes}, status=status.HTTP_200_OK)
