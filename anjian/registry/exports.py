"""Export of supervised places to .xlsx (issue: registry, item 4).

The workbook has the import template's sheets and headers, so an export can be edited
and imported again. It holds exactly what the user's scope and filters select, is
written with openpyxl's write-only mode into a temporary file (memory does not grow
with the rows) and reads the places in chunks with their sectors prefetched (the
number of queries does not grow with the rows shown). Text cells that a spreadsheet
would run as a formula are escaped.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from anjian.core import audit_labels, xlsx
from anjian.core.xlsx import escape_cell
from anjian.registry import masking, standards
from anjian.registry.imports.columns import (
    BUSINESS_USE_LABELS,
    CHEMICAL_COLUMNS,
    CHEMICAL_SHEET,
    COLUMNS,
    DANGER_LABELS,
    MAIN_SHEET,
    STATUS_LABELS,
    STRUCTURE_LABELS,
    UNIT_KIND_LABELS,
)
from anjian.registry.models import ChemicalInventory

audit_labels.register({"registry.site.export": gettext_lazy("Exported places")})

CHUNK = xlsx.CHUNK
CHOICE_LABELS = {
    "status": STATUS_LABELS,
    "structure_type": STRUCTURE_LABELS,
    "business_use": BUSINESS_USE_LABELS,
    "danger_type": DANGER_LABELS,
}


def _subtypes(site_sectors) -> str:
    """Bare labels, or "行业:细分" where another sector of the place has a subtype of that label."""
    parts = []
    for row in site_sectors:
        if not row.subtype:
            continue
        label = standards.subtype_label(row.sector_id, row.subtype)
        ambiguous = any(
            other.sector_id != row.sector_id
            and label in {lbl for _c, lbl in standards.SUBTYPES.get(other.sector_id, [])}
            for other in site_sectors
        )
        parts.append(f"{row.sector.name}:{label}" if ambiguous else label)
    return "、".join(parts)


def site_row(site, *, mask: bool) -> list[Any]:
    enterprise = site.enterprise
    site_sectors = list(site.site_sectors.all())
    values: dict[str, Any] = {
        "credit_code": enterprise.credit_code if enterprise else "",
        "enterprise_name": enterprise.name if enterprise else "",
        "legal_representative": enterprise.legal_representative if enterprise else "",
        "principal": enterprise.principal if enterprise else "",
        "principal_mobile": enterprise.principal_mobile if enterprise else "",
        "territory": site.territory.name if site.territory_id else "",
        "sectors": "、".join(row.sector.name for row in site_sectors),
        "subtypes": _subtypes(site_sectors),
    }
    if mask:
        values["legal_representative"] = masking.mask_name(values["legal_representative"])
        values["principal"] = masking.mask_name(values["principal"])
        values["principal_mobile"] = masking.mask_mobile(values["principal_mobile"])
    row = []
    for column in COLUMNS:
        if column.key in values:
            value = values[column.key]
        else:
            value = getattr(site, column.key)
            if column.key in CHOICE_LABELS and value:
                value = CHOICE_LABELS[column.key].get(value, value)
        row.append(escape_cell(value if value is not None else ""))
    return row


def write_sites_xlsx(*, queryset, mask: bool = False):
    """Write the places of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(MAIN_SHEET)
    xlsx.append_header(sheet, (column.header for column in COLUMNS))
    count = 0
    # iterator(chunk_size) with the queryset's prefetch: one query for the places and one per
    # prefetch for each chunk of CHUNK places, never per place.
    for site in queryset.iterator(chunk_size=CHUNK):
        sheet.append(site_row(site, mask=mask))
        count += 1

    chemicals = workbook.create_sheet(CHEMICAL_SHEET)
    xlsx.append_header(chemicals, (column.header for column in CHEMICAL_COLUMNS))
    inventory = (
        ChemicalInventory.objects.filter(unit__site__in=queryset.order_by().values("pk"))
        .select_related("unit__site__enterprise")
        .order_by("unit__site_id", "unit_id", "id")
    )
    for item in inventory.iterator(chunk_size=CHUNK):
        unit = item.unit
        site = unit.site
        chemicals.append(
            xlsx.escape_row(
                (
                    site.external_id or "",
                    site.name,
                    site.enterprise.credit_code if site.enterprise_id else "",
                    unit.name,
                    UNIT_KIND_LABELS.get(unit.kind, unit.kind),
                    item.substance,
                    item.cas_number,
                    item.max_quantity_t,
                )
            )
        )
    return xlsx.spooled(workbook), count


def export_sites(*, actor, queryset, filters: dict[str, Any]):
    """Export what the actor's scope and filters select, and audit who exported how many with which filters."""
    mask = not masking.sees_personal_data(actor)  # the rule of the pages and the API (registry.masking)
    handle, count = write_sites_xlsx(queryset=queryset, mask=mask)
    xlsx.record_export(
        actor=actor,
        action="registry.site.export",
        object_type="registry.site",
        what="places",
        count=count,
        filters=filters,
        masked=mask,
    )
    return handle, count
