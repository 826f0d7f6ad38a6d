"""Every change to the registry: places, their status, who answers for them, disputes. Each audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit
from anjian.core.permissions import is_enterprise
from anjian.core.scoping import scope_of
from anjian.core.signals import chemical_inventory_changed
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import DisputeStatus, OverrideEffect, SiteStatus
from anjian.registry.models import (
    ChemicalInventory,
    ChemicalUnit,
    Enterprise,
    ResponsibilityDispute,
    Site,
    SiteSector,
    SiteStatusChange,
    SupervisionOverride,
)
from anjian.registry.standards import HAZARD_CATEGORY_CODES

SITE_FIELDS = {
    f.name
    for f in Site._meta.concrete_fields
    if f.name not in {"id", "created_at", "updated_at", "status", "risk_level", "risk_reason"}
}
ENTERPRISE_FIELDS = ("name", "credit_code", "legal_representative", "principal", "principal_mobile")


def _site_snapshot(site: Site) -> dict:
    data = audit.snapshot(site)
    data["sectors"] = sorted(f"{s.sector_id}:{s.subtype}" for s in site.site_sectors.all())
    return data


def _refuse_enterprise_accounts(actor) -> None:
    """An enterprise reports through inspections of its own (企业自查), it does not edit the registry."""
    if is_enterprise(actor):
        raise PermissionDenied(_("Enterprise accounts cannot change the registry."))


def check_district_editable(actor, district: OrgUnit) -> None:
    """Only staff with write scope over the district (city, safety office, its departments and streets)."""
    if actor is None:
        return
    _refuse_enterprise_accounts(actor)
    scope = scope_of(actor)
    if scope.read_only or scope.sees_nothing:
        raise PermissionDenied(_("You cannot register places."))
    if scope.city_id and district.city_id != scope.city_id:
        raise PermissionDenied(_("You cannot register places in this district."))
    if scope.district_id and scope.district_id != district.pk:
        raise PermissionDenied(_("You cannot register places in this district."))


def check_importer(actor, district: OrgUnit, refusal: str) -> None:
    """Who may import a file into a district (places, accidents): staff with write scope over it, as
    :func:`check_district_editable`; an enterprise account is refused first, with the import's own ``refusal``.
    ``actor`` None is the command line without --user: no limits."""
    if actor is None:
        return
    if is_enterprise(actor):
        raise PermissionDenied(refusal)
    check_district_editable(actor, district)


def may_change_enterprise(actor, enterprise: Enterprise) -> bool:
    """Only someone who may edit every place of an enterprise may change its record."""
    if actor is None:
        return True
    if is_enterprise(actor):
        return False
    return not enterprise.sites.exclude(pk__in=Site.objects.editable_by(actor).values("pk")).exists()


# What someone hears when a credit code belongs to an enterprise they cannot see: the same words wherever it is,
# nothing about it (not its name, its people or its district).
ENTERPRISE_OUT_OF_REACH = gettext_lazy(
    "An enterprise with this credit code is supervised outside your area, so the place cannot be linked to it "
    "here. Register the place without its enterprise and ask the district safety office or the city "
    "administrator to link it."
)


def enterprises_out_of_reach(actor, codes: Iterable[str]) -> set[str]:
    """The credit codes, among ``codes``, of stored enterprises the actor cannot see (``Enterprise.objects
    .visible_to``): a place is not linked to them (:func:`upsert_enterprise`). None for the command line."""
    if actor is None:
        return set()
    codes = sorted({code for code in codes if code})
    visible = Enterprise.objects.visible_to(actor).values("pk")
    found: set[str] = set()
    for start in range(0, len(codes), 500):
        found.update(
            Enterprise.objects.filter(credit_code__in=codes[start : start + 500])
            .exclude(pk__in=visible)
            .values_list("credit_code", flat=True)
        )
    return found


def upsert_enterprise(*, actor, data: dict[str, Any]) -> Enterprise:
    """Find the enterprise by credit code (and update it where the actor may), or create it.

    The rule of linking: a place is linked to an enterprise already registered only by someone who sees
    that enterprise, i.e. one of its places (``Enterprise.objects.visible_to``). Linking would otherwise show
    a stranger its people and mobiles and put the stranger's place into the enterprise's own account. Someone
    who does not see it is refused with :data:`ENTERPRISE_OUT_OF_REACH`, the same words wherever the
    enterprise is and nothing about it; no second enterprise is created either, since the credit code is
    national and unique. As a district does it: the place is registered without its enterprise, and the
    safety office of the district (the city administrator, across districts), who sees the enterprise's
    places, checks that it is the same legal person and links it by editing the place.

    A different name for an enterprise the actor sees is an error naming the registered one (the actor reads
    it anyway); blank values never overwrite; an enterprise with places outside the actor's reach for
    changes is linked to, never changed. The imports apply the same rule through
    :func:`enterprises_out_of_reach`.
    """
    code = data["credit_code"]
    enterprise = Enterprise.objects.select_for_update().filter(credit_code=code).first()
    if enterprise is not None and code in enterprises_out_of_reach(actor, [code]):
        raise ValidationError({"credit_code": ENTERPRISE_OUT_OF_REACH})
    before = audit.snapshot(enterprise) if enterprise else None
    if enterprise is None:
        enterprise = Enterprise(credit_code=code)
    else:
        name = (data.get("name") or "").strip()
        if name and name != enterprise.name and not may_change_enterprise(actor, enterprise):
            raise ValidationError(
                {
                    "credit_code": _("Credit code %(code)s is registered to “%(name)s”.")
                    % {"code": code, "name": enterprise.name}
                }
            )
        if not may_change_enterprise(actor, enterprise):
            return enterprise
    for name in ENTERPRISE_FIELDS:
        value = data.get(name)
        if value not in (None, "") and "*" not in str(value):  # blanks and masked values never overwrite
            setattr(enterprise, name, value)
    enterprise.full_clean()
    enterprise.save()
    after = audit.snapshot(enterprise)
    if before != after:
        audit.record(
            actor=actor,
            action="registry.enterprise.update" if before else "registry.enterprise.create",
            obj=enterprise,
            before=before,
            after=after,
        )
    return enterprise


def _set_sectors(site: Site, sectors: list[tuple[str, str]]) -> None:
    if not sectors:
        raise ValidationError({"sectors": _("A place belongs to at least one sector.")})
    rows = []
    seen = set()
    for code, subtype in sectors:
        if code in seen:
            continue
        seen.add(code)
        row = SiteSector(site=site, sector_id=code, subtype=subtype or "")
        row.clean()
        rows.append(row)
    site.site_sectors.all().delete()
    SiteSector.objects.bulk_create(rows)


def create_site(
    *, actor, fields: dict[str, Any], sectors: list[tuple[str, str]], enterprise: dict | None = None
) -> Site:
    """Register a place with its sectors (and its enterprise, found or created by credit code)."""
    unknown = set(fields) - SITE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        site = Site(**fields)
        check_district_editable(actor, site.district)
        if enterprise:
            site.enterprise = upsert_enterprise(actor=actor, data=enterprise)
        site.full_clean()
        site.save()
        _set_sectors(site, sectors)
        SiteStatusChange.objects.create(site=site, from_status="", to_status=site.status, changed_by=actor)
        audit.record(actor=actor, action="registry.site.create", obj=site, after=_site_snapshot(site))
    return site


def update_site(
    *,
    actor,
    site: Site,
    fields: dict[str, Any],
    sectors: list[tuple[str, str]] | None = None,
    enterprise: dict | None = None,
) -> Site:
    """Change a place the actor may edit; its status changes only through change_status."""
    unknown = set(fields) - SITE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _refuse_enterprise_accounts(actor)
    with transaction.atomic():
        locked = Site.objects.editable_by(actor).select_for_update().filter(pk=site.pk).first() if actor else None
        if actor is None:
            locked = Site.objects.select_for_update().get(pk=site.pk)
        if locked is None:
            raise PermissionDenied(_("You cannot change this place."))
        before = _site_snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if enterprise:
            locked.enterprise = upsert_enterprise(actor=actor, data=enterprise)
        if "district" in fields:
            check_district_editable(actor, locked.district)
        locked.full_clean()
        locked.save()
        if sectors is not None:
            _set_sectors(locked, sectors)
        after = _site_snapshot(locked)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if changed:
            audit.record(
                actor=actor,
                action="registry.site.update",
                obj=locked,
                before={k: before.get(k) for k in changed},
                after=changed,
            )
    return locked


# Status moves: a demolished place stays demolished; a closed one may only be demolished.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    SiteStatus.OPERATING: {SiteStatus.SUSPENDED, SiteStatus.CLOSED, SiteStatus.DEMOLISHED},
    SiteStatus.SUSPENDED: {SiteStatus.OPERATING, SiteStatus.CLOSED, SiteStatus.DEMOLISHED},
    SiteStatus.CLOSED: {SiteStatus.DEMOLISHED},
    SiteStatus.DEMOLISHED: set(),
}


def change_status(*, actor, site: Site, to_status: str, reason: str) -> Site:
    """Move a place between operating, suspended, closed and demolished, keeping the history."""
    _refuse_enterprise_accounts(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change of status.")})
    with transaction.atomic():
        locked = Site.objects.editable_by(actor).select_for_update().filter(pk=site.pk).first()
        if locked is None:
            raise PermissionDenied(_("You cannot change this place."))
        allowed = STATUS_TRANSITIONS[locked.status]
        if to_status not in allowed:
            names = "、".join(str(SiteStatus(s).label) for s in sorted(allowed)) or _("none")
            raise ValidationError(
                _("A place that is “%(current)s” cannot become “%(target)s”; allowed: %(allowed)s.")
                % {
                    "current": SiteStatus(locked.status).label,
                    "target": SiteStatus(to_status).label if to_status in SiteStatus.values else to_status,
                    "allowed": names,
                }
            )
        SiteStatusChange.objects.create(
            site=locked, from_status=locked.status, to_status=to_status, reason=reason, changed_by=actor
        )
        audit.record(
            actor=actor,
            action="registry.site.status",
            obj=locked,
            before={"status": locked.status},
            after={"status": to_status, "reason": reason},
        )
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
    return locked


def _require_decider(actor, site: Site) -> None:
    if not getattr(actor, "can_decide_responsibility", False):
        raise PermissionDenied(_("Only the safety office decides who answers for a place."))
    if not Site.objects.editable_by(actor).filter(pk=site.pk).exists():
        raise PermissionDenied(_("You cannot change this place."))


def assign_department(*, actor, site: Site, sector_code: str, department: OrgUnit, reason: str) -> SupervisionOverride:
    """Close a supervision gap: this department answers for this place in this sector (audited)."""
    _require_decider(actor, site)
    if department.kind != OrgUnitKind.DEPARTMENT or department.district_id != site.district_id:
        raise ValidationError({"department": _("Choose an industry department of the place's district.")})
    if not site.site_sectors.filter(sector_id=sector_code).exists():
        raise ValidationError({"sector": _("The place does not belong to this sector.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the assignment.")})
    with transaction.atomic():
        override, _created = SupervisionOverride.objects.update_or_create(
            site=site,
            sector_id=sector_code,
            department=department,
            defaults={"effect": OverrideEffect.ASSIGN, "reason": reason, "created_by": actor},
        )
        audit.record(
            actor=actor,
            action="registry.supervision.assign",
            obj=site,
            after={"sector": sector_code, "department": department.pk, "reason": reason},
        )
    return override


def assign_territory(*, actor, site: Site, territory: OrgUnit, reason: str) -> Site:
    """Close a gap of 属地管理: put the place under a street or park of its district (audited)."""
    _require_decider(actor, site)
    if territory.kind not in TERRITORIAL_KINDS or territory.district_id != site.district_id:
        raise ValidationError({"territory": _("Choose a street or park of the place's district.")})
    with transaction.atomic():
        locked = Site.objects.select_for_update().get(pk=site.pk)
        before = locked.territory_id
        locked.territory = territory
        locked.full_clean()  # e.g. the place's point must lie inside the street's boundary
        locked.save(update_fields=["territory", "updated_at"])
        audit.record(
            actor=actor,
            action="registry.territory.assign",
            obj=locked,
            before={"territory": before},
            after={"territory": territory.pk, "reason": reason},
        )
    return locked


def raise_dispute(
    *, actor, site: Site, reason: str, sector_code: str | None = None, proposed_unit: OrgUnit | None = None
) -> ResponsibilityDispute:
    """A unit says the place is not its responsibility; the safety office will decide."""
    unit = actor.org_unit
    # Only a supervising unit can say "not mine": a department, street or park (never an enterprise).
    if unit is None or unit.kind not in (OrgUnitKind.DEPARTMENT, *TERRITORIAL_KINDS) or scope_of(actor).read_only:
        raise PermissionDenied(_("You cannot dispute responsibility."))
    if not Site.objects.visible_to(actor).filter(pk=site.pk).exists():
        raise PermissionDenied(_("You cannot dispute responsibility for this place."))
    if not reason.strip():
        raise ValidationError({"reason": _("Explain why your unit is not responsible.")})
    with transaction.atomic():
        if ResponsibilityDispute.objects.filter(
            site=site, raised_by_unit=actor.org_unit, status=DisputeStatus.OPEN
        ).exists():
            raise ValidationError(_("Your unit already has an open dispute about this place."))
        dispute = ResponsibilityDispute.objects.create(
            site=site,
            sector_id=sector_code,
            raised_by_unit=actor.org_unit,
            raised_by=actor,
            reason=reason,
            proposed_unit=proposed_unit,
        )
        audit.record(
            actor=actor,
            action="registry.dispute.raise",
            obj=dispute,
            after={"site": site.pk, "sector": sector_code, "reason": reason},
        )
    return dispute


def decide_dispute(
    *, actor, dispute: ResponsibilityDispute, responsible_unit: OrgUnit, decision: str
) -> ResponsibilityDispute:
    """The safety office names the responsible unit; the mandates get a recorded exception."""
    with transaction.atomic():
        locked = ResponsibilityDispute.objects.select_for_update().select_related("site").get(pk=dispute.pk)
        if locked.status != DisputeStatus.OPEN:
            raise ValidationError(
                _("This dispute is already “%(status)s”.") % {"status": DisputeStatus(locked.status).label}
            )
        _require_decider(actor, locked.site)
        if not decision.strip():
            raise ValidationError({"decision": _("Write down the decision.")})
        site = locked.site
        raiser = locked.raised_by_unit
        if responsible_unit.kind in TERRITORIAL_KINDS:
            assign_territory(actor=actor, site=site, territory=responsible_unit, reason=decision)
            if raiser.kind == OrgUnitKind.DEPARTMENT:
                # The department said "not mine" and was heard: it stops answering for the disputed sector(s).
                sectors = (
                    [locked.sector_id]
                    if locked.sector_id
                    else list(site.site_sectors.values_list("sector_id", flat=True))
                )
                for sector in sectors:
                    SupervisionOverride.objects.update_or_create(
                        site=site,
                        sector_id=sector,
                        department=raiser,
                        defaults={"effect": OverrideEffect.EXCLUDE, "reason": decision, "created_by": actor},
                    )
        elif responsible_unit.kind == OrgUnitKind.DEPARTMENT:
            sector = locked.sector_id or site.site_sectors.values_list("sector_id", flat=True).first()
            assign_department(actor=actor, site=site, sector_code=sector, department=responsible_unit, reason=decision)
            if raiser.pk != responsible_unit.pk and raiser.kind == OrgUnitKind.DEPARTMENT:
                SupervisionOverride.objects.update_or_create(
                    site=site,
                    sector_id=sector,
                    department=raiser,
                    defaults={"effect": OverrideEffect.EXCLUDE, "reason": decision, "created_by": actor},
                )
        else:
            raise ValidationError({"responsible_unit": _("Choose a department, street or park.")})
        locked.status = DisputeStatus.DECIDED
        locked.responsible_unit = responsible_unit
        locked.decision = decision
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            action="registry.dispute.decide",
            obj=locked,
            after={"responsible_unit": responsible_unit.pk, "decision": decision},
        )
    return locked


def set_chemical_inventory(*, actor, site: Site, rows: list[dict[str, Any]]) -> int:
    """Replace the production/storage units and their substances (GB 18218 identifies per unit).

    ``rows`` are flat (unit name, unit kind, people within 500 m, substance, CAS number, GB 18218 hazard
    category, maximum tonnes); rows with the same unit name form one unit, and the unit's headcount may be
    given on any one of its rows. Everything is validated before the old inventory goes. After the commit
    ``chemical_inventory_changed`` lets the risk module identify major hazard installations again.
    """
    _refuse_enterprise_accounts(actor)
    errors: dict[str, list[str]] = {}
    units: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows, start=1):
        name = (row.get("unit_name") or "").strip()
        kind = row.get("unit_kind") or ""
        unit = units.setdefault(name, {"kind": kind, "items": [], "people": None})
        if unit["kind"] != kind:
            errors.setdefault("__all__", []).append(
                _("Line %(n)s: unit “%(unit)s” is given two kinds.") % {"n": index, "unit": name}
            )
        people = row.get("people_within_500m")
        if people not in (None, ""):
            if unit["people"] is not None and unit["people"] != people:
                errors.setdefault("__all__", []).append(
                    _("Line %(n)s: unit “%(unit)s” is given two numbers of people within 500 m.")
                    % {"n": index, "unit": name}
                )
            unit["people"] = people
        item = ChemicalInventory(
            substance=(row.get("substance") or "").strip(),
            cas_number=(row.get("cas_number") or "").strip(),
            hazard_category=(row.get("hazard_category") or "").strip(),
            max_quantity_t=row.get("max_quantity_t"),
        )
        if item.hazard_category and item.hazard_category not in HAZARD_CATEGORY_CODES:
            errors.setdefault("__all__", []).append(
                _("Line %(n)s: “%(code)s” is not a GB 18218 hazard category.")
                % {"n": index, "code": item.hazard_category}
            )
        try:
            item.full_clean(exclude=["unit"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                errors.setdefault("__all__", []).extend(f"{index}: {m}" for m in messages)
        unit["items"].append(item)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Site.objects.editable_by(actor).select_for_update().filter(pk=site.pk).first() if actor else site
        if locked is None:
            raise PermissionDenied(_("You cannot change this place."))
        before = [
            [
                u.name,
                u.kind,
                u.people_within_500m,
                [[i.substance, i.cas_number, i.hazard_category, str(i.max_quantity_t)] for i in u.inventory.all()],
            ]
            for u in locked.chemical_units.prefetch_related("inventory").order_by("name")
        ]
        # Units keep their identity across edits, keyed by their name (unique within the place): a unit that
        # stays is updated in place and only its lines are replaced, so the major hazard installation of that
        # unit, its page and its history keep their id. Units no longer named are removed.
        existing = {unit.name: unit for unit in locked.chemical_units.all()}
        locked.chemical_units.exclude(name__in=list(units)).delete()
        ChemicalInventory.objects.filter(unit__site=locked).delete()
        for name, spec in units.items():
            unit = existing.get(name) or ChemicalUnit(site=locked, name=name)
            unit.kind, unit.people_within_500m = spec["kind"], spec["people"]
            unit.full_clean()
            unit.save()
            for item in spec["items"]:
                item.unit = unit
            ChemicalInventory.objects.bulk_create(spec["items"])
        after = [
            [
                name,
                spec["kind"],
                spec["people"],
                [[i.substance, i.cas_number, i.hazard_category, str(i.max_quantity_t)] for i in spec["items"]],
            ]
            for name, spec in sorted(units.items())
        ]
        audit.record(
            actor=actor, action="registry.site.chemicals", obj=locked, before={"units": before}, after={"units": after}
        )
        site_ids = [locked.pk]
        transaction.on_commit(lambda: chemical_inventory_changed.send(sender=ChemicalUnit, site_ids=site_ids))
    return sum(len(spec["items"]) for spec in units.values())
