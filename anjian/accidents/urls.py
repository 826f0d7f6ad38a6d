from django.urls import path

from anjian.accidents.views import imports as import_views
from anjian.accidents.views import investigations, records
from anjian.accidents.views import map as map_views
from anjian.accidents.views import statistics as statistics_views

app_name = "accidents"

urlpatterns: list = [
    # Accidents, corrections, investigations (views/records.py, views/investigations.py)
    path("", records.accident_list, name="accident_list"),
    path("export.xlsx", records.accident_export, name="accident_export"),
    path("new/", records.accident_create, name="accident_create"),
    path("new/places/", records.place_search, name="place_search"),
    path("<int:pk>/", records.accident_detail, name="accident_detail"),
    path("<int:pk>/correct/", records.accident_correct, name="accident_correct"),
    path("<int:pk>/investigation/", investigations.investigation_open, name="investigation_open"),
    path("investigations/", investigations.investigation_list, name="investigation_list"),
    path("investigations/<int:pk>/mark/", investigations.investigation_mark, name="investigation_mark"),
    path("investigations/<int:pk>/close/", investigations.investigation_close, name="investigation_close"),
    path("investigations/<int:pk>/<str:action>/", investigations.investigation_step, name="investigation_step"),
    # Statistics, briefings, statistics workbook (views/statistics.py)
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/briefing/", statistics_views.briefing_create, name="briefing_create"),
    path("statistics/workbook/", statistics_views.workbook_create, name="statistics_workbook_create"),
    path("statistics/jobs/<int:pk>/", statistics_views.statistics_job, name="statistics_job"),
    path("statistics/jobs/<int:pk>/status/", statistics_views.statistics_job_status, name="statistics_job_status"),
    path("statistics/jobs/<int:pk>/file/", statistics_views.statistics_job_download, name="statistics_job_download"),
    path("statistics/jobs/<int:pk>/retry/", statistics_views.statistics_job_retry, name="statistics_job_retry"),
    # Import of historical accidents (views/imports.py)
    path("import/", import_views.import_form, name="import_form"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/status/", import_views.import_job_status, name="import_job_status"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("map/points.json", map_views.map_points, name="map_points"),
]
