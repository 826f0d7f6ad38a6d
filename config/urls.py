from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from anjian.core.api.docs import SwaggerView
from anjian.core.views import healthz

urlpatterns = [
    path("", include("anjian.dashboards.urls")),
    path("accounts/", include("anjian.accounts.urls")),
    path("org/", include("anjian.organizations.urls")),
    path("places/", include("anjian.registry.urls")),
    path("", include("anjian.inspections.urls")),
    path("accidents/", include("anjian.accidents.urls")),
    path("risk/", include("anjian.risk.urls")),
    path("", include("anjian.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

# Under /api/ a path no route matches answers the API's JSON 404; elsewhere the page.
handler404 = "anjian.core.api.exceptions.not_found"
