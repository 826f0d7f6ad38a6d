"""What the hazard loop adds to the platform at start-up: audit action names, navigation, the place's tab."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import has_write_scope, is_government, is_supervisor

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
            key="hazards", label=_("Hazards"), url_name="inspections:hazard_list", group="field", order=120
        )
    )
    navigation.register(
        navigation.NavItem(
            key="enforcement",
            label=_("Enforcement"),
            url_name="inspections:enforcement_list",
            group="field",
            order=160,
            visible=_enforcement_desk,
        )
    )


def register_field_pages() -> None:
    """The field-work pages' navigation: tasks, inspection records, campaigns, checklists."""
    from anjian.core import navigation

    for key, label, url_name, order, visible in (
        # Tasks are carried out by those who inspect, the enterprise's self-inspections included; a read-only
        # leader has none of its own (the hazards and campaigns show the district's progress).
        ("tasks", _("Tasks"), "inspections:task_list", 100, has_write_scope),
        ("inspections", _("Inspections"), "inspections:inspection_list", 110, None),
        # Campaigns are the supervisors' tools; an enterprise meets them through its tasks.
        ("campaigns", _("Campaigns"), "inspections:campaign_list", 130, is_government),
        # Checklists are read by those who inspect with them.
        ("checklists", _("Checklists"), "inspections:checklist_list", 140, is_supervisor),
    ):
        navigation.register(
            navigation.NavItem(key=key, label=label, url_name=url_name, group="field", order=order, visible=visible)
        )


def register_all() -> None:
    from anjian.core import audit_labels

    audit_labels.register(AUDIT_LABELS)
    register_hazard_pages()
    register_field_pages()
