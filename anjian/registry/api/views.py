"""/api/sites/: the places the caller may see; writes through the services; no deletion
(a place is closed or demolished, never deleted: its history stays)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anjian.core.api.renderers import XLSX, XlsxRenderer
from anjian.core.permissions import is_supervisor, require_business
from anjian.registry import exports, selectors, services
from anjian.registry.api.serializers import SiteSerializer, SiteWriteSerializer, StatusChangeSerializer
from anjian.registry.filtersets import SiteFilterSet
from anjian.registry.models import ChemicalUnit, Site


class SiteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Supervised places in the caller's scope, with the filters of the place list."""

    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet

    def get_queryset(self):
        units = ChemicalUnit.objects.prefetch_related("inventory").order_by("kind", "name")
        return (
            selectors.sites_for(self.request.user)
            .prefetch_related(Prefetch("chemical_units", queryset=units))
            .order_by("-id")
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return SiteWriteSerializer
        return SiteSerializer

    def _read(self, site: Site, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=site.pk)
        return Response(SiteSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _check_editable(self, site: Site) -> None:
        if (
            not is_supervisor(self.request.user)
            or not Site.objects.editable_by(self.request.user).filter(pk=site.pk).exists()
        ):
            raise PermissionDenied(_("You cannot change this place."))

    @extend_schema(request=SiteWriteSerializer, responses={201: SiteSerializer})
    def create(self, request, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied(_("You cannot register places."))
        serializer = SiteWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        site = services.create_site(actor=request.user, **serializer.service_kwargs())
        return self._read(site, code=status.HTTP_201_CREATED)

    @extend_schema(request=SiteWriteSerializer, responses=SiteSerializer)
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        site = self.get_object()  # outside the scope: 404
        self._check_editable(site)
        serializer = SiteWriteSerializer(
            site, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        site = services.update_site(actor=request.user, site=site, **serializer.service_kwargs())
        return self._read(site)

    @extend_schema(request=SiteWriteSerializer, responses=SiteSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(request=StatusChangeSerializer, responses=SiteSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """Move the place to another status (operating, suspended, closed, demolished) with a reason."""
        site = self.get_object()
        self._check_editable(site)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        site = services.change_status(actor=request.user, site=site, **serializer.validated_data)
        return self._read(site)

    @extend_schema(
        filters=True,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The places as an .xlsx workbook")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[renderers.JSONRenderer, XlsxRenderer])
    def export(self, request):
        """Exactly the places that the caller's scope and these filters select, as the import template's workbook."""
        require_business(request.user)
        queryset = self.filter_queryset(selectors.sites_for(request.user))
        filters = {
            key: request.query_params.getlist(key)
            for key in request.query_params
            if key in self.filterset_class.base_filters
        }
        handle, _count = exports.export_sites(actor=request.user, queryset=queryset, filters=filters)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(handle, as_attachment=True, filename=f"监管对象-{stamp}.xlsx", content_type=XLSX)
