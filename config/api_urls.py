from django.urls import path
from rest_framework.routers import DefaultRouter

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
# Accidents (anjian/accidents/api)
# Risk (anjian/risk/api)

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
