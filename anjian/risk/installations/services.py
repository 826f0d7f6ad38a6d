"""The services of major hazard installations: ``identify_sites`` (re)writes the ``MajorHazardSource`` rows of
given places (or of all of them, nightly), ``update_substance`` corrects a catalogue entry with its audit record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.registry.models import ChemicalInventory, ChemicalUnit
from anjian.risk import substances
from anjian.risk.installations.grading import Catalogue, evaluate_unit, lines_of
from anjian.risk.models import HazardousSubstance, MajorHazardSource

CHUNK = 2000


@dataclass
class IdentificationSummary:
    units: int = 0
    major: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    unidentifiable_lines: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def identify_sites(*, site_ids: Iterable[int] | None = None, catalogue: Catalogue | None = None) -> dict[str, int]:
    """GB 18218-2018: identify every chemical unit of the given places (all places when ``site_ids`` is None)
    and rewrite their ``MajorHazardSource`` rows: create or update the units with S ≥ 1, delete the rest.

    Set-based: the catalogue is read once; units come in chunks with their inventory and place prefetched; the
    rows are written with bulk_create / bulk_update / one delete per chunk; row ids of units that stay major
    are kept (their pages and API addresses stay valid), with their first identification time.
    """
    catalogue = catalogue or Catalogue.load()
    summary = IdentificationSummary()
    units = ChemicalUnit.objects.select_related("site").prefetch_related("inventory").order_by("pk")
    if site_ids is not None:
        site_ids = sorted(set(site_ids))
        units = units.filter(site_id__in=site_ids)
    last = 0
    while True:
        chunk = list(units.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        _identify_chunk(chunk, catalogue, summary)
    # Rows whose unit moved away from the given places cannot exist (the unit is OneToOne); rows of units that
    # were deleted go with them (CASCADE). Nothing else to sweep.
    return summary.as_dict()


@transaction.atomic
def _identify_chunk(chunk: list[ChemicalUnit], catalogue: Catalogue, summary: IdentificationSummary) -> None:
    existing = {row.unit_id: row for row in MajorHazardSource.objects.filter(unit__in=chunk).select_for_update()}
    now = timezone.now()
    create, update, keep = [], [], set()
    for unit in chunk:
        result = evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue)
        summary.units += 1
        summary.unidentifiable_lines += len(result.unidentifiable)
        if not result.is_major:
            continue
        summary.major += 1
        values = {
            "site_id": unit.site_id,
            "district_id": unit.site.district_id,
            "s_value": result.s_value,
            "r_value": result.r_value,
            "alpha": result.alpha,
            "people_within_500m": unit.people_within_500m,
            "level": result.level,
        }
        row = existing.get(unit.pk)
        if row is None:
            create.append(MajorHazardSource(unit_id=unit.pk, identified_at=now, **values))
        else:
            keep.add(row.pk)
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                update.append(row)
    stale = [row.pk for row in existing.values() if row.pk not in keep]
    if stale:
        MajorHazardSource.objects.filter(pk__in=stale).delete()
    MajorHazardSource.objects.bulk_create(create)
    MajorHazardSource.objects.bulk_update(
        update, ["site_id", "district_id", "s_value", "r_value", "alpha", "people_within_500m", "level"]
    )
    summary.created += len(create)
    summary.updated += len(update)
    summary.removed += len(stale)


def on_chemical_inventory_changed(sender, site_ids=(), **kwargs) -> None:
    """Receiver of ``core.signals.chemical_inventory_changed``: identify the changed places' units again.
    One place's units are a handful of queries, cheap enough to run after the commit of the edit."""
    if site_ids:
        identify_sites(site_ids=site_ids)


SUBSTANCE_FIELDS = ("aliases", "cas_number", "critical_quantity_t", "hazard_category", "beta", "source")


def update_substance(*, actor, substance: HazardousSubstance, data: dict[str, Any]) -> HazardousSubstance:
    """Correct one catalogue entry (GB 18218-2018 Table 1 values marked "check"), audited with before and after,
    then identify again the places holding it (by CAS number or name). The catalogue is the same for every
    district, so only the city administrator corrects it (``edits_city_reference_data``)."""
    if not edits_city_reference_data(actor):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)
    errors: dict[str, str] = {}
    with transaction.atomic():
        locked = HazardousSubstance.objects.select_for_update().get(pk=substance.pk)
        before = audit.snapshot(locked, list(SUBSTANCE_FIELDS))
        old_names = [locked.name, *locked.alias_list]
        old_cas = locked.cas_number
        for name in SUBSTANCE_FIELDS:
            if name in data:
                value = data[name]
                if isinstance(value, str):
                    value = value.strip()
                if name == "beta" and value == "":
                    value = None  # blank: the category's β of Table 4 applies
                setattr(locked, name, "" if value is None and name != "beta" else value)
        try:
            locked.full_clean(validate_constraints=False)
        except ValidationError as error:
            errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
        if "hazard_category" not in errors and locked.hazard_category not in ("", *substances.TABLE2_Q):
            errors["hazard_category"] = _("“%(code)s” is not a GB 18218 hazard category.") % {
                "code": locked.hazard_category
            }
        if "critical_quantity_t" not in errors and locked.critical_quantity_t <= 0:
            errors["critical_quantity_t"] = _("The critical quantity must be more than 0 t.")
        if "beta" not in errors and locked.beta is not None and locked.beta <= 0:
            errors["beta"] = _("β must be more than 0, or left blank for the category's β.")
        if errors:
            raise ValidationError(errors)
        locked.edited_by = actor
        locked.edited_at = timezone.now()
        locked.save()
        locked.refresh_from_db()  # the stored precision (10 → 10.000) is what the audit row compares
        audit.record(
            actor=actor,
            action="risk.substance.update",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, list(SUBSTANCE_FIELDS)),
        )
        names = {*old_names, locked.name, *locked.alias_list}
        cas = {c for c in (old_cas, locked.cas_number) if c}
        transaction.on_commit(lambda: identify_sites(site_ids=_sites_holding(names, cas)))
    return locked


def _sites_holding(names: set[str], cas_numbers: set[str]) -> list[int]:
    """Places with a line naming the substance (by CAS number or by name or alias)."""
    query = Q(cas_number__in=cas_numbers) if cas_numbers else Q(pk__in=[])
    for name in names:
        query |= Q(substance__iexact=name)
    return list(ChemicalInventory.objects.filter(query).values_list("unit__site_id", flat=True).distinct().order_by())
