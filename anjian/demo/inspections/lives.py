"""One demo hazard's life: its transitions replayed in time order as the services would have made them (timeline,
notice, plans, rectifications, escalations, the hourly job's overdue marks), written as rows to insert later."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from anjian.core import audit
from anjian.core.permissions import is_enterprise
from anjian.demo.inspections.vocabulary import (
    DEFAULT_LEGAL_BASIS,
    ESCALATION_DAYS,
    FIXES,
    LEFT_TO_JOB,
    MAJOR_DEFAULT_DAYS,
    NOTICE_REQUIREMENTS,
    PLAN,
    REJECT_REASONS,
    SPOT_FIXES,
    VERIFY_NOTES,
)
from anjian.demo.inspections.world import SiteInfo, World, add_photo
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    DeadlineReason,
    Handling,
    HazardGrade,
    HazardStatus,
    PhotoStage,
)
from anjian.inspections.models import (
    DeadlineChange,
    Escalation,
    Hazard,
    Inspection,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
)
from anjian.organizations.geo import distance_m

# Verifications on site this recent are not yet signed off by the safety office (摘牌) when the demo ends.
AWAITING_LIFTING_DAYS = 6
# And this share of older ones, so every district shows hazards awaiting 摘牌 whatever day the demo is seeded.
AWAITING_SHARE = 0.2


class Life:
    """Replays one hazard's transitions in time order, stopping at ``until`` (now, or when its place closed)."""

    def __init__(self, world: World, hazard: Hazard, site: SiteInfo, *, until, inspection: Inspection | None):
        self.w = world
        self.rng = world.rng
        self.h = hazard
        self.site = site
        self.until = until
        self.inspection = inspection
        self.last = hazard.reported_at
        self.rectification: Rectification | None = None
        self.overdue_marked: set[datetime.date] = set()
        self.answer = getattr(hazard, "answer_record", None)
        self.escalations: list[Escalation] = []

    # -- bookkeeping
    def _at(self, when: datetime.datetime) -> datetime.datetime:
        when = max(when, self.last + datetime.timedelta(seconds=1))
        self.last = when
        return when

    def event(self, when, action, actor, *, from_status="", note="", data=None, fill=None) -> dict:
        """A HazardEvent row (a record, written in bulk at the end), as the hazard services write it."""
        event = {
            "hazard": self.h,
            "action": action,
            "from_status": from_status,
            "to_status": self.h.status if from_status else "",
            "actor_id": actor.pk if actor is not None else None,
            "actor_unit_id": actor.org_unit_id if actor is not None else None,
            "at": when,
            "note": note,
            "data": audit.to_json(data or {}),
        }
        self.w.rows["events"].append(event)
        if fill is not None:
            self.w.fillers.append((event, fill))
        return event

    def move(self, when, action, actor, target, *, note="", data=None, fill=None) -> None:
        from_status = self.h.status
        self.h.status = target
        self.event(when, action, actor, from_status=from_status, note=note, data=data, fill=fill)

    def happens(self, when) -> bool:
        return when <= self.until

    def set_deadline(self, when, deadline, actor, reason, *, note="", escalation=None, unit=None) -> bool:
        """The hazard's one deadline changes, with its history row (services.base._set_deadline)."""
        h = self.h
        if deadline is None or deadline == h.deadline:
            return False
        if unit is None and actor is not None and not is_enterprise(actor):
            unit = actor.org_unit
        change = DeadlineChange(
            hazard=h,
            previous=h.deadline,
            deadline=deadline,
            reason=reason,
            note=note[:300],
            escalation=escalation,
            changed_by=actor,
            changed_by_unit=unit,
            changed_at=when,
        )
        self.w.rows["deadline_changes"].append(change)
        h.deadline = deadline
        h.original_deadline = h.original_deadline or deadline
        return True

    # -- the hourly job, replayed
    def escalate(self, when, reason: str) -> None:
        """挂牌督办 as services.enforcement._escalate makes it: the supervision sets the hazard's deadline when the
        hazard is overdue (15 days) or owed without one, and keeps none of its own."""
        h = self.h
        new_deadline = None
        if reason == Escalation.Reason.OVERDUE:
            new_deadline = timezone.localtime(when).date() + datetime.timedelta(days=ESCALATION_DAYS)
        elif h.deadline is None and h.status in DEADLINE_STATUSES:
            new_deadline = timezone.localtime(when).date() + datetime.timedelta(days=MAJOR_DEFAULT_DAYS)
        when = self._at(when)
        escalation = Escalation(
            hazard=h,
            reason=reason,
            supervising_unit=self.w.office_unit,
            responsible_official=self.w.official(self.site),
            automatic=True,
            created_by=None,
            created_at=when,
        )
        self.w.rows["escalations"].append(escalation)
        self.escalations.append(escalation)
        changed = self.set_deadline(
            when,
            new_deadline,
            None,
            DeadlineReason.ESCALATION,
            note=str(Escalation.Reason(reason).label),
            escalation=escalation,
            unit=self.w.office_unit,
        )
        h.escalated_at = when
        data = {"reason": reason, "official": escalation.responsible_official, "unit": self.w.office_unit.name}
        if changed:
            data["deadline"] = h.deadline
        self.event(when, "escalated", None, data=data)

    def lift(self, when, actor, note: str) -> None:
        """摘牌: every escalated supervision of the hazard lifted (on closing it)."""
        for escalation in self.escalations:
            if escalation.lifted_at is None:
                escalation.lifted_at, escalation.lifted_by, escalation.lift_note = when, actor, note
        if self.h.escalated_at is not None and self.h.supervision_lifted_at is None:
            self.h.supervision_lifted_at = when

    def catch_up(self, before) -> None:
        """Overdue events (and the automatic escalation) for every deadline missed before ``before``."""
        final = before >= self.until
        before = min(before, self.until)
        while self.h.status in DEADLINE_STATUSES and self.h.deadline is not None:
            deadline = self.h.deadline
            if deadline in self.overdue_marked:  # the job marks each missed deadline once
                return
            # The hourly job notices it in its first run after midnight, or after the move that made it owed again.
            moment = self.w.moment(deadline + datetime.timedelta(days=1), 0, self.rng.randint(1, 55))
            moment = max(moment, self.last + datetime.timedelta(minutes=self.rng.randint(5, 60)))
            if moment > before or (final and moment > self.w.now - LEFT_TO_JOB):
                return
            self.overdue_marked.add(deadline)
            self.event(self._at(moment), "overdue", None, data={"deadline": deadline})
            if self.h.escalated_at is None:
                self.escalate(moment + datetime.timedelta(seconds=1), Escalation.Reason.OVERDUE)

    # -- the moves
    def report(self, inspector) -> None:
        h = self.h
        self.event(h.reported_at, "reported", inspector, data={"grade": h.grade, "source": h.source})
        add_photo(
            self.w,
            PhotoStage.FINDING,
            at=h.reported_at,
            by=inspector,
            site=self.site,
            hazard=h,
            inspection=self.inspection,
            answer=self.answer,
        )
        if h.grade == HazardGrade.MAJOR:
            self.escalate(h.reported_at + datetime.timedelta(seconds=1), Escalation.Reason.MAJOR)

    def submit_rect(self, when, actor, *, on_the_spot: bool, description: str) -> Rectification:
        cost = None
        if not on_the_spot:
            cost = Decimal(self.rng.choice([200, 500, 800, 1500, 3000, 6000, 12000, 50000])) + Decimal(
                self.rng.randint(0, 99)
            )
        rectification = Rectification(
            hazard=self.h,
            on_the_spot=on_the_spot,
            description=description,
            cost=cost,
            submitted_by=actor,
            submitted_at=when,
            result=RectificationResult.PENDING,
        )
        self.w.rows["rectifications"].append(rectification)
        add_photo(
            self.w, PhotoStage.AFTER, at=when, by=actor, site=self.site, hazard=self.h, rectification=rectification
        )
        self.rectification = rectification
        return rectification

    def review(self, when, verifier, *, accept: bool) -> bool:
        """Verification of the pending rectification; False when nobody may verify it yet (it stays submitted)."""
        rectification = self.rectification
        h = self.h
        if accept and (h.grade == HazardGrade.MAJOR or (h.escalated_at and not h.supervision_lifted_at)):
            return self.verify_on_site(when, rectification)
        if accept:
            note = self.rng.choice(VERIFY_NOTES)
            rectification.result = RectificationResult.ACCEPTED
            rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = verifier, when, note
            h.closed_at, h.verified_by = when, verifier
            self.move(
                when,
                "verify",
                verifier,
                HazardStatus.VERIFIED,
                note=note,
                fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
            )
            return True
        reason = self.rng.choice(REJECT_REASONS)
        rectification.result = RectificationResult.REJECTED
        rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = verifier, when, reason
        if h.deadline is None:
            deadline = timezone.localtime(when).date() + datetime.timedelta(days=self.rng.choice([7, 10, 15]))
            self.set_deadline(when, deadline, verifier, DeadlineReason.REJECTION, note=reason)
        h.rejection_count += 1
        h.handling = Handling.DEADLINE
        self.move(
            when,
            "reject",
            verifier,
            HazardStatus.RECTIFYING,
            note=reason,
            data={"deadline": h.deadline, "failures": h.rejection_count},
            fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
        )
        return True

    def verify_on_site(self, when, rectification) -> bool:
        """A hazard under escalated supervision: verified on site (a major one by its supervising department, with a
        photo and the position at the place), then the safety office lifts the supervision (摘牌) and closes it."""
        h = self.h
        verifier = self.on_site_verifier(rectification.submitted_by, h.grade == HazardGrade.MAJOR)
        if verifier is None:  # the department has not come yet: it stays submitted
            return False
        note = self.rng.choice(VERIFY_NOTES)
        latitude = longitude = distance = accuracy = None
        if self.site.latitude is not None and self.site.longitude is not None:
            dy, dx = self.rng.randint(-400, 400), self.rng.randint(-400, 400)
            latitude = (self.site.latitude + Decimal(dy) / 1_000_000).quantize(Decimal("0.000001"))
            longitude = (self.site.longitude + Decimal(dx) / 1_000_000).quantize(Decimal("0.000001"))
            distance = round(distance_m(self.site.latitude, self.site.longitude, latitude, longitude))
            accuracy = self.rng.choice([5, 8, 12, 20, 35])
        rectification.result = RectificationResult.ACCEPTED
        rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = verifier, when, note
        rectification.review_latitude, rectification.review_longitude = latitude, longitude
        rectification.review_accuracy, rectification.review_distance = accuracy, distance
        add_photo(self.w, PhotoStage.VERIFICATION, at=when, by=verifier, site=self.site, hazard=h)
        h.verified_by = verifier
        self.move(
            when,
            "verify_on_site",
            verifier,
            HazardStatus.VERIFIED_ON_SITE,
            note=note,
            data={"photos": 1, "distance": distance},
            fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
        )
        office = self.w.office_user
        lifted = self._at(when + datetime.timedelta(hours=self.rng.choice([3, 20, 28, 50, 75, 120, 200])))
        # The safety office signs off within days: a verification of the last few days still awaits its 摘牌.
        awaiting = (
            when > self.until - datetime.timedelta(days=AWAITING_LIFTING_DAYS) or self.rng.random() < AWAITING_SHARE
        )
        if awaiting or not self.happens(lifted) or office.pk == verifier.pk:
            return True
        self.lift(lifted, office, "现场复查验收合格，同意摘牌销号。")
        h.closed_at = lifted
        self.move(lifted, "lift_supervision", office, HazardStatus.VERIFIED, note="现场复查验收合格，同意摘牌销号。")
        return True

    # -- the paths
    def run(self, *, inspector, submitter, verifier, on_site_verifier, self_reported: bool, plan: dict) -> None:
        """``plan`` may force choices (the scripted enforcement stories); the rest is drawn at random."""
        rng = self.rng
        h = self.h
        self.on_site_verifier = on_site_verifier
        self.report(inspector)
        spot = plan.get("spot")
        if spot is None:
            spot = h.grade == HazardGrade.GENERAL and rng.random() < (0.45 if self_reported else 0.38)
        if spot:
            when = self._at(h.reported_at + datetime.timedelta(minutes=rng.randint(5, 40)))
            if not self.happens(when):
                return
            # 即查即改: recorded by whoever found it (the enterprise itself in a self-inspection).
            self.submit_rect(when, inspector, on_the_spot=True, description=rng.choice(SPOT_FIXES))
            h.handling = Handling.ON_SPOT
            self.move(when, "fix_on_spot", inspector, HazardStatus.FIXED_ON_SPOT, note=self.rectification.description)
            when = self._at(
                when + datetime.timedelta(hours=rng.choice([2, 20, 30, 50, 75, 120, 170, 260, 400, 600, 900, 1400]))
            )
            if not self.happens(when):
                return
            accept = rng.random() > 0.04
            if not self.review(when, verifier(self.rectification.submitted_by), accept=accept) or accept:
                return
            self.work(self.last, submitter=submitter, verifier=verifier, plan=plan)
            return
        if self_reported:  # the enterprise commits to a deadline instead of waiting for a notice
            when = self._at(h.reported_at + datetime.timedelta(hours=rng.choice([1, 3, 20, 26, 50])))
            if not self.happens(when):
                return
            h.handling = Handling.DEADLINE
            deadline = timezone.localtime(when).date() + datetime.timedelta(days=rng.choice([15, 30, 30, 45]))
            self.set_deadline(when, deadline, submitter, DeadlineReason.COMMITMENT)
            self.move(when, "commit", submitter, HazardStatus.RECTIFYING, data={"deadline": h.deadline})
            self.work(when, submitter=submitter, verifier=verifier, plan=plan)
            return
        delay = rng.random()
        if delay < 0.5:
            hours = rng.uniform(0.2, 1.5)
        elif delay < 0.8:
            hours = rng.uniform(18, 80)
        elif delay < 0.93:
            hours = rng.uniform(80, 400)
        else:  # awaiting the decision of the supervising department
            hours = rng.uniform(400, 1500)
        when = self._at(h.reported_at + datetime.timedelta(hours=hours))
        if not self.happens(when):
            return
        self.issue(when, inspector, plan)
        if plan.get("ack") is False or (plan.get("ack") is None and rng.random() < 0.025):
            self.catch_up(self.until)
            return
        when = self.last + datetime.timedelta(hours=rng.uniform(3, 80))
        self.catch_up(when)
        when = self._at(when)
        if not self.happens(when):
            self.catch_up(self.until)
            return
        self.move(
            when, "acknowledge", submitter, HazardStatus.RECTIFYING, note=rng.choice(["", "已签收，立即组织整改。"])
        )
        self.work(when, submitter=submitter, verifier=verifier, plan=plan)

    def issue(self, when, issuer, plan: dict) -> None:
        h = self.h
        rng = self.rng
        if h.grade == HazardGrade.MAJOR:
            days = plan.get("days") or rng.choice([60, 90, 90, 120, 180])
        else:
            days = plan.get("days") or rng.choice([7, 15, 15, 30, 30, 30, 45, 60, 60, 90, 90, 120, 180])
        deadline = timezone.localtime(when).date() + datetime.timedelta(days=days)
        legal_basis = (h.legal_basis or DEFAULT_LEGAL_BASIS)[:300]
        requirements = rng.choice(NOTICE_REQUIREMENTS)
        supervised = h.escalated_at is not None and h.supervision_lifted_at is None
        notice = RectificationNotice(
            hazard=h,
            number=f"tmp-{len(self.w.rows['notices'])}",
            issuing_unit_id=issuer.org_unit_id,
            enforcing_unit_id=self.w.enforcers.get(h.sector_id) or issuer.org_unit_id,
            supervising_unit=self.w.office_unit if supervised else None,
            issued_by=issuer,
            issued_at=when,
            deadline=deadline,
            legal_basis=legal_basis,
            requirements=requirements,
        )
        self.w.rows["notices"].append(notice)
        h.handling = Handling.DEADLINE
        if self.set_deadline(when, deadline, issuer, DeadlineReason.NOTICE):
            self.w.rows["deadline_changes"][-1].notice_record = notice  # numbered when written
        h.legal_basis = legal_basis
        self.move(
            when,
            "issue_notice",
            issuer,
            HazardStatus.NOTICE_ISSUED,
            note=requirements,
            data={"deadline": deadline},
            fill=lambda e, n=notice: e["data"].update(notice=n.number),
        )

    def work(self, start, *, submitter, verifier, plan: dict) -> None:
        """Rectifying until submitted, then verified or rejected (back to rectifying), in a loop."""
        rng = self.rng
        h = self.h
        attempts = 0
        rejections_left = plan.get("rejections")
        behaviour = plan.get("behaviour") or rng.choices(["normal", "late", "never"], [0.83, 0.14, 0.03])[0]
        if h.grade == HazardGrade.MAJOR and not h.plans_filed:
            when = start + datetime.timedelta(days=rng.uniform(1, 10))
            self.catch_up(when)
            if not self.happens(when):
                self.catch_up(self.until)
                return
            when = self._at(when)
            plan_row = RectificationPlan(
                hazard=h, filed_by=submitter, filed_at=when, funds=Decimal(rng.randint(5, 200) * 10_000), **PLAN
            )
            self.w.rows["plans"].append(plan_row)
            h.plans_filed = True
            self.event(when, "plan_filed", submitter, data={"funds": plan_row.funds})
            start = when
        while True:
            attempts += 1
            if behaviour == "never" and attempts == 1:
                self.catch_up(self.until)
                return
            left = (h.deadline - timezone.localtime(start).date()).days if h.deadline else 10
            if behaviour == "late" and attempts == 1:
                days = max(left, 0) + rng.uniform(2, 70)
            else:
                days = max(0.5, max(left, 1) * rng.uniform(0.55, 0.98))
            when = start + datetime.timedelta(days=days)
            self.catch_up(when)
            if not self.happens(when):
                self.catch_up(self.until)
                return
            when = self._at(when)
            rectification = self.submit_rect(when, submitter, on_the_spot=False, description=rng.choice(FIXES))
            self.move(
                when,
                "submit",
                submitter,
                HazardStatus.SUBMITTED,
                note=rectification.description,
                fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
            )
            when = when + datetime.timedelta(days=rng.choice([0.3, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45]))
            if not self.happens(when):
                return
            when = self._at(when)
            if rejections_left is not None:
                accept = rejections_left <= 0
                rejections_left -= 1
            else:
                accept = rng.random() > (0.1 if h.rejection_count == 0 else 0.3)
            if not self.review(when, verifier(submitter), accept=accept) or accept:
                return
            if rejections_left is not None and rejections_left <= 0:
                # The scripted refusal: after the last rejection the place does nothing more.
                self.catch_up(self.until)
                return
            start = when
