"""Writing the demo inspections: the rows a seeder built go to the database in bulk (plain INSERTs for the
hundreds of thousands of answers, photos and events), numbered as the services number them."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import CharField, DateField, DateTimeField, DecimalField, JSONField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from anjian.demo.inspections.vocabulary import BATCH
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    HazardGrade,
    InspectionKind,
    TaskStatus,
)
from anjian.inspections.models import (
    DeadlineChange,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
    Rectification,
    RectificationNotice,
    RectificationPlan,
)
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site, SiteStatusChange


def write(seeder) -> dict:
    """Write the rows the seeder built, in bulk and in key order, and return the summary of what was written."""
    w = seeder.w
    rows = w.rows
    InspectionTask.objects.bulk_create(rows["tasks"], batch_size=BATCH)
    Inspection.objects.bulk_create(rows["inspections"], batch_size=BATCH)
    _require_pks(rows["inspections"])
    _insert(
        Inspection.inspectors.through,
        [{"inspection_id": i.pk, "user_id": u.pk} for i, u in rows["inspectors"]],
    )
    answers = rows["answers"]
    _insert(
        InspectionAnswer,
        [
            {"inspection_id": a["inspection"].pk, "item_id": a["item_id"], "result": a["result"], "note": a["note"]}
            for a in answers
        ],
    )
    inspection_ids = [i.pk for i in rows["inspections"]]
    ids = {}
    for start in range(0, len(inspection_ids), BATCH):
        chunk = inspection_ids[start : start + BATCH]
        for inspection_id, item_id, pk in InspectionAnswer.objects.filter(inspection_id__in=chunk).values_list(
            "inspection_id", "item_id", "pk"
        ):
            ids[(inspection_id, item_id)] = pk
    for answer in answers:
        answer["pk"] = ids[(answer["inspection"].pk, answer["item_id"])]
    for hazard in rows["hazards"]:
        if hazard.answer_record is not None:
            hazard.answer_id = hazard.answer_record["pk"]
    Hazard.objects.bulk_create(rows["hazards"], batch_size=BATCH)
    _require_pks(rows["hazards"])
    # Numbers as the hazard services make them: YH, the year reported (local time), the id on 7 digits.
    by_year: dict[int, list[int]] = {}
    for hazard in rows["hazards"]:
        year = timezone.localtime(hazard.reported_at).year
        hazard.number = f"YH{year}{hazard.pk:07d}"
        by_year.setdefault(year, []).append(hazard.pk)
    for year, pks in by_year.items():
        for start in range(0, len(pks), BATCH):
            Hazard.objects.filter(pk__in=pks[start : start + BATCH]).update(
                number=Concat(Value(f"YH{year}"), LPad(Cast("id", CharField()), 7, Value("0")))
            )
    RectificationNotice.objects.bulk_create(rows["notices"], batch_size=BATCH)
    _require_pks(rows["notices"])
    by_year = {}
    for notice in rows["notices"]:
        year = timezone.localtime(notice.issued_at).year
        notice.number = f"{w.prefix}安整改〔{year}〕{notice.pk}号"
        by_year.setdefault(year, []).append(notice.pk)
    for year, pks in by_year.items():
        for start in range(0, len(pks), BATCH):
            RectificationNotice.objects.filter(pk__in=pks[start : start + BATCH]).update(
                number=Concat(Value(f"{w.prefix}安整改〔{year}〕"), Cast("id", CharField()), Value("号"))
            )
    RectificationPlan.objects.bulk_create(rows["plans"], batch_size=BATCH)
    Rectification.objects.bulk_create(rows["rectifications"], batch_size=BATCH)
    _require_pks(rows["rectifications"])
    Escalation.objects.bulk_create(rows["escalations"], batch_size=BATCH)
    _require_pks(rows["escalations"])
    for change in rows["deadline_changes"]:  # a notice's change quotes its number
        notice = getattr(change, "notice_record", None)
        if notice is not None:
            change.note = notice.number
    DeadlineChange.objects.bulk_create(rows["deadline_changes"], batch_size=BATCH)
    EnforcementAction.objects.bulk_create(rows["enforcement"], batch_size=BATCH)
    _require_pks(rows["enforcement"])
    for target, fill in w.fillers:  # the actions' numbers first: events quote them
        if isinstance(target, EnforcementAction):
            fill(target)
            target.save(update_fields=["number"])
    for target, fill in w.fillers:
        if isinstance(target, dict):
            fill(target)
    for event in rows["events"]:
        event["hazard_id"] = event.pop("hazard").pk
    _insert(HazardEvent, rows["events"])
    for photo in rows["photos"]:
        for owner in ("inspection", "answer", "hazard", "rectification"):
            value = photo.pop(owner, None)
            photo[f"{owner}_id"] = (value["pk"] if isinstance(value, dict) else value.pk) if value else None
    _insert(Photo, rows["photos"])
    SiteStatusChange.objects.bulk_create(rows["status_changes"], batch_size=BATCH)
    for change in rows["status_changes"]:  # changed_at is auto_now_add: set the real moment afterwards
        SiteStatusChange.objects.filter(pk=change.pk).update(changed_at=change.changed_at)
        Site.objects.filter(pk=change.site_id).update(status=change.to_status)
    for task in rows["tasks"]:
        if task.status == TaskStatus.OPEN and seeder.by_pk[task.site_id].status == SiteStatus.CLOSED:
            InspectionTask.objects.filter(pk=task.pk).update(status=TaskStatus.CANCELLED)
    statuses = Counter(h.status for h in rows["hazards"])
    today = w.today
    return {
        "campaigns": seeder.counts["campaigns"],
        "tasks": len(rows["tasks"]),
        "inspections": len(rows["inspections"]),
        "self_inspections": sum(1 for i in rows["inspections"] if i.kind == InspectionKind.SELF),
        "answers": len(answers),
        "hazards": len(rows["hazards"]),
        "major": sum(1 for h in rows["hazards"] if h.grade == HazardGrade.MAJOR),
        "by_status": dict(sorted(statuses.items())),
        "overdue": sum(1 for h in rows["hazards"] if h.status in DEADLINE_STATUSES and h.deadline < today),
        "escalated_open": sum(
            1 for h in rows["hazards"] if h.status in OPEN_STATUSES and h.escalated_at and not h.supervision_lifted_at
        ),
        "escalations": len(rows["escalations"]),
        "deadline_changes": len(rows["deadline_changes"]),
        "events": len(rows["events"]),
        "photos": len(rows["photos"]),
        "photo_files": len(w.finding_photos) + len(w.after_photos),
        "suspension_orders": seeder.counts["suspension_orders"],
        "closure_requests": seeder.counts["closure_requests"],
    }


def _adapter(field):
    """The database adaptation of a field's value (what ``get_db_prep_save`` ends in, without its checks)."""
    ops = connection.ops
    if isinstance(field, DateTimeField):
        return lambda value: ops.adapt_datetimefield_value(value)
    if isinstance(field, DateField):
        return lambda value: ops.adapt_datefield_value(value)
    if isinstance(field, DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if isinstance(field, JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _insert(model, rows: list[dict]) -> None:
    """INSERT plain rows with one executemany per batch: the answers, photos and timeline events are about
    300,000 rows, which ``bulk_create`` (model instances, per-value preparation) writes ten times slower.
    Keys are column attnames; values are converted the way the fields convert them."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name) for name in names]
    convert = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Table and column names come from the model's metadata (quoted); every value is a parameter.
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            params = [
                tuple(
                    fn(row[name]) if fn is not None and row[name] is not None else row[name]
                    for name, fn in zip(names, convert, strict=True)
                )
                for row in rows[start : start + 2000]
            ]
            cursor.executemany(sql, params)


def _require_pks(objs) -> None:
    if objs and objs[-1].pk is None:
        raise RuntimeError("the database did not return primary keys from bulk_create (SQLite ≥ 3.35 or PostgreSQL)")
