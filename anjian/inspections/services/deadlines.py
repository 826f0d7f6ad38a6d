"""The periodic job over deadlines: reminders before a deadline, overdue hazards marked and escalated, major
hazards always under escalated supervision, reminders of tasks due."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import notifications as notify
from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade, TaskStatus
from anjian.inspections.models import Escalation, Hazard, HazardEvent, InspectionTask
from anjian.inspections.services.base import (
    _event,
    _hazard_url,
    _risk_inputs_changed,
)
from anjian.inspections.services.enforcement import _escalate

# Days before a deadline when the place and the supervisor are reminded.
DUE_SOON_DAYS = 3


def scan_deadlines(*, today: datetime.date | None = None) -> dict[str, int]:
    """Find what became due or overdue (run hourly by Celery beat or the embedded scheduler).

    Reminds places and supervisors 3 days before a deadline, marks overdue hazards on their timeline
    once, escalates an overdue hazard that is not yet under escalated supervision (挂牌督办), escalates
    any major hazard that somehow is not, and reminds inspectors of tasks due soon or overdue. Every
    notification carries a dedupe key, so running the job twice sends nothing twice. The notifications go
    out in batches (core.notifications.batched), each to those who may see the hazard or task: reminding
    about a thousand hazards costs the queries of a few batches, not of a thousand sends.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0, "tasks_due": 0}
    base = Hazard.objects.select_related("site", "site__enterprise", "site__territory", "district")

    with notify.batched() as outbox:
        due = base.filter(status__in=DEADLINE_STATUSES, deadline__gte=today, deadline__lte=soon)
        for hazard in due.order_by("pk").iterator(chunk_size=500):
            counts["due_soon"] += 1
            outbox.add(
                notify.message(
                    "inspections.due_soon",
                    about=hazard,
                    title=_("Rectification due on %(deadline)s: %(title)s at %(site)s")
                    % {"deadline": hazard.deadline.isoformat(), "title": hazard.title[:40], "site": hazard.site.name},
                    url=_hazard_url(hazard),
                    key=f"hazard:{hazard.pk}:due:{hazard.deadline.isoformat()}",
                )
            )
        _mark_overdue(base, today=today, counts=counts)
        _escalate_major(base, counts=counts)

        tasks = InspectionTask.objects.filter(status=TaskStatus.OPEN, due_on__lte=soon).select_related("site")
        task_list_url = reverse("inspections:task_list")
        for task in tasks.order_by("pk").iterator(chunk_size=500):
            overdue = task.due_on < today
            title = (
                _("Inspection of %(site)s overdue since %(due)s")
                if overdue
                else _("Inspection of %(site)s due on %(due)s")
            ) % {"site": task.site.name, "due": task.due_on.isoformat()}
            outbox.add(
                notify.message(
                    "inspections.task_due",
                    about=task,
                    title=title,
                    url=task_list_url,
                    key=f"task:{task.pk}:{'overdue' if overdue else 'due'}",
                )
            )
            counts["tasks_due"] += 1
    return counts


def _mark_overdue(base, *, today: datetime.date, counts: dict[str, int]) -> None:
    """Each hazard past its deadline, once per deadline: a timeline event, a notification, an escalation.
    One transaction per hazard, so a failure leaves the others marked."""
    # Marked overdue for this very deadline already (a text comparison: the event keeps the date as ISO text).
    already_marked = HazardEvent.objects.annotate(marked_deadline=KT("data__deadline")).filter(
        hazard_id=OuterRef("pk"), action="overdue", marked_deadline=Cast(OuterRef("deadline"), CharField())
    )
    overdue_ids = list(
        base.filter(status__in=DEADLINE_STATUSES, deadline__lt=today)
        .exclude(Exists(already_marked))
        .values_list("pk", flat=True)
    )
    for pk in overdue_ids:
        with transaction.atomic():
            hazard = base.select_for_update(of=("self",)).get(pk=pk)
            if hazard.status not in DEADLINE_STATUSES or hazard.deadline is None or hazard.deadline >= today:
                continue
            marker = hazard.deadline.isoformat()
            if hazard.events.filter(action="overdue", data__deadline=marker).exists():
                continue
            counts["overdue"] += 1
            _event(hazard, actor=None, action="overdue", data={"deadline": marker})
            _risk_inputs_changed(hazard.site_id)
            notify.tell(
                "inspections.overdue",
                about=hazard,
                title=_("Overdue since %(deadline)s: %(title)s at %(site)s")
                % {"deadline": marker, "title": hazard.title[:40], "site": hazard.site.name},
                url=_hazard_url(hazard),
                key=f"hazard:{hazard.pk}:overdue:{marker}",
            )
            if not hazard.is_escalated:
                _escalate(hazard, actor=None, reason=Escalation.Reason.OVERDUE, automatic=True)
                counts["escalated"] += 1


def _escalate_major(base, *, counts: dict[str, int]) -> None:
    """A major hazard is always under escalated supervision: escalate any that somehow is not."""
    for pk in base.filter(status__in=OPEN_STATUSES, grade=HazardGrade.MAJOR, escalated_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            hazard = base.select_for_update(of=("self",)).get(pk=pk)
            if hazard.escalated_at is None and hazard.is_open:
                _escalate(hazard, actor=None, reason=Escalation.Reason.MAJOR, automatic=True)
                counts["escalated"] += 1
