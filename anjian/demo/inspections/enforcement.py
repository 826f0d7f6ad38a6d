"""The demo's enforcement stories: places whose hazard went unrectified through two rejections and an
escalation end under a suspension order, two of them with a closure request, one approved."""

from __future__ import annotations

import datetime

from django.utils import timezone

from anjian.demo.inspections.world import SiteInfo
from anjian.inspections.choices import (
    OPEN_STATUSES,
    ClosureDecision,
    EnforcementKind,
    HazardGrade,
    HazardStatus,
)
from anjian.inspections.models import (
    EnforcementAction,
)
from anjian.registry.choices import SiteStatus
from anjian.registry.models import SiteStatusChange


def enforce(seeder, scripted: list[SiteInfo]) -> None:
    """The scripted stories of the seeder's chosen places: a suspension order, for two of them a closure request,
    one of which is approved and closes the place with its open hazards."""
    w = seeder.w
    rng = seeder.rng
    for index, site in enumerate(scripted):
        closure = {0: ClosureDecision.APPROVED, 1: ClosureDecision.PENDING}.get(index)
        # The story: found 150-220 days ago, a notice, rectification rejected twice, overdue and escalated,
        # then the suspension order; for two places a closure request follows.
        day = w.today - datetime.timedelta(days=rng.randint(150, 220))
        inspector = seeder.inspector_for(site)
        visit = {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "inspector": inspector}
        main = {"spot": False, "ack": True, "days": 30, "rejections": 2, "behaviour": "normal", "major": True}
        decided = None
        if closure == ClosureDecision.APPROVED:
            decided = w.now - datetime.timedelta(days=rng.randint(3, 8), hours=rng.randint(1, 6))
        lives = seeder.inspect(visit, hazards=rng.randint(2, 3), until=decided or w.now, plans=[main])
        life = lives[0]
        h = life.h
        if h.status not in OPEN_STATUSES:
            continue
        issuer = inspector if inspector.pk != w.office_user.pk else w.office_user
        issued = life.last + datetime.timedelta(days=rng.randint(3, 10))
        if decided is not None:
            issued = min(issued, decided - datetime.timedelta(days=20))
        grounds = "重大事故隐患未整改"
        if h.grade != HazardGrade.MAJOR:
            grounds = f"复查验收{h.rejection_count}次未通过" if h.rejection_count >= 2 else "挂牌督办后仍逾期未整改"
        reason = "经复查仍未完成整改，依据《中华人民共和国安全生产法》第一百零二条责令停产停业整顿。"
        order = EnforcementAction(
            hazard=h,
            site_id=site.pk,
            kind=EnforcementKind.SUSPENSION,
            reason=f"{grounds}；{reason}",
            issued_by=issuer,
            issuing_unit_id=issuer.org_unit_id,
            issued_at=life._at(issued),
        )
        w.rows["enforcement"].append(order)
        w.fillers.append(
            (
                order,
                lambda o: setattr(o, "number", f"{w.prefix}安责停〔{timezone.localtime(o.issued_at):%Y}〕{o.pk}号"),
            )
        )
        life.event(
            order.issued_at,
            "suspension_ordered",
            issuer,
            note=reason,
            fill=lambda e, o=order: e["data"].update(number=o.number),
        )
        w.rows["status_changes"].append(
            SiteStatusChange(
                site_id=site.pk,
                from_status=SiteStatus.OPERATING,
                to_status=SiteStatus.SUSPENDED,
                reason=f"停产停业整顿指令：{reason}"[:300],
                changed_by=issuer,
                changed_at=order.issued_at,
            )
        )
        site.status = SiteStatus.SUSPENDED
        seeder.counts["suspension_orders"] += 1
        if closure is None:
            continue
        requested = order.issued_at + datetime.timedelta(days=rng.randint(10, 15))
        if decided is not None:
            requested = min(requested, decided - datetime.timedelta(days=4))
        note = "停产整顿期间拒不整改，且擅自恢复生产经营，提请区政府依法予以关闭。"
        request = EnforcementAction(
            hazard=h,
            site_id=site.pk,
            kind=EnforcementKind.CLOSURE,
            reason=note,
            issued_by=w.office_user,
            issuing_unit=w.office_unit,
            issued_at=life._at(requested),
            decision=ClosureDecision.PENDING,
        )
        w.rows["enforcement"].append(request)
        life.event(request.issued_at, "closure_requested", w.office_user, note=note)
        seeder.counts["closure_requests"] += 1
        if closure != ClosureDecision.APPROVED:
            continue
        decision_note = "经区政府研究，同意依法予以关闭。"
        request.decision = ClosureDecision.APPROVED
        request.decided_by = w.office_user
        request.decided_at = life._at(decided)
        request.decision_note = decision_note
        w.fillers.append(
            (
                request,
                lambda o: setattr(o, "number", f"{w.prefix}政关〔{timezone.localtime(o.decided_at):%Y}〕{o.pk}号"),
            )
        )
        life.event(
            request.decided_at,
            "closure_decided",
            w.office_user,
            note=decision_note,
            data={"decision": ClosureDecision.APPROVED},
        )
        w.rows["status_changes"].append(
            SiteStatusChange(
                site_id=site.pk,
                from_status=SiteStatus.SUSPENDED,
                to_status=SiteStatus.CLOSED,
                reason="依关闭决定关闭：经区政府研究，同意依法予以关闭。",
                changed_by=w.office_user,
                changed_at=request.decided_at,
            )
        )
        site.status = SiteStatus.CLOSED
        closing_at = request.decided_at + datetime.timedelta(seconds=1)
        for other in lives:
            if other.h.status in OPEN_STATUSES:
                other.h.closed_at = other._at(closing_at)
                other.lift(other.h.closed_at, w.office_user, "依关闭决定摘牌")  # a closed hazard keeps no tag
                other.move(
                    other.h.closed_at,
                    "close_with_site",
                    w.office_user,
                    HazardStatus.CLOSED_WITH_SITE,
                    fill=lambda e, o=request: e.update(note=o.number),
                )
