from django.urls import path
from rest_framework.routers import DefaultRouter

from anjian.accounts.api.views import MeView, UserViewSet
from anjian.organizations.api.views import OrgUnitViewSet, SectorViewSet
from anjian.registry.api.views import SiteViewSet

router = DefaultRouter()
router.register("sectors", SectorViewSet, basename="sector")
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("users", UserViewSet, basename="user")
router.register("sites", SiteViewSet, basename="site")

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
