from django.urls import path
from rest_framework.routers import DefaultRouter

from anjian.accidents.api.statistics import AccidentStatisticsViewSet
from anjian.accidents.api.views import AccidentViewSet, InvestigationViewSet
from anjian.accounts.api.views import MeView, UserViewSet
from anjian.core.api.notifications import NotificationViewSet
from anjian.inspections.api.views import (
    CampaignViewSet,
    ChecklistViewSet,
    EnforcementViewSet,
    HazardViewSet,
    InspectionViewSet,
    TaskViewSet,
)
from anjian.organizations.api.views import OrgUnitViewSet, SectorViewSet
from anjian.registry.api.views import SiteViewSet
from anjian.risk.api.assessments import OverdueSiteViewSet, RiskAssessmentViewSet, RiskThresholdViewSet
from anjian.risk.api.city import RiskRankingViewSet
from anjian.risk.api.installations import MajorHazardSourceViewSet, SubstanceViewSet
from anjian.risk.api.maps import RiskMapViewSet

router = DefaultRouter()
router.register("sectors", SectorViewSet, basename="sector")
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("users", UserViewSet, basename="user")
router.register("sites", SiteViewSet, basename="site")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("tasks", TaskViewSet, basename="task")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("enforcement", EnforcementViewSet, basename="enforcement")
# Accidents
router.register("accidents", AccidentViewSet, basename="accident")
router.register("investigations", InvestigationViewSet, basename="investigation")
router.register("accident-statistics", AccidentStatisticsViewSet, basename="accident-statistics")
# Risk
router.register("risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")
router.register("risk-thresholds", RiskThresholdViewSet, basename="risk-threshold")
router.register("overdue-sites", OverdueSiteViewSet, basename="overdue-site")
router.register("risk-map", RiskMapViewSet, basename="risk-map")
router.register("major-hazard-sources", MajorHazardSourceViewSet, basename="major-hazard-source")
router.register("substances", SubstanceViewSet, basename="substance")
router.register("risk-ranking", RiskRankingViewSet, basename="risk-ranking")

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
