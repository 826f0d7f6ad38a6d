from django.urls import path

from anjian.core import views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
]
