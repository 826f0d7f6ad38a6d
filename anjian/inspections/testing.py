"""Helpers for tests of the hazard loop: a place of the cast with an enterprise account, a short
checklist, photos (processed as the worker does), and a hazard found by an inspection."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.inspections import evidence, services
from anjian.inspections.choices import AnswerResult, PhotoStatus
from anjian.inspections.models import Photo
from anjian.inspections.tasks import process_evidence_photo
from anjian.registry.testing import make_site

SHORT_CHECKLIST = [
    {"text": "疏散通道、安全出口畅通", "legal_basis": "《消防法》第二十八条", "photo_required": False},
    {
        "text": "按国家标准分区分类储存危险化学品",
        "criterion_text": "未按国家标准分区分类储存危险化学品",
        "legal_basis": "《危险化学品安全管理条例》第二十四条",
        "criteria_document": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        "criteria_edition": "安监总管三〔2017〕121号",
        "criteria_number": "第二十条",
    },
    {"text": "灭火器在有效期内", "legal_basis": "《消防法》第十六条", "photo_required": True},
]


def photo(n: int = 1, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"p{n}.jpg", evidence.sample_photo(seed=n, label=f"P{n}"), "image/jpeg")


def damaged_photo(name: str = "损坏.png") -> SimpleUploadedFile:
    """A PNG whose structure is sound (signature, chunks, checksums, the end marker) but whose pixel data does not
    inflate: it passes the checks made in the request and fails only when a worker decodes it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not deflated" * 8) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, data, "image/png")


def process_photos(photos=None) -> None:
    """Run the processing task of the photos still processing (all of them by default), as a worker does once the
    upload commits: inside a test's transaction, which never commits, nothing queues it."""
    queryset = Photo.objects.all() if photos is None else photos
    for pk in queryset.filter(status=PhotoStatus.PROCESSING).values_list("pk", flat=True):
        process_evidence_photo(pk)


def loop_place(cast, *, name="东街化工仓库", enterprise_n=501, sectors=(("hazchem", ""),)):
    """A hazchem place in the cast's street (so the street and the emergency bureau both answer for it),
    whose enterprise is the cast's enterprise account."""
    site = make_site(
        district=cast.district, territory=cast.street, sectors=sectors, enterprise_n=enterprise_n, name=name
    )
    site.enterprise.accounts.add(cast.enterprise)
    return site


def short_checklist(cast, code="short_hazchem", sector="hazchem"):
    return services.create_checklist(
        actor=cast.city_admin, code=code, name="简短检查表", sector_code=sector, items=SHORT_CHECKLIST
    )


def found_hazard(cast, site, *, inspector=None, major=False, checklist=None, seed=1):
    """A hazard found by an inspection of ``site``: item 1 (general) or item 2 (a major criterion) 不符合."""
    inspector = inspector or cast.street_officer
    checklist = checklist or short_checklist(cast, code=f"short-{site.pk}-{seed}")
    inspection = services.start_inspection(actor=inspector, site=site, checklist=checklist)
    item = list(checklist.items.all())[1 if major else 0]
    answer = services.record_answer(
        actor=inspector,
        inspection=inspection,
        item=item,
        result=AnswerResult.NONCOMPLIANT,
        note="现场发现",
        photos=[photo(seed)],
    )
    process_photos(answer.hazard.photos.all())
    return answer.hazard


def zh(msgid: str) -> str:
    """The Chinese a page shows for a source string (the msgid itself while the catalogue lacks it)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(msgid)
