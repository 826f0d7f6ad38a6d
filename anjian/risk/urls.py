from django.urls import path

from anjian.risk.views import assessments, installations, maps
from anjian.risk.views import city as city_views

app_name = "risk"

urlpatterns: list = [
    # Assessments, current levels, frequency, overdue inspections (views/assessments.py)
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("sites/<int:site_pk>/assess/", assessments.assessment_create, name="assessment_create"),
    path("thresholds/", assessments.threshold_edit, name="thresholds"),
    path("frequency/", assessments.frequency_edit, name="frequency"),
    path("overdue/", assessments.overdue_sites, name="overdue_sites"),
    path("overdue/export.xlsx", assessments.overdue_export, name="overdue_export"),
    # Four-colour map (views/maps.py)
    path("map/", maps.risk_map, name="map"),
    path("map/export.xlsx", maps.map_export, name="map_export"),
    # Major hazard installations and the substance catalogue (views/installations.py)
    path("installations/", installations.installation_list, name="installation_list"),
    path("installations/export.xlsx", installations.installation_export, name="installation_export"),
    path("installations/map-points/", installations.installation_map_points, name="installation_map_points"),
    path("installations/units/<int:unit_id>/", installations.installation_detail, name="installation_detail"),
    path("substances/", installations.substance_list, name="substance_list"),
    path("substances/<int:pk>/edit/", installations.substance_edit, name="substance_edit"),
    # City safety risk assessment and ranking (views/city.py)
    path("ranking/", city_views.ranking, name="ranking"),
    path("ranking/district/<int:pk>/", city_views.street_ranking, name="street_ranking"),
    path("ranking/area/<int:pk>/", city_views.explain, name="ranking_explain"),
    path("ranking/export.xlsx", city_views.export, name="ranking_export"),
    path("ranking/snapshot/", city_views.snapshot, name="ranking_snapshot"),
    path("ranking/config/", city_views.config, name="ranking_config"),
]
