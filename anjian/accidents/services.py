"""Every write of the accident records (STANDARDS §4): recording an accident with its computed grade and
late-report flag, and correcting its casualties within the legal window, keeping the history. An accident with
a death, or of grade 较大 or above, is told at once to those who answer for it (:func:`announce`)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents import standards
from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.accidents.models import (
    Accident,
    Accountability,
    CasualtyCorrection,
    CorrectiveMeasure,
    EducationRecord,
    Investigation,
    InvestigationStatus,
)
from anjian.core import audit, notifications
from anjian.core.permissions import is_supervisor
from anjian.core.signals import site_risk_inputs_changed
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site

MEASURES = ("deaths", "serious_injuries", "minor_injuries", "missing", "direct_loss")


MAX_PEOPLE = 1_000_000  # far above any accident; keeps a typo from overflowing the database's integer
MAX_LOSS = Decimal("999999999999.99")  # the column holds 14 digits, 2 of them decimals


def can_record(actor) -> bool:
    """Supervising officers record accidents; enterprise accounts, leaders (read-only) and the three
    administrators do not."""
    return is_supervisor(actor)


def _require_recorder(actor) -> None:
    if not can_record(actor):
        raise PermissionDenied(_("Only a supervising officer records accidents."))


def _measures(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in MEASURES:
        raw = values.get(name, 0)
        try:
            number = Decimal(str(raw if raw not in (None, "") else 0))
        except (InvalidOperation, ValueError):
            errors[name] = _("Enter a number.")
            continue
        if not number.is_finite():
            errors[name] = _("Enter a number.")
            continue
        if number < 0:
            errors[name] = _("The number cannot be negative.")
        elif name != "direct_loss" and number != number.to_integral_value():
            errors[name] = _("Enter a whole number of people.")
        elif number > (MAX_LOSS if name == "direct_loss" else MAX_PEOPLE):
            errors[name] = _("The number is too large.")
        elif name == "direct_loss" and number != number.quantize(Decimal("0.01")):
            errors[name] = _("Give the loss to the fen (two decimal places) at most.")
        clean[name] = number if name == "direct_loss" else int(number)
    if errors:
        raise ValidationError(errors)
    return clean


def _risk_inputs_changed(site_id: int) -> None:
    """An accident with deaths at a registered place is an input of the place's risk (the risk app listens)."""
    transaction.on_commit(lambda: site_risk_inputs_changed.send(sender=Accident, site_ids=[site_id]))


def _grade(measures: dict[str, Any]) -> str:
    return standards.grade_for(
        deaths=measures["deaths"], serious_injuries=measures["serious_injuries"], direct_loss=measures["direct_loss"]
    )


def clean_accident(
    *,
    district,
    category: str,
    accident_type: str,
    occurred_at: datetime.datetime,
    reported_at: datetime.datetime,
    summary: str,
    territory=None,
    site: Site | None = None,
    sector=None,
    address: str = "",
    longitude=None,
    latitude=None,
    now: datetime.datetime | None = None,
    **measures,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The rules of one accident record without saving it (reused by the page, the API and bulk imports).

    Returns ``(values, errors)``: ``values`` are the Accident's fields (grade per STANDARDS §4 and the late
    flag per 条例 第九条 included, ``created_by`` excluded), usable as ``Accident(**values)`` when ``errors``
    (field name → Chinese message) is empty. Scope is not checked here: the caller checks who records.
    """
    errors: dict[str, str] = {}
    if category not in AccidentCategory.values:
        errors["category"] = _("Choose the category.")
    if accident_type not in AccidentType.values:
        errors["accident_type"] = _("Choose the accident type.")
    now = now or timezone.now()
    if occurred_at is None:
        errors["occurred_at"] = _("Give the time of the accident.")
    elif occurred_at > now:
        errors["occurred_at"] = _("The accident cannot have happened in the future.")
    elif occurred_at.date() < standards.EARLIEST_ACCIDENT_DATE:
        errors["occurred_at"] = _("The time of the accident is before %(date)s: check the year.") % {
            "date": standards.EARLIEST_ACCIDENT_DATE.isoformat()
        }
    if reported_at is None:
        errors["reported_at"] = _("Give the time of the report.")
    elif occurred_at is not None and reported_at < occurred_at:
        errors["reported_at"] = _("The report cannot come before the accident.")
    if territory is not None and (territory.district_id != district.pk or territory.kind not in TERRITORIAL_KINDS):
        errors["territory"] = _("Choose a street or park of the district.")
    if site is not None:
        if site.district_id != district.pk:
            errors["site"] = _("The place is not in this district.")
        territory = territory or site.territory
        address = address or site.address
    if category == AccidentCategory.PRODUCTION and sector is None:
        errors["sector"] = _("A production safety accident needs its sector.")
    if not (summary or "").strip():
        errors["summary"] = _("Summarise what happened.")
    if site is None and not (address or "").strip():
        errors["address"] = _("Give the place from the registry or an address.")
    try:
        values = _measures(measures)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
        values = {}
    if errors:
        return {}, errors
    return {
        "district": district,
        "territory": territory,
        "site": site,
        "sector": sector,
        "category": category,
        "accident_type": accident_type,
        "occurred_at": occurred_at,
        "reported_at": reported_at,
        "late_report": reported_at - occurred_at > datetime.timedelta(minutes=standards.REPORT_WITHIN_MINUTES),
        "address": (address or "")[:300],
        "longitude": longitude,
        "latitude": latitude,
        "summary": summary.strip(),
        "grade": _grade(values),
        **values,
    }, {}


def district_of(*, actor, site=None, territory=None):
    """The district an accident belongs to: its place's, its street's, else the recorder's own district
    (None for a city officer who named neither: they must say where it happened)."""
    if site is not None:
        return site.district
    if territory is not None:
        return territory.district
    district_id = getattr(getattr(actor, "scope", None), "district_id", None)
    return OrgUnit.objects.filter(pk=district_id, kind=OrgUnitKind.DISTRICT).first() if district_id else None


@transaction.atomic
def record_accident(*, actor, **fields) -> Accident:
    """Record an accident; its grade comes from STANDARDS §4 and a report later than one hour is flagged.
    Takes the keyword arguments of :func:`clean_accident` (district, category, … and the measures)."""
    _require_recorder(actor)
    values, errors = clean_accident(**fields)
    if errors:
        raise ValidationError(errors)
    accident = Accident.objects.create(created_by=actor, **values)
    if not Accident.objects.editable_by(actor).filter(pk=accident.pk).exists():
        raise PermissionDenied(_("This accident is outside your jurisdiction."))
    audit.record(actor=actor, action="accidents.accident.record", obj=accident, after=audit.snapshot(accident))
    if accident.site_id and accident.deaths:
        _risk_inputs_changed(accident.site_id)
    announce(accident, actor=actor)
    return accident


def announce(accident: Accident, *, actor=None, grade_before: str | None = None, deaths_before: int = 0) -> str:
    """Tell at once whom an accident concerns, when it has a death or is of grade 较大 or above; return the kind
    sent ("" when none).

    The street, the departments supervising the sector, the safety office and the district leaders hear of a
    death (not the unit that recorded it, which knows); the city too
    of a 较大 or larger accident (``standards.CITY_TOLD_GRADES``). After a correction (``grade_before`` and
    ``deaths_before`` given), only what is new is told: a first death, or a grade raised to 较大 or above. Sent
    when the transaction commits; each fact once per recipient (the dedupe key)."""
    fields = _announcement(accident, actor=actor, grade_before=grade_before, deaths_before=deaths_before)
    if fields is None:
        return ""
    notifications.tell(**fields)
    return fields["kind"]


def announcement(accident: Accident) -> notifications.Message | None:
    """The message :func:`announce` sends on recording ``accident``, for a job's outbox (``notifications.batched``);
    None when the accident has neither a death nor a grade of 较大 or above."""
    fields = _announcement(accident)
    return None if fields is None else notifications.message(**fields)


def _announcement(accident: Accident, *, actor=None, grade_before: str | None = None, deaths_before: int = 0):
    raised = grade_before is None or standards.is_raised(accident.grade, before=grade_before)
    if accident.grade in standards.CITY_TOLD_GRADES and raised:
        kind, key = "accidents.serious", f"accident:{accident.pk}:grade:{accident.grade}"
    elif accident.deaths and not deaths_before:
        kind, key = "accidents.fatal", f"accident:{accident.pk}:fatal"
    else:
        return None
    where = (accident.site.name if accident.site_id else "") or accident.address or str(accident.territory or "")
    values = {
        "when": f"{timezone.localtime(accident.occurred_at):%Y-%m-%d %H:%M}",
        "where": where[:60],
        "grade": accident.get_grade_display(),
        "deaths": accident.deaths,
        "injured": accident.serious_injuries,
    }
    if grade_before is None:
        title = _("%(grade)s at %(where)s, %(when)s: %(deaths)s dead, %(injured)s seriously injured") % values
    else:
        title = (
            _("Accident at %(where)s corrected to %(grade)s: %(deaths)s dead, %(injured)s seriously injured") % values
        )
    return {
        "kind": kind,
        "about": accident,
        "title": title,
        "body": accident.summary[:500],
        "url": reverse("accidents:accident_detail", args=[accident.pk]),
        "key": key,
        "actor": actor,
    }


@transaction.atomic
def correct_casualties(*, actor, accident: Accident, reason: str, **changes) -> CasualtyCorrection:
    """Casualties may change within 30 days of the accident (7 for road traffic and fire): the correction
    is kept with the numbers and the grade before and after, and the accident is re-graded."""
    _require_recorder(actor)
    locked = Accident.objects.editable_by(actor).select_for_update().filter(pk=accident.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this accident."))
    days = standards.correction_days(locked.category)
    if timezone.now() > locked.occurred_at + datetime.timedelta(days=days):
        raise ValidationError(
            _(
                "Casualty numbers of this accident could be corrected for %(days)s days after it happened; "
                "that time is over."
            )
            % {"days": days},
            code="window_closed",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    unknown = set(changes) - set(MEASURES)
    if unknown:
        raise ValidationError(_("Only casualties and the direct loss can be corrected."))
    before = {name: getattr(locked, name) for name in MEASURES}
    after = _measures({**before, **changes})
    if after == before:
        raise ValidationError(_("Nothing changed."))
    grade_before = locked.grade
    for name, value in after.items():
        setattr(locked, name, value)
    locked.grade = _grade(after)
    locked.save()
    correction = CasualtyCorrection.objects.create(
        accident=locked,
        before=audit.to_json(before),
        after=audit.to_json(after),
        grade_before=grade_before,
        grade_after=locked.grade,
        reason=reason.strip(),
        corrected_by=actor,
    )
    audit.record(
        actor=actor,
        action="accidents.accident.correct",
        obj=locked,
        before={**before, "grade": grade_before},
        after={**after, "grade": locked.grade, "reason": correction.reason},
    )
    if locked.site_id and bool(before["deaths"]) != bool(after["deaths"]):
        _risk_inputs_changed(locked.site_id)
    announce(locked, actor=actor, grade_before=grade_before, deaths_before=before["deaths"])
    return correction


# --- investigations under 四不放过 ----------------------------------------------------------------

INVESTIGATION_DAYS = 60  # 条例 第二十九条: report within 60 days of the accident,
MAX_EXTENSION_DAYS = 60  # extended once, by at most 60 days.
CLOSURES = ("cause", "persons", "measures", "education")


def _lock_investigation(actor, investigation: Investigation) -> Investigation:
    _require_recorder(actor)
    locked = (
        Investigation.objects.editable_by(actor)
        .select_for_update(of=("self",))
        .select_related("accident")
        .filter(pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot change this investigation."))
    if locked.status == InvestigationStatus.CLOSED:
        raise ValidationError(_("The investigation is closed."), code="closed")
    return locked


@transaction.atomic
def open_investigation(*, actor, accident: Accident, lead_unit, team: str) -> Investigation:
    """An investigation team for the accident, due 60 days after it happened."""
    _require_recorder(actor)
    if not Accident.objects.editable_by(actor).filter(pk=accident.pk).exists():
        raise PermissionDenied(_("You cannot change this accident."))
    if Investigation.objects.filter(accident=accident).exists():
        raise ValidationError(_("This accident is under investigation already."))
    if not (team or "").strip():
        raise ValidationError({"team": _("Name the members of the investigation team.")})
    if lead_unit is None or (lead_unit.pk != accident.district_id and lead_unit.district_id != accident.district_id):
        raise ValidationError({"lead_unit": _("Choose a unit of the accident's district to lead the investigation.")})
    deadline = timezone.localtime(accident.occurred_at).date() + datetime.timedelta(days=INVESTIGATION_DAYS)
    investigation = Investigation.objects.create(
        accident=accident, lead_unit=lead_unit, team=team.strip(), deadline=deadline, opened_by=actor
    )
    audit.record(actor=actor, action="accidents.investigation.open", obj=investigation, after={"deadline": deadline})
    return investigation


@transaction.atomic
def extend_investigation(*, actor, investigation: Investigation, days: int, reason: str) -> Investigation:
    """One extension, of at most 60 days, with its reason."""
    locked = _lock_investigation(actor, investigation)
    if locked.extended_by_days:
        raise ValidationError(_("The deadline can be extended only once."))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("An extension is of 1 to %(max)s days.") % {"max": MAX_EXTENSION_DAYS}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    before = locked.deadline
    locked.deadline = before + datetime.timedelta(days=days)
    locked.extended_by_days = days
    locked.extension_reason = reason.strip()
    locked.save()
    audit.record(
        actor=actor,
        action="accidents.investigation.extend",
        obj=locked,
        before={"deadline": before},
        after={"deadline": locked.deadline, "reason": locked.extension_reason},
    )
    return locked


def open_closures(investigation: Investigation) -> list[str]:
    """Which of the four closures are still open, from the evidence recorded."""
    missing = []
    if not (investigation.cause.strip() and investigation.cause_report.strip()):
        missing.append("cause")
    if not investigation.accountabilities.exists():
        missing.append("persons")
    measures = list(investigation.measures.select_related("hazard", "task"))
    if not measures or not all(_measure_done(m) for m in measures):
        missing.append("measures")
    if not investigation.education.exists():
        missing.append("education")
    return missing


def _measure_done(measure: CorrectiveMeasure) -> bool:
    """A measure linked to the hazard loop is done when its hazard is verified or its task done."""
    from anjian.inspections.choices import CLOSED_STATUSES, TaskStatus

    if measure.hazard_id and measure.hazard.status not in CLOSED_STATUSES:
        return False
    return not (measure.task_id and measure.task.status != TaskStatus.DONE)


CLOSURE_LABELS = {
    "cause": gettext_lazy("the cause is not established"),
    "persons": gettext_lazy("the responsible persons are not handled"),
    "measures": gettext_lazy("the corrective measures are not done"),
    "education": gettext_lazy("the people concerned are not educated"),
}


@transaction.atomic
def record_cause(*, actor, investigation: Investigation, cause: str, report: str) -> Investigation:
    locked = _lock_investigation(actor, investigation)
    if not (cause or "").strip() or not (report or "").strip():
        raise ValidationError(_("State the cause and the investigation report that establishes it."))
    locked.cause, locked.cause_report, locked.cause_done_at = cause.strip(), report.strip()[:200], timezone.now()
    locked.save()
    audit.record(
        actor=actor, action="accidents.investigation.evidence", obj=locked, after={"cause": locked.cause_report}
    )
    return locked


@transaction.atomic
def add_evidence(*, actor, investigation: Investigation, kind: str, **fields):
    """Evidence of the second to fourth closures: an accountability action, a corrective measure (linked to
    a hazard or task the user can see), an education record."""
    locked = _lock_investigation(actor, investigation)
    models_by_kind = {"persons": Accountability, "measures": CorrectiveMeasure, "education": EducationRecord}
    model = models_by_kind.get(kind)
    if model is None:
        raise ValidationError(_("Unknown kind of evidence."))
    if kind == "measures":
        from anjian.inspections.models import Hazard, InspectionTask

        hazard, task = fields.get("hazard"), fields.get("task")
        if hazard is not None and not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
            raise PermissionDenied(_("You cannot link this hazard."))
        if task is not None and not InspectionTask.objects.visible_to(actor).filter(pk=task.pk).exists():
            raise PermissionDenied(_("You cannot link this task."))
    record = model(investigation=locked, recorded_by=actor, **fields)
    record.full_clean(exclude=["investigation", "recorded_by"])
    record.save()
    audit.record(
        actor=actor, action="accidents.investigation.evidence", obj=locked, after={kind: audit.snapshot(record)}
    )
    return record


CLOSURE_TITLES = {
    "cause": gettext_lazy("Cause established"),
    "persons": gettext_lazy("Responsible persons handled"),
    "measures": gettext_lazy("Corrective measures done"),
    "education": gettext_lazy("People educated"),
}
CLOSURE_FIELDS = {
    "cause": "cause_done_at",
    "persons": "persons_done_at",
    "measures": "measures_done_at",
    "education": "education_done_at",
}


@transaction.atomic
def mark_closure_done(*, actor, investigation: Investigation, closure: str) -> Investigation:
    """Mark one of the four closures (四不放过) done, which its evidence must already show: an accountability
    action for the persons, every measure's hazard verified or task done, an education record."""
    locked = _lock_investigation(actor, investigation)
    field = CLOSURE_FIELDS.get(closure)
    if field is None:
        raise ValidationError(_("Unknown closure."))
    if getattr(locked, field):
        raise ValidationError(_("This closure is marked done already."))
    if closure in open_closures(locked):
        raise ValidationError(
            _("This closure cannot be marked done while %(open)s.") % {"open": CLOSURE_LABELS[closure]},
            code="open_closures",
        )
    setattr(locked, field, timezone.now())
    locked.save(update_fields=[field])
    audit.record(actor=actor, action="accidents.investigation.closure", obj=locked, after={"closure": closure})
    return locked


@transaction.atomic
def close_investigation(*, actor, investigation: Investigation) -> Investigation:
    """四不放过: the investigation closes only when all four closures have their evidence."""
    locked = _lock_investigation(actor, investigation)
    missing = open_closures(locked)
    if missing:
        raise ValidationError(
            _("The investigation cannot close while %(open)s.")
            % {"open": "；".join(str(CLOSURE_LABELS[m]) for m in missing)},
            code="open_closures",
        )
    now = timezone.now()
    locked.persons_done_at = locked.persons_done_at or now
    locked.measures_done_at = locked.measures_done_at or now
    locked.education_done_at = locked.education_done_at or now
    locked.status, locked.closed_at = InvestigationStatus.CLOSED, now
    locked.save()
    audit.record(actor=actor, action="accidents.investigation.close", obj=locked, after={"closed_at": now})
    return locked
