"""What the accident records add to the platform at start-up: audit action names and the navigation item."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "accidents.accident.record": _("Accident recorded"),
    "accidents.accident.correct": _("Accident casualties corrected"),
    "accidents.accident.export": _("Exported accidents"),
    "accidents.investigation.open": _("Accident investigation opened"),
    "accidents.investigation.extend": _("Accident investigation extended"),
    "accidents.investigation.evidence": _("Accident investigation evidence recorded"),
    "accidents.investigation.closure": _("Closure of an accident investigation marked done"),
    "accidents.investigation.close": _("Accident investigation closed"),
}


def register_all() -> None:
    from anjian.core import audit_labels, navigation
    from anjian.core.permissions import is_government

    audit_labels.register(AUDIT_LABELS)
    navigation.register(
        navigation.NavItem(
            key="accidents",
            label=_("Accident records"),
            url_name="accidents:accident_list",
            group="accidents",
            order=100,
        )
    )
    # 四不放过: the investigations still open and their age, the supervisors' follow-up of every accident.
    navigation.register(
        navigation.NavItem(
            key="investigations",
            label=_("Open investigations"),
            url_name="accidents:investigation_list",
            group="accidents",
            order=110,
            visible=is_government,
        )
    )
