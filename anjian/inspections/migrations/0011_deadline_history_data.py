"""Existing rows into the new shape: each hazard's deadline history rebuilt from its timeline, the escalated
supervision of closed hazards lifted when they were closed, and each rectification notice given the enforcing
department of its hazard's sector (its issuing unit when the district has none) and the unit supervising the hazard
when it was issued."""

import datetime

from django.db import migrations

BATCH = 2000
CLOSED = ("verified", "closed_with_site")
REASONS = {"issue_notice": "notice", "commit": "commitment", "escalated": "escalation", "reject": "rejection"}


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def rebuild_history(apps):
    HazardEvent = apps.get_model("inspections", "HazardEvent")
    Escalation = apps.get_model("inspections", "Escalation")
    DeadlineChange = apps.get_model("inspections", "DeadlineChange")
    escalations: dict[int, list] = {}
    for row in Escalation.objects.order_by("hazard_id", "created_at", "id").values(
        "pk", "hazard_id", "supervising_unit_id"
    ):
        escalations.setdefault(row["hazard_id"], []).append(row)
    events = (
        HazardEvent.objects.filter(action__in=list(REASONS))
        .order_by("hazard_id", "at", "id")
        .values("hazard_id", "action", "actor_id", "actor_unit_id", "at", "note", "data")
    )
    pending = []
    current_hazard, previous, seen_escalations = None, None, 0
    for event in events.iterator(chunk_size=BATCH):
        if event["hazard_id"] != current_hazard:
            current_hazard, previous, seen_escalations = event["hazard_id"], None, 0
        data = event["data"] or {}
        escalation = None
        if event["action"] == "escalated":
            rows = escalations.get(current_hazard, [])
            escalation = rows[seen_escalations] if seen_escalations < len(rows) else None
            seen_escalations += 1
        deadline = _date(data.get("deadline"))
        if deadline is None or deadline == previous:
            continue
        note = data.get("notice") or event["note"] or ""
        pending.append(
            DeadlineChange(
                hazard_id=current_hazard,
                previous=previous,
                deadline=deadline,
                reason=REASONS[event["action"]],
                note=str(note)[:300],
                escalation_id=escalation["pk"] if escalation else None,
                changed_by_id=event["actor_id"],
                changed_by_unit_id=event["actor_unit_id"] or (escalation["supervising_unit_id"] if escalation else None),
                changed_at=event["at"],
            )
        )
        previous = deadline
        if len(pending) >= BATCH:
            DeadlineChange.objects.bulk_create(pending)
            pending = []
    if pending:
        DeadlineChange.objects.bulk_create(pending)


def lift_closed(apps):
    from django.db.models import F, OuterRef, Subquery

    Hazard = apps.get_model("inspections", "Hazard")
    Escalation = apps.get_model("inspections", "Escalation")
    Hazard.objects.filter(status__in=CLOSED, escalated_at__isnull=False, supervision_lifted_at__isnull=True).update(
        supervision_lifted_at=F("closed_at")
    )
    Hazard.objects.filter(status__in=CLOSED, escalated_at__isnull=False, supervision_lifted_at__isnull=True).update(
        supervision_lifted_at=F("escalated_at")
    )
    closed_at = Hazard.objects.filter(pk=OuterRef("hazard_id")).values("supervision_lifted_at")[:1]
    Escalation.objects.filter(hazard__status__in=CLOSED, lifted_at__isnull=True).update(
        lifted_at=Subquery(closed_at), lift_note="随隐患销号摘牌"
    )


def name_enforcers(apps):
    RectificationNotice = apps.get_model("inspections", "RectificationNotice")
    Escalation = apps.get_model("inspections", "Escalation")
    Sector = apps.get_model("organizations", "Sector")
    OrgUnit = apps.get_model("organizations", "OrgUnit")
    SectorMandate = apps.get_model("organizations", "SectorMandate")
    types = dict(Sector.objects.values_list("code", "enforcing_department_type"))
    departments: dict[tuple[int, str], list[int]] = {}
    for pk, district_id, department_type in (
        OrgUnit.objects.filter(kind="department", is_active=True)
        .exclude(department_type="")
        .order_by("order", "id")
        .values_list("pk", "district_id", "department_type")
    ):
        departments.setdefault((district_id, department_type), []).append(pk)
    mandated = set(SectorMandate.objects.values_list("department_id", "sector_id"))

    def enforcer(district_id, sector_code):
        candidates = departments.get((district_id, types.get(sector_code) or ""), [])
        preferred = [pk for pk in candidates if (pk, sector_code) in mandated]
        return (preferred or candidates or [None])[0]

    supervisors: dict[int, list[tuple]] = {}
    for hazard_id, created_at, unit_id in Escalation.objects.order_by("created_at", "id").values_list(
        "hazard_id", "created_at", "supervising_unit_id"
    ):
        supervisors.setdefault(hazard_id, []).append((created_at, unit_id))
    changed = []
    notices = RectificationNotice.objects.select_related("hazard").only(
        "pk", "issued_at", "issuing_unit_id", "hazard__sector_id", "hazard__district_id"
    )
    for notice in notices.iterator(chunk_size=BATCH):
        hazard = notice.hazard
        notice.enforcing_unit_id = enforcer(hazard.district_id, hazard.sector_id) or notice.issuing_unit_id
        before = [unit for at, unit in supervisors.get(hazard.pk, []) if at <= notice.issued_at]
        notice.supervising_unit_id = before[-1] if before else None
        changed.append(notice)
        if len(changed) >= BATCH:
            RectificationNotice.objects.bulk_update(changed, ["enforcing_unit", "supervising_unit"])
            changed = []
    if changed:
        RectificationNotice.objects.bulk_update(changed, ["enforcing_unit", "supervising_unit"])


def forwards(apps, schema_editor):
    rebuild_history(apps)
    lift_closed(apps)
    name_enforcers(apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0010_one_deadline_and_lifting")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
