"""Accident records and their 四不放过 investigations for API clients.

Every queryset starts from what the caller may see, so anything else is a 404. Every write goes through
:mod:`anjian.accidents.services`; the views only check types and render. Errors come back in the API's one
shape (:mod:`anjian.core.api.exceptions`): 400 for bad input or a refused step, 403 with the service's message
when the caller sees the record but may not change it (an enterprise account, a leader).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.accidents import services
from anjian.accidents.api import serializers as s
from anjian.accidents.filtersets import AccidentFilterSet, InvestigationFilterSet
from anjian.accidents.models import (
    Accident,
    CasualtyCorrection,
    CorrectiveMeasure,
    Investigation,
)
from anjian.core.api.viewsets import LoopViewSet


def _investigations(user):
    return Investigation.objects.visible_to(user).select_related("accident", "lead_unit")


class AccidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Accidents in scope with the accident list's filters. Record one (POST; the grade is computed, never
    sent), correct its casualties within the legal window, open its investigation."""

    filterset_class = AccidentFilterSet

    def get_queryset(self):
        queryset = Accident.objects.visible_to(self.request.user).with_list_columns()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("corrections", CasualtyCorrection.objects.select_related("corrected_by"))
            )
        return queryset

    def get_serializer_class(self):
        return s.AccidentDetailSerializer if self.action == "retrieve" else s.AccidentSerializer

    def _read(self, pk: int, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related(
            Prefetch("corrections", CasualtyCorrection.objects.select_related("corrected_by"))
        )
        return Response(s.AccidentDetailSerializer(fresh.get(pk=pk), context=self.get_serializer_context()).data, code)

    @extend_schema(request=s.AccidentWriteSerializer, responses={201: s.AccidentDetailSerializer})
    def create(self, request, *args, **kwargs):
        if not services.can_record(request.user):  # enterprise accounts, leaders: 403 before any validation
            raise PermissionDenied(_("Only a supervising officer records accidents."))
        data = self._input(s.AccidentWriteSerializer).validated_data
        accident = services.record_accident(actor=request.user, **data)
        return self._read(accident.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.CorrectInputSerializer, responses={200: s.AccidentDetailSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct casualties or the loss within 30 days (7 for road traffic and fire), with the reason; the
        accident is re-graded and the correction kept with the numbers and the grade before and after."""
        accident = self.get_object()
        data = dict(self._input(s.CorrectInputSerializer).validated_data)
        reason = data.pop("reason")
        services.correct_casualties(actor=request.user, accident=accident, reason=reason, **data)
        return self._read(accident.pk)

    @extend_schema(request=s.OpenInvestigationSerializer, responses={201: s.InvestigationDetailSerializer})
    @action(detail=True, methods=["post"], url_path="open-investigation", url_name="open-investigation")
    def open_investigation(self, request, pk=None):
        """Open the investigation of the accident (lead unit, team), due 60 days after the accident."""
        accident = self.get_object()
        data = self._input(s.OpenInvestigationSerializer).validated_data
        investigation = services.open_investigation(actor=request.user, accident=accident, **data)
        return Response(
            InvestigationViewSet.detail_data(request, investigation.pk, self.get_serializer_context()),
            status=status.HTTP_201_CREATED,
        )


class InvestigationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Investigations in scope, open ones first by the age of their accident (``?status=open|closed``). Each
    step is a POST on the investigation and answers it updated, with its four closures."""

    filterset_class = InvestigationFilterSet

    def get_queryset(self):
        return _investigations(self.request.user).order_by("status", "accident__occurred_at", "id")

    def get_serializer_class(self):
        return s.InvestigationDetailSerializer if self.action != "list" else s.InvestigationSerializer

    @staticmethod
    def detail_data(request, pk: int, context: dict) -> dict:
        investigation = (
            _investigations(request.user)
            .prefetch_related(
                "accountabilities",
                "education",
                Prefetch("measures", CorrectiveMeasure.objects.select_related("hazard", "task")),
            )
            .get(pk=pk)
        )
        return s.InvestigationDetailSerializer(investigation, context=context).data

    def retrieve(self, request, *args, **kwargs):
        investigation = self.get_object()  # outside the scope: 404
        return Response(self.detail_data(request, investigation.pk, self.get_serializer_context()))

    def _read(self, investigation) -> Response:
        return Response(self.detail_data(self.request, investigation.pk, self.get_serializer_context()))

    @extend_schema(request=s.ExtendSerializer, responses={200: s.InvestigationDetailSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the deadline once, by at most 60 days, with the reason (条例 第二十九条)."""
        investigation = self.get_object()
        services.extend_investigation(
            actor=request.user, investigation=investigation, **self._input(s.ExtendSerializer).validated_data
        )
        return self._read(investigation)

    @extend_schema(request=s.CauseSerializer, responses={200: s.InvestigationDetailSerializer})
    @action(detail=True, methods=["post"])
    def cause(self, request, pk=None):
        """The first closure: the cause and the investigation report that establishes it."""
        investigation = self.get_object()
        services.record_cause(
            actor=request.user, investigation=investigation, **self._input(s.CauseSerializer).validated_data
        )
        return self._read(investigation)

    @extend_schema(
        request=s.EvidenceKindSerializer,
        responses={201: s.InvestigationDetailSerializer},
        description="kind=persons: person, position, sanction, decided_by, decided_on. "
        "kind=measures: description, hazard (id), task (id). "
        "kind=education: held_on, subject, audience, attendees.",
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """Evidence of the second to fourth closures: an accountability action, a corrective measure linked
        to a hazard or task the caller can see, an education record."""
        investigation = self.get_object()
        kind = self._input(s.EvidenceKindSerializer).validated_data["kind"]
        fields = self._input(s.EVIDENCE_SERIALIZERS[kind]).validated_data
        services.add_evidence(actor=request.user, investigation=investigation, kind=kind, **fields)
        response = self._read(investigation)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.MarkSerializer, responses={200: s.InvestigationDetailSerializer})
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """Mark one closure done; its evidence must already show it."""
        investigation = self.get_object()
        closure = self._input(s.MarkSerializer).validated_data["closure"]
        services.mark_closure_done(actor=request.user, investigation=investigation, closure=closure)
        return self._read(investigation)

    @extend_schema(request=None, responses={200: s.InvestigationDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the investigation: refused, naming what is open, while any of the four closures is open."""
        investigation = self.get_object()
        services.close_investigation(actor=request.user, investigation=investigation)
        return self._read(investigation)
