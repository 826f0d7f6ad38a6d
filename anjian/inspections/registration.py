"""What the hazard loop adds to the platform at start-up: audit action names, navigation, the place's tab."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import is_business, is_government

AUDIT_LABELS = {
    "inspections.checklist.create": _("Checklist created"),
    "inspections.checklist.revise": _("Checklist revised"),
    "inspections.campaign.create": _("Campaign created"),
    "inspections.campaign.update": _("Campaign changed"),
    "inspections.task.generate": _("Inspection tasks generated"),
    "inspections.task.assign": _("Inspection task assigned"),
    "inspections.task.cancel": _("Inspection task cancelled"),
    "inspections.inspection.start": _("Inspection started"),
    "inspections.inspection.complete": _("Inspection completed"),
    "inspections.inspection.cancel": _("Inspection cancelled"),
    "inspections.hazard.report": _("Hazard reported"),
    "inspections.hazard.transition": _("Hazard moved on"),
    "inspections.hazard.plan": _("Rectification plan filed"),
    "inspections.hazard.escalate": _("Hazard escalated"),
    "inspections.enforcement.suspend": _("Suspension ordered"),
    "inspections.enforcement.request_closure": _("Closure requested"),
    "inspections.enforcement.decide_closure": _("Closure decided"),
    "inspections.photo.upload": _("Evidence photo uploaded"),
}


def _enforcement_desk(user) -> bool:
    """Suspension orders and closure requests concern the safety office, the departments and the streets."""
    unit = getattr(user, "org_unit", None)
    return is_government(user) and unit is not None and unit.kind in ("safety_office", "department", "street", "park")


def register_hazard_pages() -> None:
    """The hazard pages' navigation items and the place's "inspections and hazards" tab."""
    from anjian.core import navigation
    from anjian.inspections import tabs  # noqa: F401 - registers the place's tab

    navigation.register(
        navigation.NavItem(
            key="hazards", label=_("Hazards"), url_name="inspections:hazard_list", order=200, visible=is_business
        )
    )
    navigation.register(
        navigation.NavItem(
            key="enforcement",
            label=_("Enforcement"),
            url_name="inspections:enforcement_list",
            order=220,
            visible=_enforcement_desk,
        )
    )


def register_field_pages() -> None:
    """The field-work pages' navigation: tasks, inspection records, campaigns, checklists."""
    from anjian.core import navigation

    for key, label, url_name, order, visible in (
        ("tasks", _("Tasks"), "inspections:task_list", 190, is_business),
        ("inspections", _("Inspections"), "inspections:inspection_list", 195, is_business),
        ("campaigns", _("Campaigns"), "inspections:campaign_list", 205, is_government),
        ("checklists", _("Checklists"), "inspections:checklist_list", 210, is_government),
    ):
        navigation.register(navigation.NavItem(key=key, label=label, url_name=url_name, order=order, visible=visible))


def register_all() -> None:
    from anjian.core import audit_labels

    audit_labels.register(AUDIT_LABELS)
    register_hazard_pages()
    register_field_pages()
