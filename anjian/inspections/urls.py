from django.urls import path

from anjian.inspections.views import field, hazards

app_name = "inspections"

urlpatterns = [
    # Hazards, their workflow, documents and evidence (views/hazards.py)
    path("hazards/", hazards.hazard_list, name="hazard_list"),
    path("hazards/export.xlsx", hazards.hazard_export, name="hazard_export"),
    path("hazards/<int:pk>/", hazards.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/<str:action>/", hazards.hazard_action, name="hazard_action"),
    path("hazards/<int:pk>/notice.docx", hazards.notice_docx, name="notice_docx"),
    path("enforcement/", hazards.enforcement_list, name="enforcement_list"),
    path("enforcement/<int:pk>/decide/", hazards.closure_decide, name="closure_decide"),
    path("photos/<int:pk>/", hazards.photo_file, name="photo_file"),
    path("photos/<int:pk>/thumb/", hazards.photo_thumbnail, name="photo_thumbnail"),
    # Field work: tasks, inspections, campaigns, checklists (views/field.py)
    path("tasks/", field.task_list, name="task_list"),
    path("tasks/<int:pk>/assign/", field.task_assign, name="task_assign"),
    path("inspections/", field.inspection_list, name="inspection_list"),
    path("inspections/start/", field.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/", field.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/record/", field.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/cancel/", field.inspection_cancel, name="inspection_cancel"),
    path("campaigns/", field.campaign_list, name="campaign_list"),
    path("campaigns/new/", field.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", field.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", field.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/tasks/", field.campaign_generate_tasks, name="campaign_generate_tasks"),
    path("checklists/", field.checklist_list, name="checklist_list"),
    path("checklists/<int:pk>/", field.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/revise/", field.checklist_revise, name="checklist_revise"),
]
