"""Checklists (检查表): created and revised as new versions by the city administrator, seeded from
:mod:`anjian.inspections.standards`, and chosen for a place by its sectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.inspections import shipped
from anjian.inspections.models import ChecklistItem, ChecklistTemplate, InspectionTask
from anjian.registry.models import Site


def _require_checklist_editor(actor) -> None:
    """Checklists are reference data shared by every district: the city administrator edits them."""
    if not edits_city_reference_data(actor):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)


def _write_items(template: ChecklistTemplate, items: Sequence[dict[str, Any]]) -> None:
    if not items:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    seen = set()
    rows = []
    for order, item in enumerate(items, start=1):
        text = (item.get("text") or "").strip()
        if not text:
            raise ValidationError({"items": _("Item %(n)s has no text.") % {"n": order}})
        if text in seen:
            raise ValidationError({"items": _("Item %(n)s repeats an earlier item.") % {"n": order}})
        seen.add(text)
        document = (item.get("criteria_document") or "").strip()
        if document and not (item.get("criteria_edition") or "").strip():
            raise ValidationError(
                {"items": _("Item %(n)s cites major hazard criteria without their edition.") % {"n": order}}
            )
        rows.append(
            ChecklistItem(
                template=template,
                order=order,
                section=(item.get("section") or "")[:60],
                text=text[:300],
                legal_basis=(item.get("legal_basis") or "")[:300],
                photo_required=bool(item.get("photo_required")),
                nature=item.get("nature") or "",
                criteria_document=document[:200],
                criteria_edition=(item.get("criteria_edition") or "")[:60],
                criteria_number=(item.get("criteria_number") or "")[:30],
                criterion_text=(item.get("criterion_text") or "").strip()[:300] if document else "",
            )
        )
    ChecklistItem.objects.bulk_create(rows)


def _template_dict(template: ChecklistTemplate) -> dict:
    return {
        "code": template.code,
        "version": template.version,
        "name": template.name,
        "sector": template.sector_id,
        "items": [
            {
                "text": i.text,
                "legal_basis": i.legal_basis,
                "photo_required": i.photo_required,
                "criteria": i.criterion_label,
                "criterion_text": i.criterion_text,
            }
            for i in template.items.all()
        ],
    }


@transaction.atomic
def create_checklist(
    *, actor, code: str, name: str, sector_code: str | None, description: str = "", items
) -> ChecklistTemplate:
    """A new checklist (version 1)."""
    _require_checklist_editor(actor)
    if ChecklistTemplate.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A checklist with this code exists already.")})
    template = ChecklistTemplate.objects.create(
        code=code, name=name, sector_id=sector_code or None, description=description, created_by=actor
    )
    _write_items(template, items)
    audit.record(actor=actor, action="inspections.checklist.create", obj=template, after=_template_dict(template))
    return template


@transaction.atomic
def revise_checklist(
    *, actor, template: ChecklistTemplate, name: str, description: str = "", items
) -> ChecklistTemplate:
    """Editing a checklist makes a new version; inspections made with the old one keep theirs."""
    _require_checklist_editor(actor)
    current = (
        ChecklistTemplate.objects.select_for_update(of=("self",)).filter(code=template.code, is_current=True).first()
    )
    if current is None or current.pk != template.pk:
        raise ValidationError(_("Only the current version of a checklist can be revised."))
    before = _template_dict(current)
    ChecklistTemplate.objects.filter(pk=current.pk).update(is_current=False)
    new = ChecklistTemplate.objects.create(
        code=current.code,
        version=current.version + 1,
        is_current=True,
        name=name,
        sector_id=current.sector_id,
        description=description,
        created_by=actor,
    )
    _write_items(new, items)
    audit.record(actor=actor, action="inspections.checklist.revise", obj=new, before=before, after=_template_dict(new))
    return new


def ensure_checklists() -> int:
    """Load the checklists the platform ships (:mod:`anjian.inspections.standards`): the missing ones are created,
    platform-written ones get a new version when the shipped edition changed (:mod:`anjian.inspections.shipped`).
    Returns how many were created or revised."""
    with transaction.atomic():
        created, revised = shipped.sync_shipped_checklists(ChecklistTemplate, ChecklistItem)
    return len(created) + len(revised)


def checklist_for_site(site: Site) -> ChecklistTemplate | None:
    """The current checklist of the place's first sector that has one."""
    codes = [row.sector_id for row in site.site_sectors.all()]
    templates = {t.sector_id: t for t in ChecklistTemplate.objects.current().filter(sector_id__in=codes)}
    for code in codes:
        if code in templates:
            return templates[code]
    return None


def checklist_for_inspection(site: Site, task: InspectionTask | None = None) -> ChecklistTemplate | None:
    """The checklist an inspection of the place uses unless another is chosen: the task's, its campaign's, or
    the place's sector's (:func:`checklist_for_site`), always in its current version."""
    checklist = (task.checklist or (task.campaign.checklist if task.campaign_id else None)) if task else None
    checklist = checklist or checklist_for_site(site)
    if checklist is not None and not checklist.is_current:
        checklist = ChecklistTemplate.objects.current().filter(code=checklist.code).first()
    return checklist
