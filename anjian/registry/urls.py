from django.urls import path

from anjian.registry.views import imports, responsibility, sites

app_name = "registry"

urlpatterns = [
    # Places: list, detail, forms, status, map (views/sites.py)
    path("", sites.site_list, name="site_list"),
    path("new/", sites.site_create, name="site_create"),
    path("map/", sites.site_map, name="site_map"),
    path("map/points.json", sites.site_map_points, name="site_map_points"),
    path("<int:pk>/", sites.site_detail, name="site_detail"),
    path("<int:pk>/edit/", sites.site_edit, name="site_edit"),
    path("<int:pk>/status/", sites.site_status, name="site_status"),
    path("<int:pk>/chemicals/", sites.site_chemicals, name="site_chemicals"),
    # Import and export (views/imports.py)
    path("export.xlsx", imports.site_export, name="site_export"),
    path("import/", imports.import_form, name="import_form"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<int:pk>/status/", imports.import_job_status, name="import_job_status"),
    path("import/<int:pk>/errors.xlsx", imports.import_errors, name="import_errors"),
    path("import/<int:pk>/retry/", imports.import_retry, name="import_retry"),
    # Responsibility: gaps, assignments, disputes (views/responsibility.py)
    path("responsibility/", responsibility.gap_report, name="gap_report"),
    path("<int:pk>/assign-department/", responsibility.assign_department, name="assign_department"),
    path("<int:pk>/assign-territory/", responsibility.assign_territory, name="assign_territory"),
    path("<int:pk>/dispute/", responsibility.dispute_create, name="dispute_create"),
    path("disputes/", responsibility.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/", responsibility.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/decide/", responsibility.dispute_decide, name="dispute_decide"),
]
