"""What every service of the hazard loop shares: who acts, the lock on a hazard, its timeline event, the
signal to the risk module. A new service module of this app takes these from here; it tells whom it concerns
through ``core.notifications.tell`` (the table of kinds decides who that is)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.permissions import is_enterprise
from anjian.core.signals import site_risk_inputs_changed
from anjian.inspections.models import DeadlineChange, Escalation, Hazard, HazardEvent
from anjian.inspections.workflow import check


def _require_government(user, message: str | None = None) -> None:
    if is_enterprise(user) or not getattr(user, "is_active", False):
        raise PermissionDenied(message or _("Only a supervising officer can do this."))


def _lock_hazard(actor, hazard: Hazard | int) -> Hazard:
    """The hazard locked for this transaction (select_for_update serialises concurrent transitions)."""
    pk = hazard.pk if isinstance(hazard, Hazard) else hazard
    locked = (
        Hazard.objects.editable_by(actor)
        .select_for_update(of=("self",))
        .select_related("site", "site__enterprise", "site__territory", "district")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot change this hazard."))
    return locked


def _event(hazard: Hazard, *, actor, action: str, from_status: str = "", note: str = "", data=None) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=from_status,
        to_status=hazard.status if from_status else "",
        actor=actor,
        actor_unit=getattr(actor, "org_unit", None),
        note=note,
        data=audit.to_json(data or {}),
    )


def _risk_inputs_changed(site_id: int) -> None:
    """Open major hazards and overdue rectifications raise a place's risk (STANDARDS §2): tell the risk
    module after commit, so a rolled-back write changes nothing."""
    transaction.on_commit(lambda: site_risk_inputs_changed.send(sender=Hazard, site_ids=[site_id]))


def _hazard_url(hazard: Hazard) -> str:
    return reverse("inspections:hazard_detail", args=[hazard.pk])


def _move(hazard: Hazard, *, actor, action: str, note: str = "", data=None, audit_extra=None) -> None:
    transition = check(action, hazard.status)
    from_status = hazard.status
    hazard.status = transition.target
    hazard.save()
    _event(hazard, actor=actor, action=action, from_status=from_status, note=note, data=data)
    audit.record(
        actor=actor,
        action="inspections.hazard.transition",
        obj=hazard,
        before={"status": from_status},
        after={"status": hazard.status, "action": action, "note": note, **(audit_extra or {})},
    )


def _future_deadline(deadline, field="deadline") -> datetime.date:
    if deadline is None:
        raise ValidationError({field: _("Set the deadline.")})
    if deadline < timezone.localdate():
        raise ValidationError({field: _("The deadline cannot be in the past.")})
    return deadline


def _set_deadline(
    hazard: Hazard, deadline: datetime.date, *, actor, reason: str, note: str = "", escalation=None, unit=None
) -> DeadlineChange | None:
    """The hazard's one current deadline becomes ``deadline``, with a row of its history (old, new, who, why,
    when); nothing when it is the deadline already. The caller saves the hazard. Every step that sets a deadline
    (notice, commitment, escalated supervision, rejection) comes through here, so no record keeps its own."""
    if deadline is None or deadline == hazard.deadline:
        return None
    change = DeadlineChange.objects.create(
        hazard=hazard,
        previous=hazard.deadline,
        deadline=deadline,
        reason=reason,
        note=(note or "")[:300],
        escalation=escalation,
        changed_by=actor,
        changed_by_unit=unit if unit is not None or is_enterprise(actor) else getattr(actor, "org_unit", None),
    )
    hazard.deadline = deadline
    hazard.original_deadline = hazard.original_deadline or deadline
    return change


def _lift_open_escalations(hazard: Hazard, *, actor, note: str, at: datetime.datetime) -> int:
    """Lift every escalated supervision of the hazard not yet lifted (the caller holds its lock and saves it)."""
    lifted = Escalation.objects.filter(hazard=hazard, lifted_at__isnull=True).update(
        lifted_at=at, lifted_by=actor, lift_note=note
    )
    if hazard.escalated_at is not None and hazard.supervision_lifted_at is None:
        hazard.supervision_lifted_at = at
    return lifted
