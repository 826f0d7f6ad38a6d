"""Escalated supervision (挂牌督办) and enforcement (责令停产停业整顿、提请关闭): records on the hazard and
the place, not states of the hazard."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.notifications import tell
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    ClosureDecision,
    DeadlineReason,
    EnforcementKind,
)
from anjian.inspections.models import EnforcementAction, Escalation, Hazard
from anjian.inspections.services.base import (
    _event,
    _future_deadline,
    _hazard_url,
    _lift_open_escalations,
    _lock_hazard,
    _move,
    _require_government,
    _risk_inputs_changed,
    _set_deadline,
)
from anjian.inspections.workflow import TransitionError, in_hand, suspension_grounds
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import services as registry_services
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site

# 挂牌督办 of an overdue hazard gives this many days from the day it is escalated.
ESCALATION_DAYS = 15
# A major hazard escalated at once gets this deadline when it has none yet.
MAJOR_DEFAULT_DAYS = 30


def _safety_office(district_id: int) -> OrgUnit | None:
    return (
        OrgUnit.objects.filter(district_id=district_id, kind=OrgUnitKind.SAFETY_OFFICE, is_active=True)
        .order_by("order", "id")
        .first()
    )


def _default_official(hazard: Hazard) -> str:
    """挂牌督办 names the person who answers for the rectification: the enterprise's principal."""
    enterprise = hazard.site.enterprise
    if enterprise is not None and enterprise.principal:
        return _("%(name)s (principal of %(enterprise)s)") % {
            "name": enterprise.principal,
            "enterprise": enterprise.name,
        }
    unit = hazard.site.territory or hazard.district
    return _("Principal of %(unit)s") % {"unit": unit.name}


def _escalate(
    hazard: Hazard,
    *,
    actor,
    reason: str,
    automatic: bool,
    official: str = "",
    new_deadline: datetime.date | None = None,
    supervising_unit: OrgUnit | None = None,
    note: str = "",
) -> Escalation:
    """Hang the tag. The supervision sets the hazard's one deadline (a history row naming it) and keeps none of its
    own: an officer's chosen deadline; for an overdue hazard 15 days from today; a major hazard keeps the deadline
    it has, and one not yet owed by the place gets its deadline from the notice."""
    today = timezone.localdate()
    if new_deadline is None:
        if reason == Escalation.Reason.OVERDUE:
            new_deadline = today + datetime.timedelta(days=ESCALATION_DAYS)
        elif hazard.deadline is None and hazard.status in DEADLINE_STATUSES:
            new_deadline = today + datetime.timedelta(days=MAJOR_DEFAULT_DAYS)
    supervising_unit = (
        supervising_unit or _safety_office(hazard.district_id) or hazard.reporting_unit or hazard.district
    )
    escalation = Escalation.objects.create(
        hazard=hazard,
        reason=reason,
        supervising_unit=supervising_unit,
        responsible_official=(official or _default_official(hazard))[:100],
        note=note,
        automatic=automatic,
        created_by=actor,
    )
    changed = _set_deadline(
        hazard,
        new_deadline,
        actor=actor,
        reason=DeadlineReason.ESCALATION,
        note=note or escalation.get_reason_display(),
        escalation=escalation,
        unit=supervising_unit if actor is None else None,
    )
    hazard.escalated_at = escalation.created_at
    hazard.supervision_lifted_at = None
    hazard.save(update_fields=["deadline", "original_deadline", "escalated_at", "supervision_lifted_at"])
    data = {"reason": reason, "official": escalation.responsible_official, "unit": supervising_unit.name}
    if changed is not None:
        data["deadline"] = hazard.deadline
    _event(hazard, actor=actor, action="escalated", note=note, data=data)
    audit.record(
        actor=actor,
        action="inspections.hazard.escalate",
        obj=hazard,
        after={"reason": reason, "official": escalation.responsible_official, "deadline": hazard.deadline},
        org_unit=supervising_unit if actor is None else None,
    )
    if hazard.deadline is not None:
        title = _("Escalated supervision: %(title)s at %(site)s, rectify by %(deadline)s") % {
            "title": hazard.title[:40],
            "site": hazard.site.name,
            "deadline": hazard.deadline.isoformat(),
        }
    else:
        title = _("Escalated supervision: %(title)s at %(site)s") % {
            "title": hazard.title[:40],
            "site": hazard.site.name,
        }
    tell(
        "inspections.escalated",
        about=hazard,
        title=title,
        url=_hazard_url(hazard),
        key=f"hazard:{hazard.pk}:escalated:{escalation.pk}",
    )
    _risk_inputs_changed(hazard.site_id)
    return escalation


@transaction.atomic
def escalate(
    *, actor, hazard: Hazard, official: str, new_deadline: datetime.date, note: str = "", reason: str = "other"
) -> Escalation:
    """挂牌督办 by a supervisor: a named responsible official and the hazard's deadline from now on (unchanged when
    it is the current one)."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    if not in_hand(locked):
        raise TransitionError(
            _("A hazard that is “%(current)s” cannot be escalated.") % {"current": locked.get_status_display()},
            code="forbidden",
        )
    if not (official or "").strip():
        raise ValidationError({"official": _("Name the responsible official.")})
    _future_deadline(new_deadline, "new_deadline")
    return _escalate(
        locked,
        actor=actor,
        reason=reason if reason in Escalation.Reason.values else Escalation.Reason.OTHER,
        automatic=False,
        official=official.strip(),
        new_deadline=new_deadline,
        supervising_unit=actor.org_unit,
        note=note,
    )


@transaction.atomic
def order_suspension(*, actor, hazard: Hazard, reason: str) -> EnforcementAction:
    """责令停产停业整顿: the place's status becomes suspended."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    grounds = suspension_grounds(locked)
    if not grounds:
        raise TransitionError(
            _(
                "A suspension order needs grounds: a major hazard, a second failed verification, or a hazard still "
                "overdue under escalated supervision. This hazard is “%(current)s”."
            )
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the order.")})
    site = locked.site
    if site.status == SiteStatus.OPERATING:
        registry_services.change_status(
            actor=actor, site=site, to_status=SiteStatus.SUSPENDED, reason=_("Suspension order: %(r)s") % {"r": reason}
        )
    elif site.status != SiteStatus.SUSPENDED:
        raise ValidationError(
            _("The place is “%(status)s”: it cannot be suspended.") % {"status": site.get_status_display()}
        )
    action = EnforcementAction.objects.create(
        hazard=locked,
        site=site,
        kind=EnforcementKind.SUSPENSION,
        reason=f"{grounds}；{reason}",
        issued_by=actor,
        issuing_unit=actor.org_unit,
    )
    prefix = (locked.district.short_name or locked.district.name)[:4]
    action.number = f"{prefix}安责停〔{timezone.localtime(action.issued_at):%Y}〕{action.pk}号"
    action.save(update_fields=["number"])
    _event(locked, actor=actor, action="suspension_ordered", note=reason, data={"number": action.number})
    audit.record(actor=actor, action="inspections.enforcement.suspend", obj=locked, after=audit.snapshot(action))
    tell(
        "inspections.suspension",
        about=locked,
        title=_("Order to suspend operations at %(site)s") % {"site": site.name},
        url=_hazard_url(locked),
        key=f"enforcement:{action.pk}",
    )
    return action


@transaction.atomic
def request_closure(*, actor, hazard: Hazard, reason: str) -> EnforcementAction:
    """提请关闭: after a suspension order the place still fails; the safety office decides for the government."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    site = Site.objects.select_for_update().get(pk=locked.site_id)
    if not in_hand(locked):
        raise TransitionError(
            _("A hazard that is “%(current)s” gives no grounds for closing the place.")
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    if (
        site.status != SiteStatus.SUSPENDED
        or not EnforcementAction.objects.filter(site=site, kind=EnforcementKind.SUSPENSION).exists()
    ):
        raise TransitionError(
            _("Closure can be requested only for a place under a suspension order."), code="forbidden"
        )
    if EnforcementAction.objects.filter(
        site=site, kind=EnforcementKind.CLOSURE, decision=ClosureDecision.PENDING
    ).exists():
        raise TransitionError(_("A closure request for this place awaits its decision already."), code="conflict")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the request.")})
    action = EnforcementAction.objects.create(
        hazard=locked,
        site=site,
        kind=EnforcementKind.CLOSURE,
        reason=reason,
        issued_by=actor,
        issuing_unit=actor.org_unit,
        decision=ClosureDecision.PENDING,
    )
    _event(locked, actor=actor, action="closure_requested", note=reason)
    audit.record(
        actor=actor, action="inspections.enforcement.request_closure", obj=locked, after=audit.snapshot(action)
    )
    tell(
        "inspections.closure_requested",
        about=locked,
        title=_("Closure of %(site)s requested") % {"site": site.name},
        url=_hazard_url(locked),
        key=f"enforcement:{action.pk}",
    )
    return action


@transaction.atomic
def decide_closure(*, actor, action: EnforcementAction, approve: bool, note: str) -> EnforcementAction:
    """The safety office decides on behalf of the district government; approval closes the place and
    its open hazards with it."""
    if not getattr(actor, "can_decide_responsibility", False):
        raise PermissionDenied(_("The safety office decides closure requests on behalf of the district government."))
    locked = (
        EnforcementAction.objects.editable_by(actor)
        .select_for_update()
        .filter(pk=action.pk, kind=EnforcementKind.CLOSURE)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot decide this request."))
    if locked.decision != ClosureDecision.PENDING:
        raise TransitionError(
            _("This request has been decided already: %(decision)s.") % {"decision": locked.get_decision_display()},
            code="conflict",
        )
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the grounds of the decision.")})
    locked.decision = ClosureDecision.APPROVED if approve else ClosureDecision.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    prefix = (locked.site.district.short_name or locked.site.district.name)[:4]
    if approve:
        locked.number = f"{prefix}政关〔{timezone.localtime(locked.decided_at):%Y}〕{locked.pk}号"
    locked.save()
    hazard = Hazard.objects.select_for_update().get(pk=locked.hazard_id)
    _event(hazard, actor=actor, action="closure_decided", note=note, data={"decision": locked.decision})
    audit.record(actor=actor, action="inspections.enforcement.decide_closure", obj=hazard, after=audit.snapshot(locked))
    if approve:
        registry_services.change_status(
            actor=actor,
            site=locked.site,
            to_status=SiteStatus.CLOSED,
            reason=_("Closed by decision %(number)s: %(note)s") % {"number": locked.number, "note": note},
        )
        for open_hazard in Hazard.objects.select_for_update().filter(site_id=locked.site_id, status__in=OPEN_STATUSES):
            open_hazard.closed_at = timezone.now()
            # A closed hazard keeps no tag: closing the place lifts its escalated supervision.
            _lift_open_escalations(open_hazard, actor=actor, note=locked.number, at=open_hazard.closed_at)
            _move(open_hazard, actor=actor, action="close_with_site", note=locked.number)
    return locked
