"""The services that configure the city risk ranking: the city administrator's units, indicators and weights
(entered directly or derived by AHP), each change audited."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accidents.choices import AccidentCategory
from anjian.core import audit
from anjian.organizations.models import OrgUnit, Sector
from anjian.risk import ahp
from anjian.risk.city.access import access_for
from anjian.risk.city.indicators import INDICATORS
from anjian.risk.city.units import DEFAULT_UNITS
from anjian.risk.models import IndicatorDirection, RiskIndicator, RiskScheme, RiskUnit, WeightingMethod

WEIGHT_TOLERANCE = Decimal("0.001")  # weights entered with four decimals may miss 1 by rounding


def _require_configurer(actor, city: OrgUnit) -> None:
    access = access_for(actor)
    if access is None or not access.can_configure or access.city_id != city.pk:
        raise PermissionDenied(_("Only the city administrator configures the city's risk assessment units."))


def _audit_units(actor, city: OrgUnit, action: str, before, after) -> None:
    audit.record(actor=actor, action=action, obj=city, before=before, after=after)


def _weights_state(city: OrgUnit) -> dict:
    return {
        unit.code: {"weight": str(unit.weight), "indicators": {str(i.pk): str(i.weight) for i in unit.indicators.all()}}
        for unit in RiskUnit.objects.filter(city=city).prefetch_related("indicators")
    }


def persist_default_units(*, city: OrgUnit) -> list[RiskUnit]:
    """The seeded units written for a city that has none yet (called inside the first change or snapshot)."""
    existing = list(RiskUnit.objects.select_for_update().filter(city=city))
    if existing:
        return existing
    units = []
    for order, spec in enumerate(DEFAULT_UNITS, start=1):
        unit = RiskUnit.objects.create(
            city=city,
            code=spec["code"],
            name=spec["name"],
            order=order,
            weight=Decimal(spec["weight"]),
            sectors=list(spec["sectors"]),
            accident_categories=[str(c) for c in spec["accident_categories"]],
        )
        RiskIndicator.objects.bulk_create(
            RiskIndicator(unit=unit, code=code, weight=Decimal(weight), sectors=list(sectors), order=index)
            for index, (code, weight, sectors) in enumerate(spec["indicators"], start=1)
        )
        units.append(unit)
    RiskScheme.objects.get_or_create(city=city)
    return units


@transaction.atomic
def adopt_default_units(*, actor, city: OrgUnit) -> list[RiskUnit]:
    """The city administrator takes the seeded units as the city's own, to change them."""
    _require_configurer(actor, city)
    units = persist_default_units(city=city)
    audit.record(actor=actor, action="risk.units.adopt", obj=city, after={"units": [u.code for u in units]})
    return units


def parse_weights(raw: dict, keys: list) -> dict:
    """Weights entered directly: each 0–1, together 1 (within 0.001, for four-decimal rounding)."""
    weights = {}
    errors = []
    for key in keys:
        value = raw.get(str(key), raw.get(key))
        try:
            weight = Decimal(str(value).strip())
        except (InvalidOperation, ValueError, TypeError):
            errors.append(_("Enter every weight as a number between 0 and 1."))
            break
        if not weight.is_finite() or weight < 0 or weight > 1:
            errors.append(_("Enter every weight as a number between 0 and 1."))
            break
        weights[key] = weight.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if not errors and abs(sum(weights.values()) - 1) > WEIGHT_TOLERANCE:
        errors.append(_("The weights must add up to 1; they add up to %(sum)s.") % {"sum": sum(weights.values())})
    if errors:
        raise ValidationError(errors)
    return weights


@transaction.atomic
def set_unit_weights(*, actor, city: OrgUnit, weights: dict | None = None, matrix=None) -> RiskScheme:
    """Weights of the units: entered directly (``weights`` by unit code) or derived from an AHP matrix whose rows
    and columns follow the units' order; an inconsistent matrix (CR ≥ 0.1) is refused and nothing changes."""
    _require_configurer(actor, city)
    units = [unit for unit in persist_default_units(city=city) if unit.is_active]
    before = _weights_state(city)
    scheme, _created = RiskScheme.objects.select_for_update().get_or_create(city=city)
    if matrix is not None:
        if len(matrix) != len(units):
            raise ValidationError(_("The matrix must compare the %(n)s active units.") % {"n": len(units)})
        result = ahp.weights(matrix)
        new = dict(zip([unit.code for unit in units], result.weights, strict=True))
        scheme.unit_weighting = WeightingMethod.AHP
        scheme.unit_matrix = [[str(value) for value in row] for row in matrix]
        scheme.unit_matrix_order = [unit.code for unit in units]
        scheme.consistency_ratio = Decimal(f"{result.cr:.4f}")
    else:
        new = parse_weights(weights or {}, [unit.code for unit in units])
        scheme.unit_weighting = WeightingMethod.DIRECT
        scheme.unit_matrix = scheme.unit_matrix_order = scheme.consistency_ratio = None
    for unit in units:
        unit.weight = new[unit.code]
    RiskUnit.objects.bulk_update(units, ["weight"])
    scheme.updated_by = actor
    scheme.updated_at = timezone.now()
    scheme.save()
    _audit_units(actor, city, "risk.units.weights", before, _weights_state(city))
    return scheme


@transaction.atomic
def set_indicator_weights(*, actor, unit: RiskUnit, weights: dict | None = None, matrix=None) -> RiskUnit:
    """Weights of a unit's indicators (``weights`` by indicator id), directly or by AHP, as for the units."""
    unit = RiskUnit.objects.select_for_update().get(pk=unit.pk)
    _require_configurer(actor, unit.city)
    before = _weights_state(unit.city)
    indicators = list(unit.indicators.all())
    if not indicators:
        raise ValidationError(_("The unit has no indicators to weight."))
    if matrix is not None:
        if len(matrix) != len(indicators):
            raise ValidationError(_("The matrix must compare the unit's %(n)s indicators.") % {"n": len(indicators)})
        result = ahp.weights(matrix)
        new = dict(zip([i.pk for i in indicators], result.weights, strict=True))
        unit.indicator_weighting = WeightingMethod.AHP
        unit.indicator_matrix = [[str(value) for value in row] for row in matrix]
        unit.indicator_matrix_order = [i.pk for i in indicators]
        unit.consistency_ratio = Decimal(f"{result.cr:.4f}")
    else:
        new = parse_weights(weights or {}, [i.pk for i in indicators])
        unit.indicator_weighting = WeightingMethod.DIRECT
        unit.indicator_matrix = unit.indicator_matrix_order = unit.consistency_ratio = None
    for indicator in indicators:
        indicator.weight = new[indicator.pk]
    RiskIndicator.objects.bulk_update(indicators, ["weight"])
    unit.save()
    _audit_units(actor, unit.city, "risk.units.weights", before, _weights_state(unit.city))
    return unit


@transaction.atomic
def save_unit(*, actor, city: OrgUnit, code: str, name: str, sectors, accident_categories, is_active: bool = True):
    """Add a unit or change one (by code): its name, sectors and accident categories. A new unit starts with
    weight 0, so the unit weights must be set again before it counts."""
    _require_configurer(actor, city)
    persist_default_units(city=city)
    known_sectors = set(Sector.objects.values_list("code", flat=True))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the unit.")
    if not (code or "").strip():
        errors["code"] = _("Give the unit a code.")
    unknown = [s for s in sectors if s not in known_sectors]
    if unknown:
        errors["sectors"] = _("Unknown sector: %(codes)s.") % {"codes": "、".join(unknown)}
    if [c for c in accident_categories if c not in AccidentCategory.values]:
        errors["accident_categories"] = _("Unknown accident category.")
    if errors:
        raise ValidationError(errors)
    unit, created = RiskUnit.objects.get_or_create(
        city=city,
        code=code.strip(),
        defaults={"name": name.strip(), "order": RiskUnit.objects.filter(city=city).count() + 1},
    )
    before = {} if created else {"name": unit.name, "sectors": unit.sectors, "categories": unit.accident_categories}
    unit.name = name.strip()
    unit.sectors = list(sectors)
    unit.accident_categories = list(accident_categories)
    unit.is_active = is_active
    unit.save()
    audit.record(
        actor=actor,
        action="risk.unit.save",
        obj=unit,
        before=before,
        after={"name": unit.name, "sectors": unit.sectors, "categories": unit.accident_categories},
        org_unit=city,
    )
    return unit


@transaction.atomic
def add_indicator(*, actor, unit: RiskUnit, code: str, sectors=(), direction=IndicatorDirection.POSITIVE):
    """Add a computable indicator to a unit, with weight 0 (the unit's weights are then set again)."""
    _require_configurer(actor, unit.city)
    if code not in INDICATORS:
        raise ValidationError({"code": _("Choose an indicator from the list.")})
    if direction not in IndicatorDirection.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    known_sectors = set(Sector.objects.values_list("code", flat=True))
    if any(s not in known_sectors for s in sectors):
        raise ValidationError({"sectors": _("Unknown sector.")})
    indicator = RiskIndicator.objects.create(
        unit=unit, code=code, sectors=list(sectors), direction=direction, weight=0, order=unit.indicators.count() + 1
    )
    audit.record(actor=actor, action="risk.indicator.add", obj=indicator, after={"code": code}, org_unit=unit.city)
    return indicator


@transaction.atomic
def remove_indicator(*, actor, indicator: RiskIndicator) -> None:
    _require_configurer(actor, indicator.unit.city)
    audit.record(
        actor=actor,
        action="risk.indicator.remove",
        obj=indicator,
        before={"code": indicator.code},
        org_unit=indicator.unit.city,
    )
    indicator.delete()
