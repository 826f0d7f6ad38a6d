"""The hazard loop for a mobile client: checklists, campaigns, tasks, field inspections with multipart
photo upload, hazards and every step of their workflow, enforcement.

Every queryset starts from what the caller may see, so anything else is a 404. Every write goes through
:mod:`anjian.inspections.services`; the views only check types and render. Errors come back in the API's one
shape (:mod:`anjian.core.api.exceptions`): 400 for bad input or a move the workflow forbids, 409 when someone
else has just made the same move, 403 with the service's message when the caller sees the object but may not
do this.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.accounts.models import User
from anjian.core.api.schema import CONFLICT
from anjian.core.api.viewsets import LoopViewSet
from anjian.inspections import selectors, services
from anjian.inspections.api import serializers as s
from anjian.inspections.filtersets import ChecklistFilterSet, HazardFilterSet, TaskFilterSet
from anjian.inspections.models import (
    ChecklistTemplate,
    DeadlineChange,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    InspectionAnswer,
    Photo,
    Rectification,
    RectificationPlan,
)
from anjian.inspections.workflow import HAZARD_ACTIONS, HazardAction


def _multipart(serializer_class) -> dict:
    """Photos travel as several files under the key "photos": multipart is the way a client sends them."""
    return {"multipart/form-data": serializer_class, "application/x-www-form-urlencoded": serializer_class}


# --- checklists ---------------------------------------------------------------------------------------------


class ChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Checklists with their items: the current versions (``?all=true``: every version). A past version
    stays readable by its id, since inspections made with it keep it."""

    serializer_class = s.ChecklistSerializer
    filterset_class = ChecklistFilterSet

    def get_queryset(self):
        return (
            ChecklistTemplate.objects.visible_to(self.request.user).select_related("sector").prefetch_related("items")
        )

    def filter_queryset(self, queryset):
        # A past version is read by its id: the list's filter (current versions unless ?all=true) is the list's.
        return super().filter_queryset(queryset) if self.action == "list" else queryset


# --- campaigns -----------------------------------------------------------------------------------------------


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LoopViewSet):
    """Campaigns of the caller's district; launched by the safety office or an industry department."""

    serializer_class = s.CampaignSerializer

    def get_queryset(self):
        return selectors.campaigns_for(self.request.user).prefetch_related("sectors", "territories")

    @extend_schema(request=s.CampaignWriteSerializer, responses={201: s.CampaignSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(s.CampaignWriteSerializer).validated_data
        campaign = services.create_campaign(actor=request.user, **data)
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.CampaignProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Places inspected of those in scope, hazards found and closed, per street and per department."""
        campaign = self.get_object()
        return Response(s.CampaignProgressSerializer(selectors.campaign_progress(campaign)).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("TasksGenerated", {"created": serializers.IntegerField()})},
    )
    @action(detail=True, methods=["post"], url_path="generate-tasks", url_name="generate-tasks")
    def generate_tasks(self, request, pk=None):
        """One task per place in the campaign's scope that has none yet."""
        campaign = self.get_object()
        return Response({"created": services.generate_campaign_tasks(actor=request.user, campaign=campaign)})


# --- tasks -------------------------------------------------------------------------------------------------


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Inspection tasks in scope, with the task list's filters (``?mine=true``: mine and my unit's)."""

    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return selectors.tasks_for(self.request.user).select_related("inspection")

    @extend_schema(request=s.TaskAssignSerializer, responses={200: s.TaskSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the task to an inspector of its unit (or back to the unit), optionally with a new due date."""
        task = self.get_object()
        data = self._input(s.TaskAssignSerializer).validated_data
        services.assign_task(actor=request.user, task=task, assignee=data["assignee"], due_on=data["due_on"])
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


# --- inspections -----------------------------------------------------------------------------------------


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Field inspections: start one (POST), answer its items and report hazards with photos (multipart),
    complete it. Only its inspectors record it."""

    serializer_class = s.InspectionSerializer

    def get_queryset(self):
        photos = Photo.objects.order_by("uploaded_at", "id")
        # The hazard count's GROUP BY drops the model's ordering: pages need a stable one.
        inspections = selectors.inspections_for(self.request.user).order_by("-started_at", "-id")
        return inspections.prefetch_related(
            Prefetch("inspectors", queryset=User.objects.order_by("id")),
            Prefetch(
                "answers",
                queryset=InspectionAnswer.objects.select_related("item", "hazard").prefetch_related(
                    Prefetch("photos", queryset=photos)
                ),
            ),
            Prefetch("hazards", queryset=Hazard.objects.only("id", "inspection_id").order_by("id")),
            Prefetch("photos", queryset=photos),
        )

    def _read(self, pk: int, *, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=s.InspectionStartSerializer, responses={201: s.InspectionSerializer})
    def create(self, request, *args, **kwargs):
        """Start an inspection at a place: its kind, checklist, task, fellow inspectors and GPS position."""
        data = self._input(s.InspectionStartSerializer).validated_data
        inspection = services.start_inspection(
            actor=request.user,
            site=data["site"],
            kind=data["kind"],
            checklist=data["checklist"],
            task=data["task"],
            inspectors=data["inspectors"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            accuracy=data["accuracy"],
        )
        return self._read(inspection.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=_multipart(s.AnswerInputSerializer), responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Answer one item 符合/不符合/不适用 with a note and photos; 不符合 opens a hazard pre-filled from the
        item (the optional hazard fields override it). Answers are final."""
        inspection = self.get_object()
        serializer = self._input(s.AnswerInputSerializer)
        data = serializer.validated_data
        services.record_answer(
            actor=request.user,
            inspection=inspection,
            item=data["item"],
            result=data["result"],
            note=data["note"],
            photos=data["photos"],
            hazard=serializer.hazard_fields(),
        )
        return self._read(inspection.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=_multipart(s.HazardFieldsSerializer), responses={201: s.HazardDetailSerializer})
    @action(detail=True, methods=["post"])
    def hazards(self, request, pk=None):
        """Report a hazard found outside the checklist, with at least one photo."""
        inspection = self.get_object()
        serializer = self._input(s.HazardFieldsSerializer)
        hazard = services.add_hazard(
            actor=request.user,
            inspection=inspection,
            photos=serializer.validated_data["photos"],
            **serializer.hazard_fields(),
        )
        return Response(
            s.HazardDetailSerializer(
                hazard_detail(request.user, hazard.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.CompleteInspectionSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close the visit: every item answered; the end time and position kept; the task done."""
        inspection = self.get_object()
        data = self._input(s.CompleteInspectionSerializer).validated_data
        services.complete_inspection(actor=request.user, inspection=inspection, **data)
        return self._read(inspection.pk)


# --- hazards ------------------------------------------------------------------------------------------------


def hazard_queryset(user):
    """The hazards of the list, with who awaits verification (for the actions offered) in the same query."""
    return selectors.hazards_for(user).annotate(pending_submitter_id=s.pending_submitter())


def hazard_detail(user, pk: int) -> Hazard:
    """One hazard with everything its detail shows, in a fixed number of queries."""
    people = ("actor", "actor_unit")
    return (
        hazard_queryset(user)
        .select_related(
            "reported_by",
            "verified_by",
            "notice",
            "notice__issuing_unit",
            "notice__enforcing_unit",
            "notice__supervising_unit",
            "notice__issued_by",
        )
        .prefetch_related(
            Prefetch("events", queryset=HazardEvent.objects.select_related(*people).order_by("at", "id")),
            Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id")),
            Prefetch("plans", queryset=RectificationPlan.objects.select_related("filed_by")),
            Prefetch(
                "rectifications",
                queryset=Rectification.objects.select_related("submitted_by", "reviewed_by").prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.only("id", "rectification_id").order_by("id"))
                ),
            ),
            Prefetch("escalations", queryset=Escalation.objects.select_related("supervising_unit", "lifted_by")),
            Prefetch(
                "deadline_changes", queryset=DeadlineChange.objects.select_related("changed_by", "changed_by_unit")
            ),
            Prefetch(
                "enforcement_actions",
                queryset=EnforcementAction.objects.select_related("site", "issued_by", "issuing_unit", "decided_by"),
            ),
        )
        .get(pk=pk)
    )


class HazardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Hazards in scope with the hazard list's filters; each step of the workflow is a POST on the hazard
    and answers the updated hazard. ``actions`` lists the steps the caller may take now."""

    # The steps are added below, one for each row of workflow.HAZARD_ACTIONS (the class docstring is the API's).

    filterset_class = HazardFilterSet

    def get_queryset(self):
        return hazard_queryset(self.request.user)

    def get_serializer_class(self):
        return s.HazardListSerializer if self.action == "list" else s.HazardDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        hazard = self.get_object()  # outside the scope: 404
        return self._read(hazard)

    def _read(self, hazard: Hazard) -> Response:
        fresh = hazard_detail(self.request.user, hazard.pk)
        return Response(s.HazardDetailSerializer(fresh, context=self.get_serializer_context()).data)


def _hazard_step(step: HazardAction):
    """The API's action for one row of the hazard actions: the caller's input checked by the row's serializer,
    the row's service called, the updated hazard answered. Documented with the row's serializer and description."""

    def run(self, request, pk=None):
        hazard = self.get_object()
        step.run(actor=request.user, hazard=hazard, data=self._input(step.serializer_class).validated_data)
        return self._read(hazard)

    run.__name__ = step.name
    run.__qualname__ = f"HazardViewSet.{step.name}"
    run.__doc__ = step.description
    run = action(detail=True, methods=["post"], url_path=step.url_segment, url_name=step.url_segment)(run)
    request = _multipart(step.serializer_class) if step.multipart else step.serializer_class
    return extend_schema(request=request, responses={200: s.HazardDetailSerializer, **CONFLICT})(run)


for _step in HAZARD_ACTIONS.values():
    setattr(HazardViewSet, _step.name, _hazard_step(_step))


# --- enforcement -----------------------------------------------------------------------------------------------


class EnforcementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LoopViewSet):
    """Suspension orders and closure requests at the places in scope; the safety office decides closures."""

    serializer_class = s.EnforcementSerializer

    def get_queryset(self):
        return EnforcementAction.objects.visible_to(self.request.user).select_related(
            "site", "hazard", "issued_by", "issuing_unit", "decided_by"
        )

    @extend_schema(request=s.DecideSerializer, responses={200: s.EnforcementSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve (the place is closed, its open hazards with it) or reject a closure request, with the grounds."""
        enforcement = self.get_object()
        services.decide_closure(
            actor=request.user, action=enforcement, **self._input(s.DecideSerializer).validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=enforcement.pk)).data)
