"""Field inspections: starting one, answering its checklist, reporting what is found (a major hazard is
escalated at once), completing or cancelling it, and the page's single submit of a whole inspection."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.notifications import tell
from anjian.core.permissions import is_enterprise
from anjian.inspections import evidence
from anjian.inspections.choices import (
    CAMPAIGN_SOURCE,
    AnswerResult,
    HazardGrade,
    HazardSource,
    InspectionKind,
    InspectionStatus,
    PhotoStage,
    TaskStatus,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    Escalation,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionTask,
)
from anjian.inspections.services.base import (
    _event,
    _hazard_url,
    _risk_inputs_changed,
)
from anjian.inspections.services.checklists import checklist_for_inspection
from anjian.inspections.services.enforcement import _escalate
from anjian.inspections.services.photos import files_discarded_on_error, store_photos
from anjian.organizations import geo
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site


def distance_to_site(site: Site, latitude: Decimal | None, longitude: Decimal | None) -> int | None:
    """Metres from the place's registered coordinates to a recorded position; None when either is missing."""
    if latitude is None or longitude is None or site.latitude is None or site.longitude is None:
        return None
    return round(geo.distance_m(latitude, longitude, site.latitude, site.longitude))


def _check_inspectors(kind: str, inspectors: list[User], on_date: datetime.date) -> None:
    if kind == InspectionKind.ENFORCEMENT:
        certified = [u for u in inspectors if u.holds_enforcement_certificate(on_date)]
        if len(certified) < 2:
            raise ValidationError(
                {"inspectors": _("A law-enforcement inspection needs at least two officers with a valid certificate.")}
            )


@transaction.atomic
def start_inspection(
    *,
    actor,
    site: Site,
    kind: str = InspectionKind.SUPERVISION,
    checklist: ChecklistTemplate | None = None,
    task: InspectionTask | None = None,
    inspectors: Sequence[User] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy: int | None = None,
    source: str = "",
    default_checklist: bool = True,
) -> Inspection:
    """Open an inspection of one place. Enterprise accounts run self-inspections (企业自查) of their own places.
    Without a checklist given, the task's, the campaign's or the place's sector's is used, unless
    ``default_checklist`` is False: then the inspection records hazards only."""
    if not Site.objects.visible_to(actor).filter(pk=site.pk).exists():
        raise PermissionDenied(_("You cannot inspect this place."))
    if is_enterprise(actor):
        if kind != InspectionKind.SELF:
            raise PermissionDenied(_("An enterprise account runs self-inspections only."))
    else:
        if kind == InspectionKind.SELF:
            raise ValidationError({"kind": _("Self-inspections are run by the enterprise's own account.")})
        if not Site.objects.editable_by(actor).filter(pk=site.pk).exists():
            raise PermissionDenied(_("You cannot inspect this place."))
    if site.status != SiteStatus.OPERATING and kind == InspectionKind.SELF:
        raise ValidationError(_("The place is not operating."))
    if task is not None:
        task = InspectionTask.objects.visible_to(actor).select_for_update().filter(pk=task.pk).first()
        if task is None or task.site_id != site.pk:
            raise ValidationError({"task": _("This task is not for this place.")})
        if task.status != TaskStatus.OPEN:
            raise ValidationError({"task": _("This task is no longer open.")})
        if Inspection.objects.filter(task=task).exists():
            raise ValidationError({"task": _("An inspection has already been started for this task.")})
    campaign = task.campaign if task is not None else None
    if checklist is None and default_checklist:
        checklist = checklist_for_inspection(site, task)
    if checklist is not None and not checklist.is_current:
        checklist = ChecklistTemplate.objects.filter(code=checklist.code, is_current=True).first()
    people = [actor, *[u for u in inspectors if u.pk != actor.pk]]
    if is_enterprise(actor):
        colleagues = set(site.enterprise.accounts.values_list("pk", flat=True)) if site.enterprise_id else set()
        for person in people[1:]:
            if person.pk not in colleagues:
                raise ValidationError(
                    {"inspectors": _("%(name)s cannot take part in this inspection.") % {"name": person}}
                )
    else:
        for person in people:
            if (
                is_enterprise(person)
                or person.org_unit is None
                or (
                    person.org_unit.district_id != actor.org_unit.district_id
                    and person.org_unit_id != actor.org_unit_id
                )
            ):
                raise ValidationError(
                    {"inspectors": _("%(name)s cannot take part in this inspection.") % {"name": person}}
                )
    today = timezone.localdate()
    _check_inspectors(kind, people, today)
    if not source:
        if kind == InspectionKind.SELF:
            source = HazardSource.SELF_INSPECTION
        elif campaign is not None:
            source = CAMPAIGN_SOURCE.get(campaign.kind, HazardSource.SPECIAL)
        else:
            source = HazardSource.ROUTINE
    inspection = Inspection.objects.create(
        site=site,
        task=task,
        campaign=campaign,
        checklist=checklist,
        kind=kind,
        source=source,
        org_unit=actor.org_unit if not is_enterprise(actor) else site.district,
        latitude=latitude,
        longitude=longitude,
        position_accuracy=accuracy,
        distance_m=distance_to_site(site, latitude, longitude),
        created_by=actor,
    )
    inspection.inspectors.set(people)
    audit.record(
        actor=actor,
        action="inspections.inspection.start",
        obj=inspection,
        after={
            "site": site.pk,
            "kind": kind,
            "checklist": checklist.pk if checklist else None,
            "inspectors": [p.pk for p in people],
            "latitude": latitude,
            "longitude": longitude,
            "distance_m": inspection.distance_m,
        },
    )
    return inspection


def _lock_inspection(actor, inspection: Inspection) -> Inspection:
    locked = (
        Inspection.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("site", "checklist", "campaign")
        .filter(pk=inspection.pk)
        .first()
    )
    if locked is None or not locked.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the inspectors of this inspection can record it."))
    if locked.status != InspectionStatus.IN_PROGRESS:
        raise ValidationError(_("This inspection is completed and can no longer change."))
    return locked


def _hazard_number(hazard: Hazard) -> str:
    return f"YH{timezone.localtime(hazard.reported_at):%Y}{hazard.pk:07d}"


def _create_hazard(
    *,
    actor,
    site: Site,
    title: str,
    description: str = "",
    location: str = "",
    grade: str = HazardGrade.GENERAL,
    major_reason: str = "",
    nature: str = "",
    source: str,
    inspection: Inspection | None = None,
    answer: InspectionAnswer | None = None,
    item: ChecklistItem | None = None,
    campaign: Campaign | None = None,
    sector_code: str | None = None,
    photos: Sequence = (),
    reported_at=None,
) -> Hazard:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Describe the hazard.")})
    if item is not None and item.is_major_criterion:
        grade = HazardGrade.MAJOR
    elif grade == HazardGrade.MAJOR:
        if is_enterprise(actor):
            raise ValidationError(
                {"grade": _("Only a supervising officer grades a hazard major outside the criteria.")}
            )
        if not (major_reason or "").strip():
            raise ValidationError({"major_reason": _("Give the written reason for grading this hazard major.")})
    if grade not in HazardGrade.values:
        raise ValidationError({"grade": _("Choose general or major.")})
    site_codes = [row.sector_id for row in site.site_sectors.all()]
    if sector_code is None:
        template_sector = item.template.sector_id if item is not None else None
        sector_code = template_sector if template_sector in site_codes else (site_codes[0] if site_codes else None)
    hazard = Hazard.objects.create(
        site=site,
        district_id=site.district_id,
        sector_id=sector_code,
        inspection=inspection,
        answer=answer,
        checklist_item=item,
        campaign=campaign,
        title=title[:300],
        description=description,
        location=location[:200],
        grade=grade,
        major_reason=major_reason if item is None or not item.is_major_criterion else "",
        criteria_document=item.criteria_document if item else "",
        criteria_edition=item.criteria_edition if item else "",
        criteria_number=item.criteria_number if item else "",
        legal_basis=item.legal_basis if item else "",
        nature=nature or (item.nature if item else ""),
        source=source,
        self_reported=is_enterprise(actor),
        reported_by=actor,
        reporting_unit=None if is_enterprise(actor) else actor.org_unit,
        reported_at=reported_at or timezone.now(),
    )
    hazard.number = _hazard_number(hazard)
    hazard.save(update_fields=["number"])
    if photos:
        store_photos(
            actor=actor, uploads=photos, stage=PhotoStage.FINDING, hazard=hazard, inspection=inspection, answer=answer
        )
    _event(hazard, actor=actor, action="reported", data={"grade": grade, "source": source})
    audit.record(actor=actor, action="inspections.hazard.report", obj=hazard, after=audit.snapshot(hazard))
    title_text = _("New %(grade)s at %(site)s: %(title)s") % {
        "grade": hazard.get_grade_display(),
        "site": site.name,
        "title": hazard.title[:60],
    }
    tell(
        "inspections.hazard_new",
        about=hazard,
        title=title_text,
        url=_hazard_url(hazard),
        key=f"hazard:{hazard.pk}:new",
        actor=actor,
    )
    if hazard.is_major:
        _escalate(hazard, actor=None, reason=Escalation.Reason.MAJOR, automatic=True)
        _risk_inputs_changed(site.pk)
    return hazard


@transaction.atomic
def record_answer(
    *,
    actor,
    inspection: Inspection,
    item: ChecklistItem,
    result: str,
    note: str = "",
    photos: Sequence = (),
    hazard: dict[str, Any] | None = None,
) -> InspectionAnswer:
    """Answer one item 符合/不符合/不适用. A 不符合 opens a hazard pre-filled from the item (major when the
    item is a major criterion). Answers are final: what was found stays found."""
    locked = _lock_inspection(actor, inspection)
    if item is None or locked.checklist_id is None or item.template_id != locked.checklist_id:
        raise ValidationError({"item": _("This item is not on the inspection's checklist.")})
    if result not in AnswerResult.values:
        raise ValidationError({"result": _("Answer compliant, non-compliant or not applicable.")})
    if InspectionAnswer.objects.filter(inspection=locked, item=item).exists():
        raise ValidationError({"item": _("This item has been answered already.")})
    needs_photo = result == AnswerResult.NONCOMPLIANT or (item.photo_required and result != AnswerResult.NOT_APPLICABLE)
    if needs_photo and not photos:
        raise ValidationError({"photos": _("Take at least one photo for “%(item)s”.") % {"item": item.text[:40]}})
    answer = InspectionAnswer.objects.create(inspection=locked, item=item, result=result, note=note[:500])
    if result == AnswerResult.NONCOMPLIANT:
        fields = dict(hazard or {})
        _create_hazard(
            actor=actor,
            site=locked.site,
            title=fields.get("title") or item.hazard_title,
            description=fields.get("description") or note,
            location=fields.get("location", ""),
            grade=fields.get("grade") or HazardGrade.GENERAL,
            major_reason=fields.get("major_reason", ""),
            nature=fields.get("nature", ""),
            source=locked.source,
            inspection=locked,
            answer=answer,
            item=item,
            campaign=locked.campaign,
            photos=photos,
        )
    elif photos:
        store_photos(actor=actor, uploads=photos, inspection=locked, answer=answer)
    return answer


@transaction.atomic
def add_hazard(*, actor, inspection: Inspection, photos: Sequence = (), **fields) -> Hazard:
    """A hazard found outside the checklist during an inspection."""
    locked = _lock_inspection(actor, inspection)
    if not photos:
        raise ValidationError({"photos": _("Take at least one photo of the hazard.")})
    return _create_hazard(
        actor=actor,
        site=locked.site,
        title=fields.get("title", ""),
        description=fields.get("description", ""),
        location=fields.get("location", ""),
        grade=fields.get("grade") or HazardGrade.GENERAL,
        major_reason=fields.get("major_reason", ""),
        nature=fields.get("nature", ""),
        source=locked.source,
        inspection=locked,
        campaign=locked.campaign,
        photos=photos,
    )


@transaction.atomic
def complete_inspection(
    *,
    actor,
    inspection: Inspection,
    note: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy: int | None = None,
    compliant_at_once: Sequence[int] = (),
) -> Inspection:
    """Close the visit: every item of the checklist answered, the end time kept, the task done.
    ``compliant_at_once`` names the items the inspector answered 符合 together ("其余项目均符合"): each has its own
    answer like any other, and the audit row keeps which they were, so a visit ticked through in one tap shows."""
    locked = _lock_inspection(actor, inspection)
    if locked.checklist_id:
        answered = set(locked.answers.values_list("item_id", flat=True))
        missing = locked.checklist.items.exclude(pk__in=answered).count()
        if missing:
            raise ValidationError(
                _("%(count)s items of the checklist are not answered yet.") % {"count": missing}, code="unanswered"
            )
    elif not locked.hazards.exists() and not note.strip():
        raise ValidationError({"note": _("Without a checklist, record what was checked.")})
    locked.status = InspectionStatus.COMPLETED
    locked.ended_at = timezone.now()
    locked.note = note
    if latitude is not None and longitude is not None:
        locked.latitude, locked.longitude, locked.position_accuracy = latitude, longitude, accuracy
        locked.distance_m = distance_to_site(locked.site, latitude, longitude)
    locked.save()
    if locked.task_id:
        InspectionTask.objects.filter(pk=locked.task_id).update(status=TaskStatus.DONE, completed_at=locked.ended_at)
    counts = {
        "answers": locked.answers.count(),
        "hazards": locked.hazards.count(),
        "major": locked.hazards.filter(grade=HazardGrade.MAJOR).count(),
        "distance_m": locked.distance_m,
    }
    if compliant_at_once:
        counts["compliant_at_once"] = sorted(
            locked.answers.filter(item_id__in=list(compliant_at_once), result=AnswerResult.COMPLIANT).values_list(
                "item_id", flat=True
            )
        )
    audit.record(actor=actor, action="inspections.inspection.complete", obj=locked, after=counts)
    return locked


@transaction.atomic
def cancel_inspection(*, actor, inspection: Inspection, reason: str) -> Inspection:
    """An inspection started by mistake (wrong place, visit not possible) is cancelled with its reason, never
    deleted; its task opens again. Once anything was answered or found it can only be completed: what was
    found stays found."""
    locked = _lock_inspection(actor, inspection)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the inspection is cancelled.")})
    if locked.answers.exists() or locked.hazards.exists():
        raise ValidationError(_("Answers or hazards are recorded already: complete the inspection instead."))
    task_id = locked.task_id
    locked.status = InspectionStatus.CANCELLED
    locked.ended_at = timezone.now()
    locked.note = reason.strip()
    locked.task = None  # the task can be started again
    locked.save()
    audit.record(
        actor=actor,
        action="inspections.inspection.cancel",
        obj=locked,
        after={"reason": locked.note, "task": task_id},
    )
    return locked


def complete_inspection_form(
    *,
    actor,
    inspection: Inspection,
    answers: Sequence[dict[str, Any]],
    extra_hazards: Sequence[dict] = (),
    note="",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy: int | None = None,
    compliant_at_once: Sequence[int] = (),
):
    """The page's single submit: every answer, every extra hazard and the completion in one transaction,
    so a refused photo or a missing answer loses nothing and half an inspection is never recorded.

    The photos of the whole submission are counted first (``evidence.MAX_PHOTOS_PER_SUBMISSION``): each one is
    decoded and resized in this request, so their number bounds its time."""
    count = sum(len(row.get("photos") or ()) for row in answers)
    count += sum(len(fields.get("photos") or ()) for fields in extra_hazards)
    if count > evidence.MAX_PHOTOS_PER_SUBMISSION:
        raise ValidationError(
            _(
                "This submission carries %(count)s photos; at most %(limit)s are accepted at once. Keep the photos "
                "that show the findings best."
            )
            % {"count": count, "limit": evidence.MAX_PHOTOS_PER_SUBMISSION},
            code="too_many_photos",
        )
    with files_discarded_on_error(), transaction.atomic():
        items = {i.pk: i for i in ChecklistItem.objects.filter(template_id=inspection.checklist_id)}
        errors: dict[str, list] = {}
        for row in answers:
            item = items.get(row["item_id"])
            try:
                record_answer(
                    actor=actor,
                    inspection=inspection,
                    item=item,
                    result=row.get("result", ""),
                    note=row.get("note", ""),
                    photos=row.get("photos", ()),
                    hazard=row.get("hazard"),
                )
            except ValidationError as exc:
                errors[f"item-{row['item_id']}"] = exc.messages
        if errors:
            raise ValidationError(errors)
        for index, fields in enumerate(extra_hazards, start=1):
            try:
                add_hazard(actor=actor, inspection=inspection, **fields)
            except ValidationError as exc:
                raise ValidationError({f"extra-{index}": exc.messages}) from exc
        return complete_inspection(
            actor=actor,
            inspection=inspection,
            note=note,
            latitude=latitude,
            longitude=longitude,
            accuracy=accuracy,
            compliant_at_once=compliant_at_once,
        )
