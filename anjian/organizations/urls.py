from django.urls import path

from anjian.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("new/", views.unit_create, name="unit_create"),
    path("mandates/", views.mandate_matrix, name="mandate_matrix"),
    path("sectors/<slug:code>/edit/", views.sector_edit, name="sector_edit"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/mandates/", views.mandates_edit, name="mandates_edit"),
]
