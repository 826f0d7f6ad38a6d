"""The write pass of the places' import: everything in one transaction, in bulk — enterprises upserted by credit
code, new places with their sectors and first status, registered places updated, chemical inventories replaced —
and one audit record for the whole file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit, audit_labels
from anjian.core.imports.results import ImportResult
from anjian.core.imports.writer import BATCH, chunks, insert_rows, update_rows
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.imports.columns import ENTERPRISE_KEYS, INDEX, SITE_KEYS
from anjian.registry.imports.matching import Plan
from anjian.registry.models import ChemicalInventory, ChemicalUnit, Enterprise, Site, SiteSector, SiteStatusChange

audit_labels.register({"registry.site.import": gettext_lazy("Imported places")})

SITE_INSERT = ["created_at", "updated_at", "district", "territory", "enterprise", "status", "risk_level", "risk_reason"]


@dataclass
class SiteImportResult(ImportResult):
    enterprises_created: int = 0
    enterprises_updated: int = 0
    chemical_units: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "enterprises_created": self.enterprises_created,
            "enterprises_updated": self.enterprises_updated,
            "chemical_units": self.chemical_units,
        }


def write_plan(
    *,
    actor,
    district: OrgUnit,
    plan: Plan,
    result: SiteImportResult,
    job,
    on_written: Callable[[ImportResult], None] | None = None,
) -> None:
    """Everything in one transaction, in bulk; one audit record (see the comment at the end)."""
    rows = plan.rows
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic():
        # Enterprises, upserted by credit code.
        enterprise_ids: dict[str, int] = {}
        codes = list(plan.enterprises)
        to_update: list[Enterprise] = []
        updated_fields: set[str] = set()
        for chunk in chunks(codes):
            for enterprise in Enterprise.objects.filter(credit_code__in=chunk):
                enterprise_ids[enterprise.credit_code] = enterprise.pk
                changed = False
                for name, value in plan.enterprises[enterprise.credit_code].items():
                    if getattr(enterprise, name) != value:
                        setattr(enterprise, name, value)
                        updated_fields.add(name)
                        changed = True
                if changed:
                    to_update.append(enterprise)
        if to_update:
            Enterprise.objects.bulk_update(to_update, sorted(updated_fields), batch_size=BATCH)
        result.enterprises_updated = len(to_update)
        new_codes = [c for c in codes if c not in enterprise_ids]
        names = ["created_at", "updated_at", "credit_code", *ENTERPRISE_KEYS.values()]
        new_ids = insert_rows(
            Enterprise,
            names,
            [
                (now, now, code, *(plan.enterprises[code].get(n) or "" for n in ENTERPRISE_KEYS.values()))
                for code in new_codes
            ],
        )
        enterprise_ids.update(zip(new_codes, new_ids, strict=True))
        result.enterprises_created = len(new_codes)

        # New places, with their sectors and the first entry of their status history.
        creating = [i for i in range(len(rows)) if i not in plan.matches]
        # Every column for new places: an absent column gives the field's empty value (NOT NULL texts get "").
        site_keys = list(SITE_KEYS)
        nullable = {k: Site._meta.get_field(k).null for k in site_keys}
        for chunk in chunks(creating, BATCH * 5):
            site_rows = []
            statuses = []
            for i in chunk:
                values = rows[i].values
                code = values[INDEX["credit_code"]]
                status = values[INDEX["status"]] or SiteStatus.OPERATING
                statuses.append(status)
                site_rows.append(
                    (
                        now,
                        now,
                        district.pk,
                        values[INDEX["territory"]],
                        enterprise_ids.get(code) if code else None,
                        status,
                        "",
                        "",
                        *(
                            values[INDEX[k]] if values[INDEX[k]] is not None else (None if nullable[k] else "")
                            for k in site_keys
                        ),
                    )
                )
            ids = insert_rows(Site, SITE_INSERT + site_keys, site_rows)
            del site_rows
            insert_rows(
                SiteSector,
                ["site", "sector", "subtype"],
                [
                    (pk, code, subtype)
                    for pk, i in zip(ids, chunk, strict=True)
                    for code, subtype in rows[i].values[INDEX["sectors"]]
                ],
            )
            insert_rows(
                SiteStatusChange,
                ["site", "from_status", "to_status", "reason", "changed_by", "changed_at"],
                [(pk, "", status, "", actor_id, now) for pk, status in zip(ids, statuses, strict=True)],
            )
            for pk, i in zip(ids, chunk, strict=True):
                plan.matches.setdefault(i, pk)
        result.created = len(creating)

        # Places that were already registered: updated in bulk, their sectors replaced.
        updating = list(plan.existing_status)
        reason = _("Import of %(file)s") % {"file": result.filename or "-"}
        update_keys = [k for k in site_keys if k != "external_id"]
        for chunk in chunks(updating, BATCH * 5):
            ids = [plan.matches[i] for i in chunk]
            with_enterprise, without_enterprise, history = [], [], []
            for i in chunk:
                values = rows[i].values
                pk = plan.matches[i]
                old_status = plan.existing_status[i]
                status = values[INDEX["status"]] or old_status
                if status != old_status:
                    history.append((pk, old_status, status, reason, actor_id, now))
                fields = (
                    now,
                    values[INDEX["territory"]],
                    status,
                    *(
                        values[INDEX[k]] if values[INDEX[k]] is not None else (None if nullable[k] else "")
                        for k in update_keys
                    ),
                )
                if values[INDEX["external_id"]] is not None:
                    fields = (*fields, values[INDEX["external_id"]])
                code = values[INDEX["credit_code"]]
                # An empty credit code keeps the stored enterprise (a cell left blank is not an unlinking).
                (with_enterprise if code else without_enterprise).append(
                    (fields, enterprise_ids[code] if code else None, pk, values[INDEX["external_id"]] is not None)
                )
            base = ["updated_at", "territory", "status", *update_keys]
            for group, link in ((with_enterprise, True), (without_enterprise, False)):
                for has_external in (True, False):
                    part = [g for g in group if g[3] is has_external]
                    names = base + (["external_id"] if has_external else []) + (["enterprise"] if link else [])
                    update_rows(
                        Site,
                        names,
                        [(*fields, *((enterprise,) if link else ()), pk) for fields, enterprise, pk, _e in part],
                    )
            for part_ids in chunks(ids):
                SiteSector.objects.filter(site_id__in=part_ids).delete()
            insert_rows(
                SiteSector,
                ["site", "sector", "subtype"],
                [(plan.matches[i], code, subtype) for i in chunk for code, subtype in rows[i].values[INDEX["sectors"]]],
            )
            insert_rows(
                SiteStatusChange, ["site", "from_status", "to_status", "reason", "changed_by", "changed_at"], history
            )
        result.updated = len(updating)

        # Chemical inventories: the sheet replaces the units of the places it names. A unit named again (same
        # place, same name) keeps its row and id, so its major hazard installation and links to it survive;
        # only its lines are replaced. Units the sheet no longer names are removed.
        if plan.chemicals:
            site_ids = [plan.matches[i] for i in plan.chemicals]
            wanted = {
                (plan.matches[i], name): (kind, entries)
                for i, site_units in plan.chemicals.items()
                for name, kind, entries in site_units
            }
            existing: dict[tuple[int, str], int] = {}
            for chunk in chunks(site_ids):
                for pk, site_id, name in ChemicalUnit.objects.filter(site_id__in=chunk).values_list(
                    "pk", "site_id", "name"
                ):
                    existing[(site_id, name)] = pk
            stale = [pk for key, pk in existing.items() if key not in wanted]
            kept = {key: pk for key, pk in existing.items() if key in wanted}
            for chunk in chunks(stale):
                ChemicalUnit.objects.filter(pk__in=chunk).delete()
            for chunk in chunks(list(kept.values())):
                ChemicalInventory.objects.filter(unit_id__in=chunk).delete()
            ChemicalUnit.objects.bulk_update(
                [ChemicalUnit(pk=pk, kind=wanted[key][0]) for key, pk in kept.items()], ["kind"], batch_size=BATCH
            )
            created = ChemicalUnit.objects.bulk_create(
                [
                    ChemicalUnit(site_id=site_id, name=name, kind=kind)
                    for (site_id, name), (kind, _entries) in wanted.items()
                    if (site_id, name) not in kept
                ],
                batch_size=BATCH,
            )
            unit_ids = {**kept, **{(unit.site_id, unit.name): unit.pk for unit in created}}
            ChemicalInventory.objects.bulk_create(
                [
                    ChemicalInventory(
                        unit_id=unit_ids[key], substance=substance, cas_number=cas, max_quantity_t=quantity
                    )
                    for key, (_kind, entries) in wanted.items()
                    for substance, cas, quantity in entries
                ],
                batch_size=BATCH,
            )
            result.chemical_units = len(wanted)

        # One audit record for the whole import, not one per row: per-row records would make a
        # 100,000-row import unusable (each append locks and extends the hash chain). The record
        # names the file by its SHA-256 and the job, whose page lists the counts.
        audit.record(
            actor=actor,
            action="registry.site.import",
            obj=job,
            object_type="" if job else "registry.import",
            object_repr=(result.filename or "-")[:300],
            after={**result.summary(), "ok": True, "district": district.pk, "job": getattr(job, "pk", None)},
        )
        if on_written is not None:
            on_written(result)
