"""Every write of risk grading (STANDARDS §2): assessing a place (LEC or LS risk points, coloured by the
district's bands), editing a district's colour bands and its inspection frequency by level. Each service
takes the acting user first, runs in one transaction, checks scope, validates, writes the audit row, and
recomputes the current levels after commit.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accidents.choices import AccidentType
from anjian.core import audit
from anjian.core.permissions import can_supervise, is_city_admin, is_district_office, is_supervisor
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.inspections import standards as inspection_standards
from anjian.inspections.models import InspectionFrequency
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site
from anjian.risk import levels, standards
from anjian.risk.models import RiskAssessment, RiskBandThreshold, RiskPoint
from anjian.risk.standards import RiskMethod

logger = logging.getLogger(__name__)

MAX_POINTS = 200


# --- who may do what ------------------------------------------------------------------------------


def may_assess(user, site: Site) -> bool:
    """The registry's rule for changing a place: staff with write scope over it (the place's street or park,
    its supervising department, the district safety office, city staff). Leaders and enterprises read."""
    return can_supervise(user, site)


def settings_districts(user):
    """Districts whose colour bands and inspection frequencies the user may edit: the safety office its
    own district, city staff the districts of their city."""
    scope = scope_of(user)
    districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("order", "id")
    if scope.read_only or scope.sees_nothing:
        return districts.none()
    if is_city_admin(user) and scope.level is ScopeLevel.CITY:
        return districts.filter(city_id=scope.city_id)
    if is_district_office(user) and scope.level is ScopeLevel.DISTRICT:
        return districts.filter(pk=scope.district_id)
    return districts.none()


def _require_settings_editor(actor, district: OrgUnit) -> None:
    if not settings_districts(actor).filter(pk=district.pk).exists():
        raise PermissionDenied(_("Only the safety committee office of the district can change this."))


# --- bands ----------------------------------------------------------------------------------------


def district_bands(district_id: int) -> dict[str, dict[str, Decimal]]:
    """The colour bands in force in a district: its own rows over the STANDARDS §2 defaults. One query."""
    bands = {method: dict(values) for method, values in standards.DEFAULT_BANDS.items()}
    for method, level, bound in RiskBandThreshold.objects.filter(district_id=district_id).values_list(
        "method", "level", "lower_bound"
    ):
        bands[method][level] = bound
    return bands


def _factor(value: Any, choices, field: str, errors: dict, label: str, cast=Decimal):
    allowed = [key for key, _label in choices]
    try:
        number = cast(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or number not in allowed:
        errors[field] = _("Choose %(factor)s from the list.") % {"factor": label}
        return None
    return number


def grade_point(data: dict[str, Any], bands: dict[str, dict[str, Decimal]]) -> dict[str, Any]:
    """Validate one risk point and compute its score and colour (D = L × E × C, or R = L × S).
    Raises ValidationError with Chinese messages per field."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Name the activity or installation.")
    accident_type = data.get("accident_type") or ""
    if accident_type not in AccidentType.values:
        errors["accident_type"] = _("Choose the accident type.")
    method = data.get("method") or ""
    values: dict[str, Any] = {"lec_l": None, "lec_e": None, "lec_c": None, "ls_l": None, "ls_s": None}
    score = None
    if method == RiskMethod.LEC:
        values["lec_l"] = _factor(data.get("lec_l"), standards.LEC_LIKELIHOOD, "lec_l", errors, "L")
        values["lec_e"] = _factor(data.get("lec_e"), standards.LEC_EXPOSURE, "lec_e", errors, "E")
        values["lec_c"] = _factor(data.get("lec_c"), standards.LEC_CONSEQUENCE, "lec_c", errors, "C")
        if None not in (values["lec_l"], values["lec_e"], values["lec_c"]):
            score = values["lec_l"] * values["lec_e"] * values["lec_c"]
    elif method == RiskMethod.LS:
        values["ls_l"] = _factor(data.get("ls_l"), standards.LS_LIKELIHOOD, "ls_l", errors, "L", int)
        values["ls_s"] = _factor(data.get("ls_s"), standards.LS_SEVERITY, "ls_s", errors, "S", int)
        if None not in (values["ls_l"], values["ls_s"]):
            score = Decimal(values["ls_l"] * values["ls_s"])
    else:
        errors["method"] = _("Choose LEC or the risk matrix (LS).")
    if errors:
        raise ValidationError(errors)
    score = score.quantize(Decimal("0.01"))
    return {
        "name": name[:200],
        "accident_type": accident_type,
        "controls": (data.get("controls") or "").strip(),
        "method": method,
        **values,
        "score": score,
        "level": standards.band_level(method, score, bands[method]),
    }


def _recompute_after_commit(site_ids: Sequence[int] | None = None, district_id: int | None = None) -> None:
    def run():
        try:
            if district_id is not None:
                levels.recompute_district(district_id)
            else:
                levels.recompute_levels(site_ids)
        except Exception:  # the write is committed; the nightly recompute repairs a failed one
            logger.exception("risk level recompute failed for %s", site_ids or district_id)

    transaction.on_commit(run)


# --- assessments ----------------------------------------------------------------------------------


@transaction.atomic
def assess_site(
    *,
    actor,
    site: Site,
    assessed_on: datetime.date,
    points: Sequence[dict[str, Any]],
    method_summary: str = "",
    note: str = "",
) -> RiskAssessment:
    """Record a risk assessment of a place (风险分级管控, STANDARDS §2): each point graded by LEC or LS with
    the district's bands; the assessment takes the worst point's colour. Older assessments stay; this one
    becomes the place's assessed level and the current level is recomputed after commit."""
    locked = Site.objects.editable_by(actor).select_for_update().filter(pk=site.pk).first()
    if locked is None or not is_supervisor(actor):
        raise PermissionDenied(_("You cannot assess the risk of this place."))
    errors: dict[str, Any] = {}
    if assessed_on is None:
        errors["assessed_on"] = _("Give the date of the assessment.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The assessment cannot be dated in the future.")
    if not points:
        errors["points"] = _("Add at least one risk point.")
    elif len(points) > MAX_POINTS:
        errors["points"] = _("At most %(count)s risk points per assessment.") % {"count": MAX_POINTS}
    bands = district_bands(locked.district_id)
    graded: list[dict[str, Any]] = []
    point_errors: list[dict[str, Any]] = []
    for data in points if not errors.get("points") else ():
        try:
            graded.append(grade_point(data, bands))
            point_errors.append({})
        except ValidationError as exc:
            point_errors.append(exc.message_dict)
    if any(point_errors):
        errors["points"] = [
            _("Risk point %(number)s: %(errors)s")
            % {"number": number, "errors": "；".join(msg for msgs in err.values() for msg in msgs)}
            for number, err in enumerate(point_errors, start=1)
            if err
        ]
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment.objects.create(
        site=locked,
        district_id=locked.district_id,
        assessed_by=actor,
        assessed_on=assessed_on,
        method_summary=(method_summary or "").strip()[:200]
        or " + ".join(sorted({str(RiskMethod(p["method"]).label) for p in graded})),
        note=(note or "").strip(),
        level=standards.worst(p["level"] for p in graded),
    )
    RiskPoint.objects.bulk_create([RiskPoint(assessment=assessment, **p) for p in graded])
    audit.record(
        actor=actor,
        action="risk.assessment.create",
        obj=assessment,
        after={
            **audit.snapshot(assessment),
            "points": [{k: p[k] for k in ("name", "method", "score", "level")} for p in graded],
        },
    )
    _recompute_after_commit([locked.pk])
    return assessment


# --- district settings ----------------------------------------------------------------------------


@transaction.atomic
def set_band_thresholds(*, actor, district: OrgUnit, bands: dict[str, dict[str, Any]]) -> dict:
    """Change a district's colour bands (STANDARDS §2: provinces differ). Bounds must fall from red to
    yellow and stay within the method's range. The district's recorded points and assessments are re-coloured
    under the new bands in a few UPDATE statements, and its places' current levels recomputed."""
    _require_settings_editor(actor, district)
    before = district_bands(district.pk)
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, Decimal]] = {}
    limits = {RiskMethod.LEC: Decimal("10000"), RiskMethod.LS: Decimal("25")}
    for method in RiskMethod.values:
        cleaned[method] = {}
        for level in standards.BANDED_LEVELS:
            raw = (bands.get(method) or {}).get(level)
            field = f"{method}_{level}"
            try:
                value = Decimal(str(raw).strip())
            except (InvalidOperation, ValueError, TypeError):
                errors[field] = _("Enter a number.")
                continue
            if not value.is_finite() or value <= 0 or value > limits[method]:
                errors[field] = _("Enter a number above 0 and at most %(max)s.") % {"max": limits[method]}
                continue
            cleaned[method][level] = value.quantize(Decimal("0.01"))
        got = cleaned[method]
        if len(got) == 3 and not (got["red"] > got["orange"] > got["yellow"]):
            errors[f"{method}_red"] = _("The bounds must fall from red to orange to yellow.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for method, values in cleaned.items():
        for level, bound in values.items():
            RiskBandThreshold.objects.update_or_create(
                district=district,
                method=method,
                level=level,
                defaults={"lower_bound": bound, "updated_by": actor, "updated_at": now},
            )
    regraded = regrade_district(district.pk, cleaned)
    audit.record(
        actor=actor,
        action="risk.bands.update",
        obj=district,
        before=audit.to_json(before),
        after={**audit.to_json(cleaned), "regraded_points": regraded},
    )
    _recompute_after_commit(district_id=district.pk)
    return cleaned


def _band_case(method: str, bands: dict[str, Decimal]):
    from django.db.models import Case, CharField, Value, When

    lookup = "score__gte" if standards.BOUND_INCLUSIVE[method] else "score__gt"
    return Case(
        *[When(**{lookup: bands[level]}, then=Value(level)) for level in standards.BANDED_LEVELS],
        default=Value("blue"),
        output_field=CharField(),
    )


def regrade_district(district_id: int, bands: dict[str, dict[str, Decimal]]) -> int:
    """Re-colour every recorded point of a district under its bands, then every assessment by its worst
    point: set-based (one UPDATE per method and one for the assessments)."""
    from django.db.models import Case, CharField, Exists, OuterRef, Value, When

    points = RiskPoint.objects.filter(assessment__district_id=district_id)
    count = 0
    for method in RiskMethod.values:
        count += RiskPoint.objects.filter(pk__in=points.filter(method=method).values("pk")).update(
            level=_band_case(method, bands[method])
        )
    worst = Case(
        *[
            When(Exists(RiskPoint.objects.filter(assessment_id=OuterRef("pk"), level=level)), then=Value(level))
            for level in standards.LEVEL_ORDER
        ],
        default=Value("blue"),
        output_field=CharField(),
    )
    RiskAssessment.objects.filter(district_id=district_id).update(level=worst)
    return count


@transaction.atomic
def set_inspection_frequencies(*, actor, district: OrgUnit, days: dict[str, Any]) -> dict[str, int]:
    """Change how often the district inspects a place of each current level (STANDARDS §2 defaults: red
    30, orange 91, yellow 182, blue 365 days). Stricter levels may not be inspected less often."""
    _require_settings_editor(actor, district)
    before = {
        **inspection_standards.LEVEL_FREQUENCY_DAYS,
        **dict(InspectionFrequency.objects.filter(district=district).values_list("level", "days")),
    }
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for level in standards.LEVEL_ORDER:
        raw = days.get(level)
        try:
            value = int(str(raw).strip())
        except (ValueError, TypeError):
            errors[level] = _("Enter a whole number of days.")
            continue
        if not 1 <= value <= 3650:
            errors[level] = _("Enter between 1 and 3650 days.")
            continue
        cleaned[level] = value
    if not errors and not (cleaned["red"] <= cleaned["orange"] <= cleaned["yellow"] <= cleaned["blue"]):
        errors["red"] = _("A higher risk level must be inspected at least as often as a lower one.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for level, value in cleaned.items():
        InspectionFrequency.objects.update_or_create(
            district=district, level=level, defaults={"days": value, "updated_by": actor, "updated_at": now}
        )
    audit.record(actor=actor, action="risk.frequency.update", obj=district, before=before, after=cleaned)
    return cleaned
