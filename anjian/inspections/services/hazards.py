"""The steps of the hazard's own workflow (STANDARDS §5), one service per row of
:data:`anjian.inspections.workflow.TRANSITIONS`: each locks the hazard, checks the move and the actor, records
the timeline event and the audit row, and tells whom it concerns."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.notifications import tell
from anjian.core.permissions import is_enterprise
from anjian.inspections.choices import DeadlineReason, Handling, PhotoStage, PhotoStatus
from anjian.inspections.models import Hazard, Rectification, RectificationNotice, RectificationPlan, RectificationResult
from anjian.inspections.services.base import (
    _event,
    _future_deadline,
    _hazard_url,
    _lock_hazard,
    _move,
    _risk_inputs_changed,
    _set_deadline,
)
from anjian.inspections.services.photos import store_photos
from anjian.inspections.workflow import PLAN_STATUSES, TransitionError, check, closes_by_lifting, refusal
from anjian.organizations import selectors as org_selectors
from anjian.organizations.models import OrgUnit


def _check_actor(transition, actor, hazard: Hazard) -> None:
    reason = refusal(transition, enterprise=is_enterprise(actor), hazard=hazard)
    if reason:
        raise PermissionDenied(reason)


def _transition(actor, hazard, action):
    locked = _lock_hazard(actor, hazard)
    transition = check(action, locked.status)
    _check_actor(transition, actor, locked)
    return locked


@transaction.atomic
def fix_on_spot(*, actor, hazard: Hazard, description: str, photos: Sequence) -> Hazard:
    """即查即改: fixed while the inspector is there, proven by an after-photo; still verified by someone else."""
    locked = _transition(actor, hazard, "fix_on_spot")
    if locked.is_major:
        # STANDARDS §5: a major hazard is rectified under a plan and verified on site, never 即查即改.
        raise TransitionError(
            _("A major hazard cannot be fixed on the spot: issue a rectification notice; it needs its plan."),
            code="forbidden",
        )
    if not photos:
        raise ValidationError({"photos": _("A hazard fixed on the spot needs a photo after the fix.")})
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was done.")})
    rectification = Rectification.objects.create(
        hazard=locked, on_the_spot=True, description=description, submitted_by=actor
    )
    store_photos(actor=actor, uploads=photos, stage=PhotoStage.AFTER, hazard=locked, rectification=rectification)
    locked.handling = Handling.ON_SPOT
    _move(locked, actor=actor, action="fix_on_spot", note=description)
    return locked


def enforcing_unit(hazard: Hazard) -> OrgUnit | None:
    """The department in whose name the hazard's rectification notice is issued (责令限期整改 is an enforcement act
    of the department with legal power over the sector): the hazard's district's department of its sector's
    enforcing type (Sector.enforcing_department_type), the place's other sectors tried when the hazard has none."""
    codes = [hazard.sector_id] if hazard.sector_id else [row.sector_id for row in hazard.site.site_sectors.all()]
    found = org_selectors.enforcing_departments(district_id=hazard.district_id, sector_codes=codes)
    return next((found[code] for code in codes if code in found), None)


def supervising_unit(hazard: Hazard) -> OrgUnit | None:
    """The unit under whose escalated supervision (挂牌督办) the hazard is now, if it is."""
    if not hazard.is_escalated:
        return None
    escalation = (
        hazard.escalations.filter(lifted_at__isnull=True).select_related("supervising_unit").order_by("-created_at")
    ).first()
    return escalation.supervising_unit if escalation else None


@transaction.atomic
def issue_notice(
    *, actor, hazard: Hazard, deadline: datetime.date, legal_basis: str = "", requirements: str = ""
) -> RectificationNotice:
    """限期整改: a numbered rectification notice (整改通知书) with its legal basis and deadline."""
    locked = _transition(actor, hazard, "issue_notice")
    _future_deadline(deadline)
    legal_basis = (legal_basis or locked.legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Cite the legal basis of the notice.")})
    notice = RectificationNotice.objects.create(
        hazard=locked,
        number=f"tmp-{locked.pk}",
        issuing_unit=actor.org_unit,
        # Without a department of the sector's enforcing type in the district, the issuer's own unit.
        enforcing_unit=enforcing_unit(locked) or actor.org_unit,
        supervising_unit=supervising_unit(locked),
        issued_by=actor,
        deadline=deadline,
        legal_basis=legal_basis[:300],
        requirements=requirements,
    )
    prefix = (locked.district.short_name or locked.district.name)[:4]
    notice.number = f"{prefix}安整改〔{timezone.localtime(notice.issued_at):%Y}〕{notice.pk}号"
    notice.save(update_fields=["number"])
    locked.handling = Handling.DEADLINE
    _set_deadline(locked, deadline, actor=actor, reason=DeadlineReason.NOTICE, note=notice.number)
    locked.legal_basis = legal_basis[:300]
    _move(
        locked,
        actor=actor,
        action="issue_notice",
        note=requirements,
        data={"notice": notice.number, "deadline": deadline},
        audit_extra={"notice": notice.number, "deadline": deadline},
    )
    tell(
        "inspections.notice_issued",
        about=locked,
        title=_("Rectification notice %(number)s: %(title)s, by %(deadline)s")
        % {"number": notice.number, "title": locked.title[:40], "deadline": deadline.isoformat()},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:notice",
    )
    return notice


@transaction.atomic
def commit_to_deadline(*, actor, hazard: Hazard, deadline: datetime.date, note: str = "") -> Hazard:
    """An enterprise that found a hazard itself commits to fix it by a date."""
    locked = _transition(actor, hazard, "commit")
    _future_deadline(deadline)
    locked.handling = Handling.DEADLINE
    _set_deadline(locked, deadline, actor=actor, reason=DeadlineReason.COMMITMENT, note=note)
    _move(locked, actor=actor, action="commit", note=note, data={"deadline": deadline})
    return locked


@transaction.atomic
def acknowledge_notice(*, actor, hazard: Hazard, note: str = "") -> Hazard:
    """签收: the place has received the notice and is rectifying."""
    locked = _transition(actor, hazard, "acknowledge")
    _move(locked, actor=actor, action="acknowledge", note=note)
    return locked


def _plan_fields(fields: dict[str, Any]) -> dict[str, Any]:
    names = ["objectives", "methods", "funds_and_materials", "organisation", "timeline", "safety_measures"]
    missing = [n for n in names if not str(fields.get(n) or "").strip()]
    errors = {n: _("This element of the plan is required.") for n in missing}
    funds = fields.get("funds")
    if funds in (None, ""):
        errors["funds"] = _("State the funds of the rectification.")
    else:
        try:
            funds = Decimal(str(funds))
        except (ArithmeticError, ValueError):
            errors["funds"] = _("The funds must be a number.")
        else:
            if funds < 0:
                errors["funds"] = _("The funds cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return {**{n: str(fields[n]).strip() for n in names}, "funds": funds}


@transaction.atomic
def file_plan(*, actor, hazard: Hazard, **fields) -> RectificationPlan:
    """The rectification plan of a major hazard: its six elements and the funds (STANDARDS §5)."""
    locked = _lock_hazard(actor, hazard)
    if locked.status not in PLAN_STATUSES:
        raise TransitionError(
            _("A plan is filed while the hazard awaits rectification; it is “%(current)s”.")
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    plan = RectificationPlan.objects.create(hazard=locked, filed_by=actor, **_plan_fields(fields))
    _event(locked, actor=actor, action="plan_filed", data={"funds": plan.funds})
    audit.record(actor=actor, action="inspections.hazard.plan", obj=locked, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def submit_rectification(
    *, actor, hazard: Hazard, description: str, photos: Sequence, cost: Decimal | None = None
) -> Rectification:
    """The place reports the hazard fixed, with after-photos; a major hazard needs its plan filed first."""
    locked = _transition(actor, hazard, "submit")
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was done.")})
    if not photos:
        raise ValidationError({"photos": _("Submit at least one photo after the rectification.")})
    if locked.is_major and not locked.plans.exists():
        raise ValidationError(_("A major hazard needs its rectification plan (six elements and funds) first."))
    rectification = Rectification.objects.create(hazard=locked, description=description, cost=cost, submitted_by=actor)
    store_photos(actor=actor, uploads=photos, stage=PhotoStage.AFTER, hazard=locked, rectification=rectification)
    _move(locked, actor=actor, action="submit", note=description, data={"rectification": rectification.pk})
    tell(
        "inspections.submitted",
        about=locked,
        title=_("Rectification submitted for verification: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:submitted:{rectification.pk}",
    )
    return rectification


def _pending_rectification(hazard: Hazard) -> Rectification:
    rectification = hazard.rectifications.filter(result=RectificationResult.PENDING).order_by("-submitted_at").first()
    if rectification is None:
        raise ValidationError(_("There is no rectification to verify."))
    return rectification


def _check_verifier(actor, hazard: Hazard, rectification: Rectification) -> None:
    """Nobody verifies their own work: not the one who submitted the rectification, never the enterprise."""
    if is_enterprise(actor):
        raise PermissionDenied(_("An enterprise cannot verify its own rectification."))
    if rectification.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this rectification: someone else must verify it."))


@transaction.atomic
def verify(*, actor, hazard: Hazard, note: str = "") -> Hazard:
    """复查验收: closes the loop. Needs at least one after-photo and a verifier who did not do the work. A hazard
    under escalated supervision, and every major hazard, is closed otherwise: verified on site
    (:func:`anjian.inspections.services.verify_on_site`), then the supervision lifted by the safety office."""
    locked = _transition(actor, hazard, "verify")
    if closes_by_lifting(locked):
        raise TransitionError(
            _(
                "A major hazard or one under escalated supervision is verified on site, with photos and your "
                "position, and closed when the safety office lifts the supervision."
            ),
            code="forbidden",
        )
    rectification = _pending_rectification(locked)
    _check_verifier(actor, locked, rectification)
    if not rectification.photos.exists():
        raise ValidationError(_("Verification needs at least one photo after the rectification."))
    # A damaged photo proves nothing: the place is sent back (reject) to submit the photos again.
    if not rectification.photos.exclude(status=PhotoStatus.FAILED).exists():
        raise ValidationError(
            _(
                "Every photo after the rectification is damaged: reject the rectification so that the photos are "
                "submitted again."
            )
        )
    now = timezone.now()
    Rectification.objects.filter(pk=rectification.pk).update(
        result=RectificationResult.ACCEPTED, reviewed_by=actor, reviewed_at=now, review_note=note
    )
    locked.closed_at = now
    locked.verified_by = actor
    _move(locked, actor=actor, action="verify", note=note, data={"rectification": rectification.pk})
    tell(
        "inspections.verified",
        about=locked,
        title=_("Hazard verified and closed: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:verified",
    )
    _risk_inputs_changed(locked.site_id)
    return locked


@transaction.atomic
def reject(*, actor, hazard: Hazard, reason: str, deadline: datetime.date | None = None) -> Hazard:
    """Verification failed: back to rectifying, with the reason (and a deadline if there was none)."""
    locked = _transition(actor, hazard, "reject")
    rectification = _pending_rectification(locked)
    _check_verifier(actor, locked, rectification)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the rectification is rejected.")})
    if deadline is not None or locked.deadline is None:
        _set_deadline(locked, _future_deadline(deadline), actor=actor, reason=DeadlineReason.REJECTION, note=reason)
    Rectification.objects.filter(pk=rectification.pk).update(
        result=RectificationResult.REJECTED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=reason
    )
    locked.rejection_count += 1
    locked.handling = Handling.DEADLINE
    _move(
        locked,
        actor=actor,
        action="reject",
        note=reason,
        data={"rectification": rectification.pk, "deadline": locked.deadline, "failures": locked.rejection_count},
    )
    tell(
        "inspections.rejected",
        about=locked,
        title=_("Rectification rejected: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:rejected:{rectification.pk}",
    )
    return locked
