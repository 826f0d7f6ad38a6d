"""Every change to the jurisdiction tree and the sector mandates; each one audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.permissions import is_city_admin
from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector, SectorMandate
from anjian.organizations.standards import DEFAULT_ENFORCING_DEPARTMENT, SECTORS, default_sectors_for

ORG_UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "code",
    "parent",
    "department_type",
    "population",
    "boundary",
    "phone",
    "address",
    "order",
    "is_active",
)


def _check_parent_manageable(actor, parent: OrgUnit | None) -> None:
    if actor is None:  # system jobs and management commands
        return
    if parent is None:
        if actor.administered_unit_ids() is not None:
            raise PermissionDenied(_("Only a platform-wide administrator can create a city."))
        return
    if not OrgUnit.objects.manageable_by(actor).filter(pk=parent.pk).exists():
        raise PermissionDenied(_("You cannot add units under this unit."))


def create_org_unit(*, actor, apply_default_mandates: bool = True, **fields) -> OrgUnit:
    """Create a unit; a new department gets the default mandates of STANDARDS §1."""
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        unit = OrgUnit(**fields)
        _check_parent_manageable(actor, unit.parent)
        unit.derive_ancestors()
        unit.full_clean()
        unit.save()
        audit.record(
            actor=actor, action="organizations.org_unit.create", obj=unit, after=audit.snapshot(unit), org_unit=unit
        )
        if apply_default_mandates and unit.kind == OrgUnitKind.DEPARTMENT:
            _replace_mandates(actor=actor, department=unit, sector_codes=default_sectors_for(unit.department_type))
    return unit


def update_org_unit(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's details; its kind is fixed once created."""
    unknown = set(fields) - set(ORG_UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        if actor is not None and not OrgUnit.objects.manageable_by(actor).filter(pk=locked.pk).exists():
            raise PermissionDenied(_("You cannot change this unit."))
        if "kind" in fields and fields["kind"] != locked.kind:
            raise ValidationError({"kind": _("The kind of a unit cannot be changed.")})
        before = audit.snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if "parent" in fields:
            _check_parent_manageable(actor, locked.parent)
            locked.derive_ancestors()
        locked.full_clean()
        locked.save()
        if "parent" in fields:
            _refresh_descendants(locked)
        after = audit.snapshot(locked)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if changed:
            audit.record(
                actor=actor,
                action="organizations.org_unit.update",
                obj=locked,
                org_unit=locked,
                before={k: before.get(k) for k in changed},
                after=changed,
            )
    return locked


def _refresh_descendants(unit: OrgUnit) -> None:
    for child in unit.children.all():
        child.derive_ancestors()
        child.save(update_fields=["city", "district", "updated_at"])
        _refresh_descendants(child)


def set_mandates(*, actor, department: OrgUnit, sector_codes: list[str]) -> list[str]:
    """Replace the sectors a department is mandated to supervise (the safety office decides)."""
    with transaction.atomic():
        locked = OrgUnit.objects.select_for_update().get(pk=department.pk)
        if not OrgUnit.objects.mandates_editable_by(actor).filter(pk=locked.pk).exists():
            raise PermissionDenied(_("You cannot change the mandates of this department."))
        return _replace_mandates(actor=actor, department=locked, sector_codes=sector_codes)


def _replace_mandates(*, actor, department: OrgUnit, sector_codes: list[str]) -> list[str]:
    if department.kind != OrgUnitKind.DEPARTMENT:
        raise ValidationError(_("Only an industry department carries sector mandates."))
    wanted = set(sector_codes)
    known = set(Sector.objects.filter(code__in=wanted).values_list("code", flat=True))
    if wanted - known:
        raise ValidationError(_("Unknown sector: %(codes)s") % {"codes": ", ".join(sorted(wanted - known))})
    current = set(department.mandates.values_list("sector_id", flat=True))
    if wanted == current:
        return sorted(current)
    department.mandates.filter(sector_id__in=current - wanted).delete()
    SectorMandate.objects.bulk_create(
        [SectorMandate(department=department, sector_id=code) for code in sorted(wanted - current)]
    )
    audit.record(
        actor=actor,
        action="organizations.mandates.set",
        obj=department,
        org_unit=department,
        before={"sectors": sorted(current)},
        after={"sectors": sorted(wanted)},
    )
    return sorted(wanted)


def ensure_sectors() -> None:
    """(Re)load the sectors of STANDARDS §1; the data migration does the same on a new database."""
    for order, (code, name, name_en) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order},
            # An enforcing department edited since is kept.
            create_defaults={
                "name": name,
                "name_en": name_en,
                "order": order,
                "enforcing_department_type": DEFAULT_ENFORCING_DEPARTMENT.get(code, ""),
            },
        )


def set_enforcing_department(*, actor, sector: Sector, department_type: str) -> Sector:
    """Name the department whose rectification notices order a hazard of this sector rectified (责令限期整改).
    The sectors are reference data every district shares: the city administrator keeps them."""
    if not is_city_admin(actor) or not getattr(actor, "is_active", False):
        raise PermissionDenied(_("Only the city administrator changes the reference data of the sectors."))
    if department_type not in DepartmentType.values:
        raise ValidationError({"enforcing_department_type": _("Choose a department type.")})
    with transaction.atomic():
        locked = Sector.objects.select_for_update().get(pk=sector.pk)
        before = locked.enforcing_department_type
        if before == department_type:
            return locked
        locked.enforcing_department_type = department_type
        locked.save(update_fields=["enforcing_department_type"])
        audit.record(
            actor=actor,
            action="organizations.sector.enforcing_department",
            obj=locked,
            org_unit=actor.org_unit,
            before={"enforcing_department_type": before},
            after={"enforcing_department_type": department_type},
        )
    return locked
