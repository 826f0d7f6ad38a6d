"""Every write of the hazard loop (STANDARDS §5). Each service takes the acting user first, runs in one
transaction, checks scope and the state transition, writes the timeline event and the audit row, and
sends notifications after commit.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Prefetch, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core import audit
from anjian.core import notifications as notify
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data, scope_of
from anjian.core.signals import site_risk_inputs_changed
from anjian.inspections import evidence, standards
from anjian.inspections.choices import (
    CAMPAIGN_SOURCE,
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    AnswerResult,
    ClosureDecision,
    EnforcementKind,
    Handling,
    HazardGrade,
    HazardSource,
    HazardStatus,
    InspectionKind,
    InspectionStatus,
    PhotoStage,
    TaskOrigin,
    TaskStatus,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionFrequency,
    InspectionTask,
    Photo,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
)
from anjian.inspections.workflow import TransitionError, allowed_from, check
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import services as registry_services
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site

# Days before a deadline when the place and the supervisor are reminded.
DUE_SOON_DAYS = 3
# 挂牌督办 of an overdue hazard gives this many days from the day it is escalated.
ESCALATION_DAYS = 15
# A major hazard escalated at once gets this deadline when it has none yet.
MAJOR_DEFAULT_DAYS = 30


def _is_enterprise(user) -> bool:
    return getattr(user, "role", "") == Role.ENTERPRISE


def _require_government(user, message: str | None = None) -> None:
    if _is_enterprise(user) or not getattr(user, "is_active", False):
        raise PermissionDenied(message or _("Only a supervising officer can do this."))


def _lock_hazard(actor, hazard: Hazard | int) -> Hazard:
    """The hazard locked for this transaction (select_for_update serialises concurrent transitions)."""
    pk = hazard.pk if isinstance(hazard, Hazard) else hazard
    locked = (
        Hazard.objects.editable_by(actor)
        .select_for_update(of=("self",))
        .select_related("site", "site__enterprise", "site__territory", "district")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot change this hazard."))
    return locked


def _event(hazard: Hazard, *, actor, action: str, from_status: str = "", note: str = "", data=None) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=from_status,
        to_status=hazard.status if from_status else "",
        actor=actor,
        actor_unit=getattr(actor, "org_unit", None),
        note=note,
        data=audit.to_json(data or {}),
    )


def _risk_inputs_changed(site_id: int) -> None:
    """Open major hazards and overdue rectifications raise a place's risk (STANDARDS §2): tell the risk
    module after commit, so a rolled-back write changes nothing."""
    transaction.on_commit(lambda: site_risk_inputs_changed.send(sender=Hazard, site_ids=[site_id]))


def _hazard_url(hazard: Hazard) -> str:
    return reverse("inspections:hazard_detail", args=[hazard.pk])


def _on_commit_notify(
    *, about, units: Iterable = (), users: Iterable = (), kind: str, title: str, url: str, key: str = ""
) -> None:
    """Tell the units and users about ``about`` once the change commits; only those who may see it are told
    (core.notifications checks it where it sends)."""
    notify.queue(
        notify.Message(
            about=about,
            units=tuple(u for u in units if u),
            users=tuple(u for u in users if u),
            kind=kind,
            title=title,
            url=url,
            dedupe_key=key,
        )
    )


def responsible_units(site: Site, sector_code: str | None = None) -> list[OrgUnit]:
    """The units that answer for a place: its street or park and the departments supervising the sector."""
    from anjian.registry.selectors import supervisors_of

    units: list[OrgUnit] = []
    if site.territory_id:
        units.append(site.territory)
    supervisors = supervisors_of(site)
    codes = [sector_code] if sector_code and sector_code in supervisors else list(supervisors)
    for code in codes:
        for unit in supervisors.get(code, []):
            if unit not in units:
                units.append(unit)
    return units


def enterprise_accounts(site: Site) -> list[User]:
    if not site.enterprise_id:
        return []
    return list(site.enterprise.accounts.filter(is_active=True))


# --- photos ------------------------------------------------------------------------------


_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("anjian_stored_files", default=None)


@contextlib.contextmanager
def files_discarded_on_error():
    """Files are not part of the database transaction: when the block fails, delete the photos it stored,
    so a refused form leaves no orphan files behind in the storage."""
    saved: list = []
    token = _stored_files.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            with contextlib.suppress(OSError):  # best effort: the database row is gone either way
                storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def store_photos(*, actor, uploads: Sequence, stage: str = PhotoStage.FINDING, **owners) -> list[Photo]:
    """Check every upload by content first (nothing is stored if one is refused), then store them
    re-encoded with their thumbnails. ``owners`` are the inspection/answer/hazard/rectification.

    At most ``evidence.MAX_PHOTOS_AT_ONCE`` at a time, counted before any is decoded: every path (page, API)
    goes through here, so none can make one request decode an album."""
    if len(uploads) > evidence.MAX_PHOTOS_AT_ONCE:
        raise ValidationError(
            {"photos": _("Choose at most %(count)s photos at a time.") % {"count": evidence.MAX_PHOTOS_AT_ONCE}},
            code="too_many",
        )
    processed = []
    try:
        for upload in uploads:
            processed.append(evidence.process_photo(upload))
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    photos = []
    for item in processed:
        photo = Photo(
            stage=stage,
            content_type=item.content_type,
            width=item.width,
            height=item.height,
            sha256=item.sha256,
            phash=item.phash,
            original_name=(item.original_name or "")[:200],
            original_size=item.original_size,
            taken_at=item.taken_at,
            latitude=item.latitude,
            longitude=item.longitude,
            uploaded_by=actor,
            **owners,
        )
        photo.file.save(f"photo.{item.extension}", ContentFile(item.content), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(item.thumbnail), save=False)
        tracker = _stored_files.get()
        if tracker is not None:
            tracker += [(photo.file.storage, photo.file.name), (photo.thumbnail.storage, photo.thumbnail.name)]
        photo.save()
        photos.append(photo)
    return photos


# --- checklists --------------------------------------------------------------------------


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
    """Load the seeded checklists of :mod:`anjian.inspections.standards` that do not exist yet."""
    created = 0
    existing = set(ChecklistTemplate.objects.values_list("code", flat=True))
    for spec in standards.CHECKLIST_TEMPLATES:
        if spec.code in existing:
            continue
        sections: list[str] = []
        for section, count in standards.TEMPLATE_SECTIONS.get(spec.code, ()):
            sections += [section] * count
        with transaction.atomic():
            template = ChecklistTemplate.objects.create(
                code=spec.code, name=spec.name, sector_id=spec.sector, description=spec.description
            )
            _write_items(
                template,
                [
                    {
                        "section": sections[index] if index < len(sections) else "",
                        "text": item.text,
                        "legal_basis": item.legal_basis,
                        "photo_required": item.photo_required,
                        "nature": item.nature,
                        "criteria_document": item.criteria_document,
                        "criteria_edition": item.criteria_edition,
                        "criteria_number": item.criteria_number,
                    }
                    for index, item in enumerate(spec.items)
                ],
            )
        created += 1
    return created


def checklist_for_site(site: Site) -> ChecklistTemplate | None:
    """The current checklist of the place's first sector that has one."""
    codes = [row.sector_id for row in site.site_sectors.all()]
    templates = {t.sector_id: t for t in ChecklistTemplate.objects.current().filter(sector_id__in=codes)}
    for code in codes:
        if code in templates:
            return templates[code]
    return None


# --- campaigns -----------------------------------------------------------------------------


def _campaign_snapshot(campaign: Campaign) -> dict:
    data = audit.snapshot(campaign)
    data["sectors"] = sorted(campaign.sectors.values_list("code", flat=True))
    data["territories"] = sorted(campaign.territories.values_list("pk", flat=True))
    return data


def _check_campaign_fields(actor, *, district: OrgUnit, territories, sectors, starts_on, ends_on, deadline) -> None:
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The inspections cannot end before they start.")
    if deadline < ends_on:
        errors["deadline"] = _("The rectification deadline cannot come before the end of the inspections.")
    for unit in territories:
        if unit.district_id != district.pk or unit.kind not in (OrgUnitKind.STREET, OrgUnitKind.PARK):
            errors["territories"] = _("%(unit)s is not a street or park of the district.") % {"unit": unit.name}
    scope = actor.scope
    if getattr(actor.org_unit, "kind", "") == OrgUnitKind.DEPARTMENT:
        outside = [s for s in sectors if s.code not in scope.sector_codes]
        if outside or not sectors:
            errors["sectors"] = _("A department's campaign covers only sectors it supervises.")
    if errors:
        raise ValidationError(errors)


def _campaign_district(actor) -> OrgUnit:
    unit = actor.org_unit
    if actor.role not in (Role.SAFETY_OFFICE, Role.DEPARTMENT_OFFICER) or unit is None:
        raise PermissionDenied(_("Campaigns are launched by the safety office or an industry department."))
    return unit.district


@transaction.atomic
def create_campaign(
    *,
    actor,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    deadline: datetime.date,
    sectors=(),
    territories=(),
    checklist: ChecklistTemplate | None = None,
    description: str = "",
) -> Campaign:
    """专项整治、大检查: a drive over sectors and territory with a period and a deadline ("X月底前")."""
    district = _campaign_district(actor)
    sectors, territories = list(sectors), list(territories)
    _check_campaign_fields(
        actor,
        district=district,
        territories=territories,
        sectors=sectors,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
    )
    campaign = Campaign.objects.create(
        name=name,
        kind=kind,
        district=district,
        organizer=actor.org_unit,
        checklist=checklist,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        description=description,
        created_by=actor,
    )
    campaign.sectors.set(sectors)
    campaign.territories.set(territories)
    audit.record(actor=actor, action="inspections.campaign.create", obj=campaign, after=_campaign_snapshot(campaign))
    return campaign


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, **fields) -> Campaign:
    locked = Campaign.objects.editable_by(actor).select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this campaign."))
    before = _campaign_snapshot(locked)
    sectors = list(fields.pop("sectors", locked.sectors.all()))
    territories = list(fields.pop("territories", locked.territories.all()))
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_campaign_fields(
        actor,
        district=locked.district,
        territories=territories,
        sectors=sectors,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        deadline=locked.deadline,
    )
    locked.save()
    locked.sectors.set(sectors)
    locked.territories.set(territories)
    audit.record(
        actor=actor,
        action="inspections.campaign.update",
        obj=locked,
        before=before,
        after=_campaign_snapshot(locked),
    )
    return locked


def campaign_sites(campaign: Campaign):
    """The operating places in a campaign's scope: its district, its sectors (all if none), its territories."""
    sites = Site.objects.filter(district_id=campaign.district_id, status=SiteStatus.OPERATING)
    sector_codes = list(campaign.sectors.values_list("code", flat=True))
    if sector_codes:
        sites = sites.filter(pk__in=Site.objects.filter(site_sectors__sector_id__in=sector_codes).values("pk"))
    territory_ids = list(campaign.territories.values_list("pk", flat=True))
    if territory_ids:
        sites = sites.filter(territory_id__in=territory_ids)
    return sites


@transaction.atomic
def generate_campaign_tasks(*, actor, campaign: Campaign) -> int:
    """One task per place in scope, assigned to its street or park (属地), due at the end of the inspections."""
    locked = Campaign.objects.editable_by(actor).select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this campaign."))
    organizer_is_department = locked.organizer.kind == OrgUnitKind.DEPARTMENT
    have = set(InspectionTask.objects.filter(campaign=locked).values_list("site_id", flat=True))
    rows = []
    for site_id, territory_id in campaign_sites(locked).values_list("pk", "territory_id"):
        if site_id in have:
            continue
        unit_id = locked.organizer_id if organizer_is_department or not territory_id else territory_id
        rows.append(
            InspectionTask(
                site_id=site_id,
                campaign=locked,
                origin=TaskOrigin.CAMPAIGN,
                checklist=locked.checklist,
                assignee_unit_id=unit_id,
                due_on=locked.ends_on,
                created_by=actor,
            )
        )
    InspectionTask.objects.bulk_create(rows, batch_size=500)
    audit.record(
        actor=actor,
        action="inspections.task.generate",
        obj=locked,
        after={"campaign": locked.pk, "tasks": len(rows)},
    )
    per_unit: dict[int, int] = {}
    for row in rows:
        per_unit[row.assignee_unit_id] = per_unit.get(row.assignee_unit_id, 0) + 1
    url = reverse("inspections:task_list")
    for unit_id, count in per_unit.items():
        _on_commit_notify(
            about=locked,
            units=[unit_id],
            kind="inspections.task_assigned",
            title=_("%(count)s new inspection tasks of “%(campaign)s”, due %(due)s")
            % {"count": count, "campaign": locked.name, "due": locked.ends_on.isoformat()},
            url=url,
            key=f"campaign:{locked.pk}:tasks:{unit_id}:{len(have)}",
        )
    return len(rows)


def level_frequencies(district_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Days between inspections per current risk level for each district: the district's own table
    (:class:`InspectionFrequency`, edited by the safety office) over the STANDARDS §2 defaults. One query."""
    table = {pk: dict(standards.LEVEL_FREQUENCY_DAYS) for pk in district_ids}
    for district_id, level, days in InspectionFrequency.objects.filter(district_id__in=list(table)).values_list(
        "district_id", "level", "days"
    ):
        table[district_id][level] = days
    return table


def frequency_days(
    site_sector_codes: Iterable[str], risk_level: str = "", level_days: dict[str, int] | None = None
) -> int:
    """How often a place is inspected: by its current risk level once it has one (STANDARDS §2; the
    district's table when ``level_days`` is given), until then by the strictest default of its sectors."""
    level_days = level_days or standards.LEVEL_FREQUENCY_DAYS
    if risk_level and risk_level in level_days:
        return level_days[risk_level]
    days = [standards.DEFAULT_FREQUENCY_DAYS.get(code, 365) for code in site_sector_codes]
    return min(days) if days else 365


def generate_frequency_tasks(
    *, today: datetime.date | None = None, district: OrgUnit | None = None, lead_days=14
) -> int:
    """Plan routine inspections: a place whose next inspection falls due within ``lead_days`` and that has
    no open routine task gets one, assigned to its street or park. Runs from the periodic job."""
    today = today or timezone.localdate()
    sites = Site.objects.filter(status=SiteStatus.OPERATING, territory__isnull=False)
    if district is not None:
        sites = sites.filter(district=district)
    sites = sites.exclude(
        pk__in=InspectionTask.objects.filter(origin=TaskOrigin.FREQUENCY, status=TaskStatus.OPEN).values("site_id")
    ).annotate(last=Max("inspections__started_at", filter=Q(inspections__status=InspectionStatus.COMPLETED)))
    rows = list(sites.values_list("pk", "territory_id", "risk_level", "last", "created_at", "district_id"))
    per_district = level_frequencies({row[5] for row in rows})
    sectors: dict[int, list[str]] = {}
    from anjian.registry.models import SiteSector

    for site_id, code in SiteSector.objects.filter(site_id__in=[r[0] for r in rows]).values_list(
        "site_id", "sector_id"
    ):
        sectors.setdefault(site_id, []).append(code)
    tasks = []
    for site_id, territory_id, level, last, created, district_id in rows:
        interval = frequency_days(sectors.get(site_id, ()), level, per_district[district_id])
        base = timezone.localtime(last).date() if last else timezone.localtime(created).date()
        due = base + datetime.timedelta(days=interval)
        if last is None:
            due = min(due, today + datetime.timedelta(days=lead_days))
        if due > today + datetime.timedelta(days=lead_days):
            continue
        tasks.append(
            InspectionTask(
                site_id=site_id,
                origin=TaskOrigin.FREQUENCY,
                assignee_unit_id=territory_id,
                due_on=max(due, today),
                note=_("Routine inspection every %(days)s days") % {"days": interval},
            )
        )
    with transaction.atomic():
        InspectionTask.objects.bulk_create(tasks, batch_size=500, ignore_conflicts=True)
    return len(tasks)


@transaction.atomic
def assign_task(*, actor, task: InspectionTask, assignee: User | None, due_on: datetime.date | None = None):
    """Give a task to one inspector of the assigned unit (or back to the unit)."""
    _require_government(actor)
    locked = InspectionTask.objects.editable_by(actor).select_for_update().filter(pk=task.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this task."))
    if locked.status != TaskStatus.OPEN:
        raise ValidationError(_("Only an open task can be assigned."))
    if assignee is not None and (assignee.org_unit_id != locked.assignee_unit_id or not assignee.is_active):
        raise ValidationError({"assignee": _("Choose someone of the unit the task is assigned to.")})
    before = {"assignee": locked.assignee_id, "due_on": locked.due_on}
    locked.assignee = assignee
    if due_on:
        locked.due_on = due_on
    locked.save(update_fields=["assignee", "due_on"])
    audit.record(
        actor=actor,
        action="inspections.task.assign",
        obj=locked,
        before=before,
        after={"assignee": locked.assignee_id, "due_on": locked.due_on},
    )
    if assignee is not None:
        _on_commit_notify(
            about=locked,
            users=[assignee],
            kind="inspections.task_assigned",
            title=_("Inspection of %(site)s assigned to you, due %(due)s")
            % {"site": locked.site.name, "due": locked.due_on.isoformat()},
            url=reverse("inspections:task_list"),
            key=f"task:{locked.pk}:assignee:{assignee.pk}",
        )
    return locked


# --- inspections -----------------------------------------------------------------------------


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
    if _is_enterprise(actor):
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
        checklist = (task.checklist if task else None) or (campaign.checklist if campaign else None)
        checklist = checklist or checklist_for_site(site)
    if checklist is not None and not checklist.is_current:
        checklist = ChecklistTemplate.objects.filter(code=checklist.code, is_current=True).first()
    people = [actor, *[u for u in inspectors if u.pk != actor.pk]]
    if _is_enterprise(actor):
        colleagues = set(site.enterprise.accounts.values_list("pk", flat=True)) if site.enterprise_id else set()
        for person in people[1:]:
            if person.pk not in colleagues:
                raise ValidationError(
                    {"inspectors": _("%(name)s cannot take part in this inspection.") % {"name": person}}
                )
    else:
        for person in people:
            if (
                person.role == Role.ENTERPRISE
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
        org_unit=actor.org_unit if not _is_enterprise(actor) else site.district,
        latitude=latitude,
        longitude=longitude,
        position_accuracy=accuracy,
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
        if _is_enterprise(actor):
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
        self_reported=_is_enterprise(actor),
        reported_by=actor,
        reporting_unit=None if _is_enterprise(actor) else actor.org_unit,
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
    units = [u for u in responsible_units(site, sector_code) if u.pk != getattr(actor.org_unit, "pk", None)]
    _on_commit_notify(
        about=hazard,
        units=units,
        kind="inspections.hazard_new",
        title=title_text,
        url=_hazard_url(hazard),
        key=f"hazard:{hazard.pk}:new",
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
            title=fields.get("title") or item.text,
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
) -> Inspection:
    """Close the visit: every item of the checklist answered, the end time kept, the task done."""
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
    locked.save()
    if locked.task_id:
        InspectionTask.objects.filter(pk=locked.task_id).update(status=TaskStatus.DONE, completed_at=locked.ended_at)
    counts = {
        "answers": locked.answers.count(),
        "hazards": locked.hazards.count(),
        "major": locked.hazards.filter(grade=HazardGrade.MAJOR).count(),
    }
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
            actor=actor, inspection=inspection, note=note, latitude=latitude, longitude=longitude, accuracy=accuracy
        )


# --- hazard transitions ------------------------------------------------------------------------


def _check_actor(transition, actor, hazard: Hazard) -> None:
    if _is_enterprise(actor):
        if not transition.enterprise:
            raise PermissionDenied(_("An enterprise account cannot do this."))
        if transition.action == "commit" and not hazard.self_reported:
            raise PermissionDenied(_("The supervisor sets the deadline of a hazard it found: wait for the notice."))
        if transition.action == "fix_on_spot" and not hazard.self_reported:
            # An on-the-spot fix of what an inspector found is recorded by the inspector who saw it.
            raise PermissionDenied(_("The inspector who found this hazard records a fix on the spot."))
    elif not transition.government:
        raise PermissionDenied(_("Only the enterprise can do this."))


def _move(hazard: Hazard, *, actor, action: str, note: str = "", data=None, audit_extra=None) -> None:
    transition = check(action, hazard.status)
    from_status = hazard.status
    hazard.status = transition.target
    hazard.save()
    _event(hazard, actor=actor, action=action, from_status=from_status, note=note, data=data)
    audit.record(
        actor=actor,
        action="inspections.hazard.transition",
        obj=hazard,
        before={"status": from_status},
        after={"status": hazard.status, "action": action, "note": note, **(audit_extra or {})},
    )


def _transition(actor, hazard, action):
    locked = _lock_hazard(actor, hazard)
    transition = check(action, locked.status)
    _check_actor(transition, actor, locked)
    return locked


def _future_deadline(deadline, field="deadline") -> datetime.date:
    if deadline is None:
        raise ValidationError({field: _("Set the deadline.")})
    if deadline < timezone.localdate():
        raise ValidationError({field: _("The deadline cannot be in the past.")})
    return deadline


@transaction.atomic
def fix_on_spot(*, actor, hazard: Hazard, description: str, photos: Sequence) -> Hazard:
    """即查即改: fixed while the inspector is there, proven by an after-photo; still verified by someone else."""
    locked = _transition(actor, hazard, "fix_on_spot")
    if locked.is_major:
        # STANDARDS §5: a major hazard is rectified under a plan and verified on site, never 即查即改.
        raise TransitionError(
            _("A major hazard cannot be fixed on the spot: issue a rectification notice; it needs its plan."),
            code="forbidden",
        )
    if not photos:
        raise ValidationError({"photos": _("A hazard fixed on the spot needs a photo after the fix.")})
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was done.")})
    rectification = Rectification.objects.create(
        hazard=locked, on_the_spot=True, description=description, submitted_by=actor
    )
    store_photos(actor=actor, uploads=photos, stage=PhotoStage.AFTER, hazard=locked, rectification=rectification)
    locked.handling = Handling.ON_SPOT
    _move(locked, actor=actor, action="fix_on_spot", note=description)
    return locked


@transaction.atomic
def issue_notice(
    *, actor, hazard: Hazard, deadline: datetime.date, legal_basis: str = "", requirements: str = ""
) -> RectificationNotice:
    """限期整改: a numbered rectification notice (整改通知书) with its legal basis and deadline."""
    locked = _transition(actor, hazard, "issue_notice")
    _future_deadline(deadline)
    legal_basis = (legal_basis or locked.legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Cite the legal basis of the notice.")})
    notice = RectificationNotice.objects.create(
        hazard=locked,
        number=f"tmp-{locked.pk}",
        issuing_unit=actor.org_unit,
        issued_by=actor,
        deadline=deadline,
        legal_basis=legal_basis[:300],
        requirements=requirements,
    )
    prefix = (locked.district.short_name or locked.district.name)[:4]
    notice.number = f"{prefix}安整改〔{timezone.localtime(notice.issued_at):%Y}〕{notice.pk}号"
    notice.save(update_fields=["number"])
    locked.handling = Handling.DEADLINE
    locked.deadline = deadline
    locked.original_deadline = locked.original_deadline or deadline
    locked.legal_basis = legal_basis[:300]
    _move(
        locked,
        actor=actor,
        action="issue_notice",
        note=requirements,
        data={"notice": notice.number, "deadline": deadline},
        audit_extra={"notice": notice.number, "deadline": deadline},
    )
    _on_commit_notify(
        about=locked,
        users=enterprise_accounts(locked.site),
        kind="inspections.notice_issued",
        title=_("Rectification notice %(number)s: %(title)s, by %(deadline)s")
        % {"number": notice.number, "title": locked.title[:40], "deadline": deadline.isoformat()},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:notice",
    )
    return notice


@transaction.atomic
def commit_to_deadline(*, actor, hazard: Hazard, deadline: datetime.date, note: str = "") -> Hazard:
    """An enterprise that found a hazard itself commits to fix it by a date."""
    locked = _transition(actor, hazard, "commit")
    _future_deadline(deadline)
    locked.handling = Handling.DEADLINE
    locked.deadline = locked.original_deadline = deadline
    _move(locked, actor=actor, action="commit", note=note, data={"deadline": deadline})
    return locked


@transaction.atomic
def acknowledge_notice(*, actor, hazard: Hazard, note: str = "") -> Hazard:
    """签收: the place has received the notice and is rectifying."""
    locked = _transition(actor, hazard, "acknowledge")
    _move(locked, actor=actor, action="acknowledge", note=note)
    return locked


def _plan_fields(fields: dict[str, Any]) -> dict[str, Any]:
    names = ["objectives", "methods", "funds_and_materials", "organisation", "timeline", "safety_measures"]
    missing = [n for n in names if not str(fields.get(n) or "").strip()]
    errors = {n: _("This element of the plan is required.") for n in missing}
    funds = fields.get("funds")
    if funds in (None, ""):
        errors["funds"] = _("State the funds of the rectification.")
    else:
        try:
            funds = Decimal(str(funds))
        except (ArithmeticError, ValueError):
            errors["funds"] = _("The funds must be a number.")
        else:
            if funds < 0:
                errors["funds"] = _("The funds cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return {**{n: str(fields[n]).strip() for n in names}, "funds": funds}


@transaction.atomic
def file_plan(*, actor, hazard: Hazard, **fields) -> RectificationPlan:
    """The rectification plan of a major hazard: its six elements and the funds (STANDARDS §5)."""
    locked = _lock_hazard(actor, hazard)
    if locked.status not in (HazardStatus.NOTICE_ISSUED, HazardStatus.RECTIFYING, HazardStatus.REPORTED):
        raise TransitionError(
            _("A plan is filed while the hazard awaits rectification; it is “%(current)s”.")
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    plan = RectificationPlan.objects.create(hazard=locked, filed_by=actor, **_plan_fields(fields))
    _event(locked, actor=actor, action="plan_filed", data={"funds": plan.funds})
    audit.record(actor=actor, action="inspections.hazard.plan", obj=locked, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def submit_rectification(
    *, actor, hazard: Hazard, description: str, photos: Sequence, cost: Decimal | None = None
) -> Rectification:
    """The place reports the hazard fixed, with after-photos; a major hazard needs its plan filed first."""
    locked = _transition(actor, hazard, "submit")
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was done.")})
    if not photos:
        raise ValidationError({"photos": _("Submit at least one photo after the rectification.")})
    if locked.is_major and not locked.plans.exists():
        raise ValidationError(_("A major hazard needs its rectification plan (six elements and funds) first."))
    rectification = Rectification.objects.create(hazard=locked, description=description, cost=cost, submitted_by=actor)
    store_photos(actor=actor, uploads=photos, stage=PhotoStage.AFTER, hazard=locked, rectification=rectification)
    _move(locked, actor=actor, action="submit", note=description, data={"rectification": rectification.pk})
    verifiers = [u for u in [locked.reporting_unit] if u] or responsible_units(locked.site, locked.sector_id)
    _on_commit_notify(
        about=locked,
        units=verifiers,
        kind="inspections.submitted",
        title=_("Rectification submitted for verification: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:submitted:{rectification.pk}",
    )
    return rectification


def _pending_rectification(hazard: Hazard) -> Rectification:
    rectification = hazard.rectifications.filter(result=RectificationResult.PENDING).order_by("-submitted_at").first()
    if rectification is None:
        raise ValidationError(_("There is no rectification to verify."))
    return rectification


def _check_verifier(actor, hazard: Hazard, rectification: Rectification) -> None:
    """Nobody verifies their own work: not the one who submitted the rectification, never the enterprise."""
    if _is_enterprise(actor):
        raise PermissionDenied(_("An enterprise cannot verify its own rectification."))
    if rectification.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this rectification: someone else must verify it."))


@transaction.atomic
def verify(*, actor, hazard: Hazard, note: str = "") -> Hazard:
    """复查验收: closes the loop. Needs at least one after-photo and a verifier who did not do the work."""
    locked = _transition(actor, hazard, "verify")
    rectification = _pending_rectification(locked)
    _check_verifier(actor, locked, rectification)
    if not rectification.photos.exists():
        raise ValidationError(_("Verification needs at least one photo after the rectification."))
    now = timezone.now()
    Rectification.objects.filter(pk=rectification.pk).update(
        result=RectificationResult.ACCEPTED, reviewed_by=actor, reviewed_at=now, review_note=note
    )
    locked.closed_at = now
    locked.verified_by = actor
    _move(locked, actor=actor, action="verify", note=note, data={"rectification": rectification.pk})
    _on_commit_notify(
        about=locked,
        users=enterprise_accounts(locked.site),
        kind="inspections.verified",
        title=_("Hazard verified and closed: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:verified",
    )
    _risk_inputs_changed(locked.site_id)
    return locked


@transaction.atomic
def reject(*, actor, hazard: Hazard, reason: str, deadline: datetime.date | None = None) -> Hazard:
    """Verification failed: back to rectifying, with the reason (and a deadline if there was none)."""
    locked = _transition(actor, hazard, "reject")
    rectification = _pending_rectification(locked)
    _check_verifier(actor, locked, rectification)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the rectification is rejected.")})
    if deadline is not None or locked.deadline is None:
        locked.deadline = _future_deadline(deadline)
        locked.original_deadline = locked.original_deadline or locked.deadline
    Rectification.objects.filter(pk=rectification.pk).update(
        result=RectificationResult.REJECTED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=reason
    )
    locked.rejection_count += 1
    locked.handling = Handling.DEADLINE
    _move(
        locked,
        actor=actor,
        action="reject",
        note=reason,
        data={"rectification": rectification.pk, "deadline": locked.deadline, "failures": locked.rejection_count},
    )
    _on_commit_notify(
        about=locked,
        users=enterprise_accounts(locked.site),
        kind="inspections.rejected",
        title=_("Rectification rejected: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:rejected:{rectification.pk}",
    )
    return locked


def available_actions(
    user, hazard: Hazard, *, pending_submitter_id: int | None, site_actions: list[tuple[str, str]] | None = None
) -> list[str]:
    """What the user may do with the hazard now, in the order of the loop — the one rule the page and the
    API both show (the services themselves still decide every request).

    From the transition table and the user's side: an enterprise account acts only as the place (fixing on
    the spot and committing to a deadline only for what it found itself); a supervising officer takes the
    supervisor's steps; a major hazard is never fixed on the spot; nobody verifies or rejects their own
    submission; a major hazard awaiting rectification takes its plan. Escalation, suspension (with
    :func:`suspension_grounds`) and a closure request (after a suspension order, none pending) are for
    officers. ``site_actions`` are the (kind, decision) of the place's enforcement actions; a list that
    cannot afford that query passes None and offers suspension only for an operating place.
    """
    scope = scope_of(user)
    if scope.sees_nothing or scope.read_only:
        return []
    enterprise = _is_enterprise(user)
    names = []
    for transition in allowed_from(hazard.status):
        if enterprise:
            if not transition.enterprise:
                continue
            if transition.action in ("commit", "fix_on_spot") and not hazard.self_reported:
                continue
        elif not transition.government:
            continue
        if transition.action == "fix_on_spot" and hazard.is_major:
            continue
        if transition.action in ("verify", "reject") and pending_submitter_id == user.pk:
            continue
        names.append(transition.action)
    if hazard.is_major and hazard.status in (
        HazardStatus.REPORTED,
        HazardStatus.NOTICE_ISSUED,
        HazardStatus.RECTIFYING,
    ):
        position = names.index("submit") if "submit" in names else len(names)
        names.insert(position, "plan")
    if enterprise or not hazard.is_open:
        return names
    names.append("escalate")
    site_status = hazard.site.status
    kinds = {kind for kind, _decision in site_actions} if site_actions is not None else None
    suspended_by_order = site_status == SiteStatus.SUSPENDED and (kinds is None or EnforcementKind.SUSPENSION in kinds)
    if suspension_grounds(hazard) and (
        site_status == SiteStatus.OPERATING or (site_status == SiteStatus.SUSPENDED and not suspended_by_order)
    ):
        names.append("suspend")
    pending_closure = site_actions is not None and any(
        kind == EnforcementKind.CLOSURE and decision == ClosureDecision.PENDING for kind, decision in site_actions
    )
    if suspended_by_order and not pending_closure:
        names.append("request_closure")
    return names


# --- escalation and enforcement -----------------------------------------------------------------


def _safety_office(district_id: int) -> OrgUnit | None:
    return (
        OrgUnit.objects.filter(district_id=district_id, kind=OrgUnitKind.SAFETY_OFFICE, is_active=True)
        .order_by("order", "id")
        .first()
    )


def _default_official(hazard: Hazard) -> str:
    """挂牌督办 names the person who answers for the rectification: the enterprise's principal."""
    enterprise = hazard.site.enterprise
    if enterprise is not None and enterprise.principal:
        return _("%(name)s (principal of %(enterprise)s)") % {
            "name": enterprise.principal,
            "enterprise": enterprise.name,
        }
    unit = hazard.site.territory or hazard.district
    return _("Principal of %(unit)s") % {"unit": unit.name}


def _escalate(
    hazard: Hazard,
    *,
    actor,
    reason: str,
    automatic: bool,
    official: str = "",
    new_deadline: datetime.date | None = None,
    supervising_unit: OrgUnit | None = None,
    note: str = "",
) -> Escalation:
    today = timezone.localdate()
    if new_deadline is None:
        if reason == Escalation.Reason.MAJOR:
            new_deadline = hazard.deadline or today + datetime.timedelta(days=MAJOR_DEFAULT_DAYS)
        else:
            new_deadline = today + datetime.timedelta(days=ESCALATION_DAYS)
    supervising_unit = (
        supervising_unit or _safety_office(hazard.district_id) or hazard.reporting_unit or hazard.district
    )
    escalation = Escalation.objects.create(
        hazard=hazard,
        reason=reason,
        supervising_unit=supervising_unit,
        responsible_official=(official or _default_official(hazard))[:100],
        previous_deadline=hazard.deadline,
        new_deadline=new_deadline,
        note=note,
        automatic=automatic,
        created_by=actor,
    )
    # The supervision's deadline becomes the hazard's (a notice issued later sets its own).
    hazard.original_deadline = hazard.original_deadline or hazard.deadline
    hazard.deadline = new_deadline
    hazard.escalated_at = escalation.created_at
    hazard.save(update_fields=["deadline", "original_deadline", "escalated_at"])
    _event(
        hazard,
        actor=actor,
        action="escalated",
        note=note,
        data={
            "reason": reason,
            "official": escalation.responsible_official,
            "unit": supervising_unit.name,
            "deadline": new_deadline,
        },
    )
    audit.record(
        actor=actor,
        action="inspections.hazard.escalate",
        obj=hazard,
        after={"reason": reason, "official": escalation.responsible_official, "deadline": new_deadline},
        org_unit=supervising_unit if actor is None else None,
    )
    _on_commit_notify(
        about=hazard,
        units=[supervising_unit, *responsible_units(hazard.site, hazard.sector_id)],
        users=enterprise_accounts(hazard.site),
        kind="inspections.escalated",
        title=_("Escalated supervision: %(title)s at %(site)s, new deadline %(deadline)s")
        % {"title": hazard.title[:40], "site": hazard.site.name, "deadline": new_deadline.isoformat()},
        url=_hazard_url(hazard),
        key=f"hazard:{hazard.pk}:escalated:{escalation.pk}",
    )
    _risk_inputs_changed(hazard.site_id)
    return escalation


@transaction.atomic
def escalate(
    *, actor, hazard: Hazard, official: str, new_deadline: datetime.date, note: str = "", reason: str = "other"
) -> Escalation:
    """挂牌督办 by a supervisor: a named responsible official and a new deadline."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    if not locked.is_open:
        raise TransitionError(
            _("A hazard that is “%(current)s” is closed and cannot be escalated.")
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    if not (official or "").strip():
        raise ValidationError({"official": _("Name the responsible official.")})
    _future_deadline(new_deadline, "new_deadline")
    return _escalate(
        locked,
        actor=actor,
        reason=reason if reason in Escalation.Reason.values else Escalation.Reason.OTHER,
        automatic=False,
        official=official.strip(),
        new_deadline=new_deadline,
        supervising_unit=actor.org_unit,
        note=note,
    )


def suspension_grounds(hazard: Hazard) -> str:
    """Why a place may be ordered to suspend operations over this hazard ("" when it may not):
    a major hazard while it cannot guarantee safety; a second failed verification; refusing to rectify
    (still overdue under escalated supervision)."""
    if not hazard.is_open:
        return ""
    if hazard.is_major:
        return _("major hazard not yet rectified")
    if hazard.rejection_count >= 2:
        return _("failed verification %(count)s times") % {"count": hazard.rejection_count}
    if hazard.is_escalated and hazard.is_overdue:
        return _("still overdue under escalated supervision")
    return ""


@transaction.atomic
def order_suspension(*, actor, hazard: Hazard, reason: str) -> EnforcementAction:
    """责令停产停业整顿: the place's status becomes suspended."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    grounds = suspension_grounds(locked)
    if not grounds:
        raise TransitionError(
            _(
                "A suspension order needs grounds: a major hazard, a second failed verification, or a hazard still "
                "overdue under escalated supervision. This hazard is “%(current)s”."
            )
            % {"current": locked.get_status_display()},
            code="forbidden",
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the order.")})
    site = locked.site
    if site.status == SiteStatus.OPERATING:
        registry_services.change_status(
            actor=actor, site=site, to_status=SiteStatus.SUSPENDED, reason=_("Suspension order: %(r)s") % {"r": reason}
        )
    elif site.status != SiteStatus.SUSPENDED:
        raise ValidationError(
            _("The place is “%(status)s”: it cannot be suspended.") % {"status": site.get_status_display()}
        )
    action = EnforcementAction.objects.create(
        hazard=locked,
        site=site,
        kind=EnforcementKind.SUSPENSION,
        reason=f"{grounds}；{reason}",
        issued_by=actor,
        issuing_unit=actor.org_unit,
    )
    prefix = (locked.district.short_name or locked.district.name)[:4]
    action.number = f"{prefix}安责停〔{timezone.localtime(action.issued_at):%Y}〕{action.pk}号"
    action.save(update_fields=["number"])
    _event(locked, actor=actor, action="suspension_ordered", note=reason, data={"number": action.number})
    audit.record(actor=actor, action="inspections.enforcement.suspend", obj=locked, after=audit.snapshot(action))
    _on_commit_notify(
        about=locked,
        users=enterprise_accounts(site),
        kind="inspections.suspension",
        title=_("Order to suspend operations at %(site)s") % {"site": site.name},
        url=_hazard_url(locked),
        key=f"enforcement:{action.pk}",
    )
    return action


@transaction.atomic
def request_closure(*, actor, hazard: Hazard, reason: str) -> EnforcementAction:
    """提请关闭: after a suspension order the place still fails; the safety office decides for the government."""
    _require_government(actor)
    locked = _lock_hazard(actor, hazard)
    site = Site.objects.select_for_update().get(pk=locked.site_id)
    if not locked.is_open:
        raise TransitionError(_("The hazard is closed."), code="forbidden")
    if (
        site.status != SiteStatus.SUSPENDED
        or not EnforcementAction.objects.filter(site=site, kind=EnforcementKind.SUSPENSION).exists()
    ):
        raise TransitionError(
            _("Closure can be requested only for a place under a suspension order."), code="forbidden"
        )
    if EnforcementAction.objects.filter(
        site=site, kind=EnforcementKind.CLOSURE, decision=ClosureDecision.PENDING
    ).exists():
        raise TransitionError(_("A closure request for this place awaits its decision already."), code="conflict")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the request.")})
    action = EnforcementAction.objects.create(
        hazard=locked,
        site=site,
        kind=EnforcementKind.CLOSURE,
        reason=reason,
        issued_by=actor,
        issuing_unit=actor.org_unit,
        decision=ClosureDecision.PENDING,
    )
    _event(locked, actor=actor, action="closure_requested", note=reason)
    audit.record(
        actor=actor, action="inspections.enforcement.request_closure", obj=locked, after=audit.snapshot(action)
    )
    office = _safety_office(site.district_id)
    _on_commit_notify(
        about=locked,
        units=[office] if office else [],
        kind="inspections.closure_requested",
        title=_("Closure of %(site)s requested") % {"site": site.name},
        url=_hazard_url(locked),
        key=f"enforcement:{action.pk}",
    )
    return action


@transaction.atomic
def decide_closure(*, actor, action: EnforcementAction, approve: bool, note: str) -> EnforcementAction:
    """The safety office decides on behalf of the district government; approval closes the place and
    its open hazards with it."""
    if not getattr(actor, "can_decide_responsibility", False):
        raise PermissionDenied(_("The safety office decides closure requests on behalf of the district government."))
    locked = (
        EnforcementAction.objects.editable_by(actor)
        .select_for_update()
        .filter(pk=action.pk, kind=EnforcementKind.CLOSURE)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot decide this request."))
    if locked.decision != ClosureDecision.PENDING:
        raise TransitionError(
            _("This request has been decided already: %(decision)s.") % {"decision": locked.get_decision_display()},
            code="conflict",
        )
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the grounds of the decision.")})
    locked.decision = ClosureDecision.APPROVED if approve else ClosureDecision.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    prefix = (locked.site.district.short_name or locked.site.district.name)[:4]
    if approve:
        locked.number = f"{prefix}政关〔{timezone.localtime(locked.decided_at):%Y}〕{locked.pk}号"
    locked.save()
    hazard = Hazard.objects.select_for_update().get(pk=locked.hazard_id)
    _event(hazard, actor=actor, action="closure_decided", note=note, data={"decision": locked.decision})
    audit.record(actor=actor, action="inspections.enforcement.decide_closure", obj=hazard, after=audit.snapshot(locked))
    if approve:
        registry_services.change_status(
            actor=actor,
            site=locked.site,
            to_status=SiteStatus.CLOSED,
            reason=_("Closed by decision %(number)s: %(note)s") % {"number": locked.number, "note": note},
        )
        for open_hazard in Hazard.objects.select_for_update().filter(site_id=locked.site_id, status__in=OPEN_STATUSES):
            open_hazard.closed_at = timezone.now()
            _move(open_hazard, actor=actor, action="close_with_site", note=locked.number)
    return locked


# --- the periodic job ---------------------------------------------------------------------------


def scan_deadlines(*, today: datetime.date | None = None) -> dict[str, int]:
    """Find what became due or overdue (run hourly by Celery beat or the embedded scheduler).

    Reminds places and supervisors 3 days before a deadline, marks overdue hazards on their timeline
    once, escalates an overdue hazard that is not yet under escalated supervision (挂牌督办), escalates
    any major hazard that somehow is not, and reminds inspectors of tasks due soon or overdue. Every
    notification carries a dedupe key, so running the job twice sends nothing twice. The notifications go
    out in batches (core.notifications.batched), each to those who may see the hazard or task: reminding
    about a thousand hazards costs the queries of a few batches, not of a thousand sends.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0, "tasks_due": 0}
    base = Hazard.objects.select_related("site", "site__enterprise", "site__territory", "district")
    accounts = Prefetch(
        "site__enterprise__accounts", queryset=User.objects.filter(is_active=True).only("pk"), to_attr="active_accounts"
    )

    with notify.batched() as outbox:
        due = base.filter(status__in=DEADLINE_STATUSES, deadline__gte=today, deadline__lte=soon)
        for hazard in due.prefetch_related(accounts).order_by("pk").iterator(chunk_size=500):
            counts["due_soon"] += 1
            enterprise = hazard.site.enterprise
            outbox.add(
                notify.Message(
                    about=hazard,
                    units=(hazard.reporting_unit_id,) if hazard.reporting_unit_id else (),
                    users=tuple(account.pk for account in enterprise.active_accounts) if enterprise else (),
                    kind="inspections.due_soon",
                    title=_("Rectification due on %(deadline)s: %(title)s at %(site)s")
                    % {"deadline": hazard.deadline.isoformat(), "title": hazard.title[:40], "site": hazard.site.name},
                    url=_hazard_url(hazard),
                    dedupe_key=f"hazard:{hazard.pk}:due:{hazard.deadline.isoformat()}",
                )
            )
        _mark_overdue(base, today=today, counts=counts)
        _escalate_major(base, counts=counts)

        tasks = InspectionTask.objects.filter(status=TaskStatus.OPEN, due_on__lte=soon).select_related("site")
        task_list_url = reverse("inspections:task_list")
        for task in tasks.order_by("pk").iterator(chunk_size=500):
            overdue = task.due_on < today
            title = (
                _("Inspection of %(site)s overdue since %(due)s")
                if overdue
                else _("Inspection of %(site)s due on %(due)s")
            ) % {"site": task.site.name, "due": task.due_on.isoformat()}
            outbox.add(
                notify.Message(
                    about=task,
                    units=() if task.assignee_id else (task.assignee_unit_id,),
                    users=(task.assignee_id,) if task.assignee_id else (),
                    kind="inspections.task_due",
                    title=title,
                    url=task_list_url,
                    dedupe_key=f"task:{task.pk}:{'overdue' if overdue else 'due'}",
                )
            )
            counts["tasks_due"] += 1
    return counts


def _mark_overdue(base, *, today: datetime.date, counts: dict[str, int]) -> None:
    """Each hazard past its deadline, once per deadline: a timeline event, a notification, an escalation.
    One transaction per hazard, so a failure leaves the others marked."""
    # Marked overdue for this very deadline already (a text comparison: the event keeps the date as ISO text).
    already_marked = HazardEvent.objects.annotate(marked_deadline=KT("data__deadline")).filter(
        hazard_id=OuterRef("pk"), action="overdue", marked_deadline=Cast(OuterRef("deadline"), CharField())
    )
    overdue_ids = list(
        base.filter(status__in=DEADLINE_STATUSES, deadline__lt=today)
        .exclude(Exists(already_marked))
        .values_list("pk", flat=True)
    )
    for pk in overdue_ids:
        with transaction.atomic():
            hazard = base.select_for_update(of=("self",)).get(pk=pk)
            if hazard.status not in DEADLINE_STATUSES or hazard.deadline is None or hazard.deadline >= today:
                continue
            marker = hazard.deadline.isoformat()
            if hazard.events.filter(action="overdue", data__deadline=marker).exists():
                continue
            counts["overdue"] += 1
            _event(hazard, actor=None, action="overdue", data={"deadline": marker})
            _risk_inputs_changed(hazard.site_id)
            _on_commit_notify(
                about=hazard,
                units=[
                    *[u for u in [hazard.reporting_unit_id] if u],
                    *responsible_units(hazard.site, hazard.sector_id),
                ],
                users=enterprise_accounts(hazard.site),
                kind="inspections.overdue",
                title=_("Overdue since %(deadline)s: %(title)s at %(site)s")
                % {"deadline": marker, "title": hazard.title[:40], "site": hazard.site.name},
                url=_hazard_url(hazard),
                key=f"hazard:{hazard.pk}:overdue:{marker}",
            )
            if not hazard.is_escalated:
                _escalate(hazard, actor=None, reason=Escalation.Reason.OVERDUE, automatic=True)
                counts["escalated"] += 1


def _escalate_major(base, *, counts: dict[str, int]) -> None:
    """A major hazard is always under escalated supervision: escalate any that somehow is not."""
    for pk in base.filter(status__in=OPEN_STATUSES, grade=HazardGrade.MAJOR, escalated_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            hazard = base.select_for_update(of=("self",)).get(pk=pk)
            if hazard.escalated_at is None and hazard.is_open:
                _escalate(hazard, actor=None, reason=Escalation.Reason.MAJOR, automatic=True)
                counts["escalated"] += 1
