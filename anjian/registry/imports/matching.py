"""Re-import updates instead of duplicating: the checked rows of the places' import matched to the places and
enterprises already registered, within the importer's reach, into the plan the writer carries out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from anjian.core.imports.results import ImportResult, RowError
from anjian.core.imports.writer import chunks
from anjian.organizations.models import OrgUnit
from anjian.registry.imports.checking import Checked, CheckedFile
from anjian.registry.imports.columns import ENTERPRISE_KEYS, INDEX, STATUS_LABELS
from anjian.registry.models import EXTERNAL_ID_TAKEN, Enterprise, Site
from anjian.registry.services import ENTERPRISE_OUT_OF_REACH, STATUS_TRANSITIONS, enterprises_out_of_reach


@dataclass
class Plan:
    rows: list[Checked]
    present: set[str]
    matches: dict[int, int]  # index in rows → existing site id
    existing_status: dict[int, str]
    enterprises: dict[str, dict[str, Any]]  # credit code → fields from the file (first non-empty wins)
    chemicals: dict[int, list[tuple[str, str, list[tuple[str, str, Decimal]]]]]  # row index → units


def plan_import(*, actor, district: OrgUnit, checked: CheckedFile, result: ImportResult) -> Plan | None:
    """The plan of a file whose rows are all good, or None when matching them found errors."""
    plan = Plan(
        rows=checked.rows,
        present=checked.present,
        matches={},
        existing_status={},
        enterprises={},
        chemicals=checked.chemicals,
    )
    match_existing(actor=actor, district=district, plan=plan, result=result)
    return None if result.error_count else plan


def match_existing(*, actor, district, plan: Plan, result: ImportResult) -> None:
    """Re-import updates instead of duplicating: by external id, else by (credit code, place name).

    Nothing here tells the importer what exists beyond their reach. External ids are the district's ledger
    numbers (unique per district), so only the import's district is searched, and a number held by a place the
    importer cannot change gets the same words as in the form (:data:`EXTERNAL_ID_TAKEN`), naming nothing of
    that place. The credit code and name match only places the importer sees, as in the accident import: one
    outside their scope reads as unknown. Enterprises follow the linking rule of the services
    (:func:`services.enterprises_out_of_reach`).
    """
    rows = plan.rows
    external_index = {r.values[INDEX["external_id"]]: i for i, r in enumerate(rows) if r.values[INDEX["external_id"]]}
    found: dict[int, tuple[int, int, str, str | None]] = {}  # row index → (site id, district id, status, ext id)
    for chunk in chunks(list(external_index)):
        for ext, pk, district_id, status in Site.objects.filter(district=district, external_id__in=chunk).values_list(
            "external_id", "pk", "district_id", "status"
        ):
            found[external_index[ext]] = (pk, district_id, status, ext)

    place_index = {
        (r.values[INDEX["credit_code"]], r.values[INDEX["name"]]): i
        for i, r in enumerate(rows)
        if r.values[INDEX["credit_code"]] and i not in found
    }
    codes = sorted({code for code, _name in place_index})
    by_place: dict[int, list[tuple[int, int, str, str | None]]] = {}
    seen = Site.objects.visible_to(actor) if actor is not None else Site.objects.all()
    for chunk in chunks(codes):
        for code, name, pk, district_id, status, ext in seen.filter(
            district=district, enterprise__credit_code__in=chunk
        ).values_list("enterprise__credit_code", "name", "pk", "district_id", "status", "external_id"):
            index = place_index.get((code, name))
            if index is not None:
                by_place.setdefault(index, []).append((pk, district_id, status, ext))
    for index, candidates in by_place.items():
        row = rows[index]
        ext = row.values[INDEX["external_id"]]
        # A place that already has another external id is a different place of the same name.
        candidates = [c for c in candidates if not ext or not c[3] or c[3] == ext]
        if len(candidates) > 1:
            result.add(
                RowError(
                    row.row,
                    "场所名称",
                    row.values[INDEX["name"]],
                    _("Several registered places have this credit code and name; give the external id."),
                    "ambiguous",
                )
            )
        elif candidates:
            found[index] = candidates[0]

    editable: set[int] | None = None
    if actor is not None:
        editable = set()
        ids = [f[0] for f in found.values()]
        for chunk in chunks(ids):
            editable.update(Site.objects.editable_by(actor).filter(pk__in=chunk).values_list("pk", flat=True))
    claimed: dict[int, int] = {}
    for index, (pk, district_id, status, _ext) in sorted(found.items()):
        row = rows[index]
        column = "外部编号" if row.values[INDEX["external_id"]] else "场所名称"
        value = row.values[INDEX["external_id"]] or row.values[INDEX["name"]]
        if (editable is not None and pk not in editable) or district_id != district.pk:
            # Only an external id can match a place beyond reach (the credit code and name match only the places
            # the importer sees): the ledger number is taken, and that is all the row is told.
            result.add(RowError(row.row, column, value, str(EXTERNAL_ID_TAKEN), "external_id_taken"))
            continue
        if pk in claimed:
            result.add(
                RowError(
                    row.row,
                    column,
                    value,
                    _("Row %(row)s already updates the same place.") % {"row": rows[claimed[pk]].row},
                    "duplicate_place",
                )
            )
            continue
        claimed[pk] = index
        new_status = row.values[INDEX["status"]]
        if new_status and new_status != status and new_status not in STATUS_TRANSITIONS[status]:
            result.add(
                RowError(
                    row.row,
                    "状态",
                    STATUS_LABELS.get(new_status, new_status),
                    _("A place that is “%(current)s” cannot become “%(target)s”.")
                    % {
                        "current": STATUS_LABELS.get(status, status),
                        "target": STATUS_LABELS.get(new_status, new_status),
                    },
                    "status",
                )
            )
            continue
        plan.matches[index] = pk
        plan.existing_status[index] = status

    # Enterprises: the first non-empty value of each field in the file; a new one needs its name.
    enterprises: dict[str, dict[str, Any]] = {}
    first_row: dict[str, Checked] = {}
    for row in rows:
        code = row.values[INDEX["credit_code"]]
        if not code:
            continue
        data = enterprises.setdefault(code, {})
        first_row.setdefault(code, row)
        for key, field_name in ENTERPRISE_KEYS.items():
            value = row.values[INDEX[key]]
            if value is not None and field_name not in data:
                data[field_name] = value
    # An enterprise the importer cannot see is not linked to (the services' rule): the same words for each.
    out_of_reach = enterprises_out_of_reach(actor, enterprises)
    for code in sorted(out_of_reach, key=lambda code: first_row[code].row):
        row = first_row[code]
        result.add(RowError(row.row, "统一社会信用代码", code, str(ENTERPRISE_OUT_OF_REACH), "enterprise_out_of_reach"))
        del enterprises[code]
    existing: set[str] = set()
    stored_names: dict[str, str] = {}
    locked: set[str] = set()  # enterprises with places the importer cannot edit: linked to, never changed
    editable = Site.objects.editable_by(actor).values("pk") if actor is not None else None
    for chunk in chunks(list(enterprises)):
        for code, name in Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "name"):
            existing.add(code)
            stored_names[code] = name
        if editable is not None:
            locked.update(
                Site.objects.filter(enterprise__credit_code__in=chunk)
                .exclude(pk__in=editable)
                .values_list("enterprise__credit_code", flat=True)
                .distinct()
            )
    for code in locked:
        new_name = enterprises[code].get("name")
        if new_name and new_name != stored_names[code]:
            row = first_row[code]
            result.add(
                RowError(
                    row.row,
                    "企业名称",
                    new_name,
                    _("Credit code %(code)s is registered to “%(name)s”.") % {"code": code, "name": stored_names[code]},
                    "enterprise_locked",
                )
            )
        enterprises[code] = {}
    for code, data in enterprises.items():
        if code not in existing and not data.get("name"):
            row = first_row[code]
            result.add(
                RowError(
                    row.row,
                    "企业名称",
                    "",
                    _("Give the name of the new enterprise %(code)s.") % {"code": code},
                    "required",
                )
            )
    plan.enterprises = enterprises
