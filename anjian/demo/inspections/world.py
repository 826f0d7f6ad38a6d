"""What the demo inspection seeding works on: the district's places and people, the clock, the rows being built,
and the sample photos every finding and rectification reuses."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.accounts.models import User
from anjian.demo.inspections.vocabulary import CITY, ENTERPRISE, GOVERNMENT, OFFICE, PHOTO_DIR
from anjian.inspections import evidence
from anjian.inspections.choices import (
    PhotoStage,
    PhotoStatus,
)
from anjian.inspections.models import (
    ChecklistTemplate,
)
from anjian.organizations import selectors as org_selectors
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector


@dataclass
class SiteInfo:
    pk: int
    name: str
    status: str
    territory_id: int | None
    enterprise_id: int | None
    principal: str
    enterprise_name: str
    longitude: Decimal | None
    latitude: Decimal | None
    risk_level: str
    sectors: list[str] = field(default_factory=list)
    checklist: ChecklistTemplate | None = None
    officers: list[User] = field(default_factory=list)  # the demo officers (not the office) who may act here
    account: User | None = None  # the enterprise account of the place, if any


@dataclass
class PhotoFile:
    file: str
    thumbnail: str
    content_type: str
    width: int
    height: int
    sha256: str
    phash: str
    original_size: int


class World:
    """The district, its people and places, the clock and the rows being built."""

    def __init__(self, district: OrgUnit, rng: random.Random, now: datetime.datetime):
        self.district = district
        self.rng = rng
        self.now = now
        self.today = timezone.localtime(now).date()
        self.tz = timezone.get_current_timezone()
        self.prefix = (district.short_name or district.name)[:4]
        users = {
            u.username: u
            for u in User.objects.select_related("org_unit").filter(
                username__in=[*GOVERNMENT, OFFICE, CITY, ENTERPRISE]
            )
        }
        missing = [name for name in (OFFICE, CITY) if name not in users]
        if missing:
            raise RuntimeError(f"demo accounts missing: {', '.join(missing)} (run seed_demo)")
        self.users = users
        self.office_user = users[OFFICE]
        self.city_user = users[CITY]
        self.office_unit = (
            OrgUnit.objects.filter(district=district, kind=OrgUnitKind.SAFETY_OFFICE).order_by("order", "id").first()
        )
        self.officers = [users[name] for name in GOVERNMENT if name in users]
        # The department in whose name each sector's rectification notices are issued (责令限期整改).
        self.enforcers: dict[str, int] = {
            code: unit.pk
            for code, unit in org_selectors.enforcing_departments(
                district_id=district.pk, sector_codes=list(Sector.objects.values_list("code", flat=True))
            ).items()
        }
        self.rows: dict[str, list] = {
            name: []
            for name in (
                "tasks",
                "inspections",
                "inspectors",
                "answers",
                "hazards",
                "notices",
                "plans",
                "rectifications",
                "escalations",
                "deadline_changes",
                "enforcement",
                "events",
                "photos",
                "status_changes",
            )
        }
        self.fillers: list = []  # data of events that needs primary keys, filled before the events are written
        self.finding_photos: list[PhotoFile] = []
        self.after_photos: list[PhotoFile] = []
        self.photo_counter = 0
        self.territory_names: dict[int, str] = {}

    # time helpers
    def moment(self, day: datetime.date, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=self.tz)

    def working_time(self, day: datetime.date) -> datetime.datetime:
        if day.weekday() >= 5 and self.rng.random() < 0.85:  # most visits fall on working days
            day -= datetime.timedelta(days=day.weekday() - 4)
        start = self.moment(day, 8, 30) + datetime.timedelta(minutes=self.rng.randint(0, 8 * 60))
        latest = self.now - datetime.timedelta(hours=3)
        while start > latest:
            start -= datetime.timedelta(days=1)
        return start

    def official(self, site: SiteInfo) -> str:
        """挂牌督办 names the person who answers for the rectification: the enterprise's principal."""
        if site.principal:
            return f"{site.principal}（{site.enterprise_name}主要负责人）"[:100]
        unit = self.territory_names.get(site.territory_id) or self.district.name
        return f"{unit}主要负责人"[:100]


# --- photos ---------------------------------------------------------------------------------------------------------


def store_sample(world: World, index: int, stage: str) -> PhotoFile:
    """One generated photo, processed like an upload and stored once under a fixed name."""
    label = f"{'HAZARD' if stage == PhotoStage.FINDING else 'FIXED'} {index:02d}"
    seed = (1000 if stage == PhotoStage.FINDING else 2000) + index
    data = evidence.sample_photo(seed=seed, label=label, size=(960, 720))
    processed = evidence.process_photo(SimpleUploadedFile(f"{label}.jpg", data, content_type="image/jpeg"))
    name = f"{PHOTO_DIR}/{stage}-{index:02d}.{processed.extension}"
    thumb = f"{PHOTO_DIR}/{stage}-{index:02d}-thumb.jpg"
    for path, content in ((name, processed.content), (thumb, processed.thumbnail)):
        if not default_storage.exists(path):
            saved = default_storage.save(path, ContentFile(content))
            if saved != path:
                raise RuntimeError(f"demo photo stored as {saved}, expected {path}")
    return PhotoFile(
        file=name,
        thumbnail=thumb,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        sha256=processed.sha256,
        phash=processed.phash,
        original_size=processed.original_size,
    )


def add_photo(world: World, stage: str, *, at, by, site: SiteInfo, **owners) -> dict:
    """A Photo row (as a record: owners are resolved to ids when written) reusing one of the stored samples."""
    pool = world.finding_photos if stage == PhotoStage.FINDING else world.after_photos
    world.photo_counter += 1
    sample = pool[world.rng.randrange(len(pool))]
    latitude = longitude = None
    if site.latitude is not None and site.longitude is not None:
        latitude = (site.latitude + Decimal(world.rng.randint(-200, 200)) / 1_000_000).quantize(Decimal("0.000001"))
        longitude = (site.longitude + Decimal(world.rng.randint(-200, 200)) / 1_000_000).quantize(Decimal("0.000001"))
    local = timezone.localtime(at)
    photo = dict(
        stage=stage,
        status=PhotoStatus.READY,
        failure_reason="",
        original="",
        queued_at=None,
        attempts=0,
        file=sample.file,
        thumbnail=sample.thumbnail,
        content_type=sample.content_type,
        width=sample.width,
        height=sample.height,
        sha256=sample.sha256,
        phash=sample.phash,
        original_name=f"IMG_{local:%Y%m%d_%H%M%S}.jpg",
        original_size=sample.original_size,
        taken_at=at,
        latitude=latitude,
        longitude=longitude,
        uploaded_by_id=by.pk,
        uploaded_at=at,
        **owners,
    )
    world.rows["photos"].append(photo)
    return photo
