"""Every write of the accident records (STANDARDS §4): recording an accident with its computed grade and
late-report flag, and correcting its casualties within the legal window, keeping the history."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accidents import standards
from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.accidents.models import Accident, CasualtyCorrection
from anjian.accounts.choices import Role
from anjian.core import audit
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.registry.models import Site

MEASURES = ("deaths", "serious_injuries", "minor_injuries", "missing", "direct_loss")


def _require_recorder(actor) -> None:
    scope = getattr(actor, "scope", None)
    if (
        not getattr(actor, "is_active", False)
        or actor.role == Role.ENTERPRISE
        or scope is None
        or scope.sees_nothing
        or scope.read_only
    ):
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
        if number < 0:
            errors[name] = _("The number cannot be negative.")
        elif name != "direct_loss" and number != number.to_integral_value():
            errors[name] = _("Enter a whole number of people.")
        clean[name] = number if name == "direct_loss" else int(number)
    if errors:
        raise ValidationError(errors)
    return clean


def _grade(measures: dict[str, Any]) -> str:
    return standards.grade_for(
        deaths=measures["deaths"], serious_injuries=measures["serious_injuries"], direct_loss=measures["direct_loss"]
    )


@transaction.atomic
def record_accident(
    *,
    actor,
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
    **measures,
) -> Accident:
    """Record an accident; its grade comes from STANDARDS §4 and a report later than one hour is flagged."""
    _require_recorder(actor)
    errors: dict[str, str] = {}
    if category not in AccidentCategory.values:
        errors["category"] = _("Choose the category.")
    if accident_type not in AccidentType.values:
        errors["accident_type"] = _("Choose the accident type.")
    now = timezone.now()
    if occurred_at > now:
        errors["occurred_at"] = _("The accident cannot have happened in the future.")
    if reported_at < occurred_at:
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
    if errors:
        raise ValidationError(errors)
    values = _measures(measures)
    accident = Accident.objects.create(
        district=district,
        territory=territory,
        site=site,
        sector=sector,
        category=category,
        accident_type=accident_type,
        occurred_at=occurred_at,
        reported_at=reported_at,
        late_report=reported_at - occurred_at > datetime.timedelta(minutes=standards.REPORT_WITHIN_MINUTES),
        address=address[:300],
        longitude=longitude,
        latitude=latitude,
        summary=summary.strip(),
        grade=_grade(values),
        created_by=actor,
        **values,
    )
    if not Accident.objects.editable_by(actor).filter(pk=accident.pk).exists():
        raise PermissionDenied(_("This accident is outside your jurisdiction."))
    audit.record(actor=actor, action="accidents.accident.record", obj=accident, after=audit.snapshot(accident))
    return accident


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
    return correction
