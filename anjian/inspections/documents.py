"""The rectification notice (安全生产隐患整改通知书) as a Word document (issue 4, item 6).

An official document has a fixed Chinese wording and layout whatever language the user reads the pages in,
so its text is written here in Chinese, not through translation strings: title, number, addressee, the
inspection it follows, the hazard table (序号、隐患、部位、等级、依据), the legal basis, the deadline
("限于 YYYY年M月D日前整改完毕"), the requirements, the enforcing department and date, the supervising unit when
the hazard was under escalated supervision, and the signature lines.

责令限期整改 is an enforcement act, so the notice speaks in the name of the department with legal power over the
hazard's sector (``notice.enforcing_unit``), never in the safety office's; the safety office appears as 督办单位.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from anjian.core.docx import TITLE_FONT, add_table, add_text, cn_date, document_bytes, official_document, set_font
from anjian.inspections.choices import HazardGrade

TITLE = "安全生产隐患整改通知书"
TABLE_HEADERS = ("序号", "隐患", "部位", "等级", "依据")
GRADE_LABELS = {HazardGrade.GENERAL: "一般事故隐患", HazardGrade.MAJOR: "重大事故隐患"}


def notice_filename(notice) -> str:
    return f"整改通知书-{notice.number}.docx"


def _inspection_date(hazard) -> datetime.date:
    moment = hazard.inspection.started_at if hazard.inspection_id else hazard.reported_at
    return timezone.localtime(moment).date()


def notice_rows(notice) -> list[tuple[str, str, str, str, str]]:
    """The hazard table of the notice: one row per hazard it orders rectified."""
    hazard = notice.hazard
    basis = "；".join(part for part in (hazard.criterion_label, hazard.legal_basis or notice.legal_basis) if part)
    title = (
        hazard.title
        if not hazard.description or hazard.description == hazard.title
        else (f"{hazard.title}（{hazard.description}）")
    )
    return [("1", title, hazard.location or "—", GRADE_LABELS.get(hazard.grade, hazard.grade), basis)]


def notice_document(notice) -> bytes:
    """The notice as .docx bytes. ``notice.hazard`` is expected with its place, enterprise and inspection."""
    hazard = notice.hazard
    site = hazard.site
    addressee = site.enterprise.name if site.enterprise_id else site.name

    enforcer = notice.enforcing_unit.name
    document = official_document(title=f"安全生产隐患整改通知书 {notice.number}", author=enforcer, body_size=14)

    issuer = add_text(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_font(issuer.add_run(enforcer), name=TITLE_FONT, size=16, bold=True)
    title = add_text(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_font(title.add_run(TITLE), name=TITLE_FONT, size=22, bold=True)
    add_text(document, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER)

    add_text(document, f"{addressee}：")
    place = f"{site.name}（{site.address}）" if site.address else site.name
    add_text(
        document,
        f"{cn_date(_inspection_date(hazard))}，经对你单位{place}进行安全生产检查，发现存在下列事故隐患：",
        indent=True,
    )

    add_table(
        document,
        TABLE_HEADERS,
        notice_rows(notice),
        size=12,
        widths=(Cm(1.3), Cm(5.6), Cm(3.0), Cm(2.6), Cm(3.1)),
    )

    add_text(
        document,
        f"依据{notice.legal_basis}的规定，现责令你单位对上述事故隐患进行整改，"
        f"限于 {cn_date(notice.deadline)}前整改完毕，并将整改情况书面报告我单位复查。",
        indent=True,
    )
    if hazard.grade == HazardGrade.MAJOR:
        add_text(
            document,
            "上述隐患属重大事故隐患，你单位应当制定并实施整改方案（目标和任务、方法和措施、经费和物资、"
            "机构和人员、时限和要求、安全措施和应急预案），在隐患排除前或者排除过程中无法保证安全的，"
            "应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。",
            indent=True,
        )
    if notice.requirements.strip():
        add_text(document, f"整改要求：{notice.requirements.strip()}", indent=True)
    add_text(
        document,
        "整改期间，你单位应当采取必要的安全防范措施，防止事故发生。逾期未整改或者整改不合格的，将依法处理。",
        indent=True,
    )
    if notice.supervising_unit_id and notice.supervising_unit_id != notice.enforcing_unit_id:
        add_text(
            document,
            f"该隐患已由{notice.supervising_unit.name}挂牌督办，整改情况同时报送督办单位。",
            indent=True,
        )

    add_text(document)
    add_text(document, enforcer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(document, cn_date(timezone.localtime(notice.issued_at).date()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(document)
    add_text(document, "检查人员（签名）：____________　　日期：____年__月__日")
    add_text(document, "被检查单位负责人（签名）：____________　　日期：____年__月__日")
    if notice.supervising_unit_id and notice.supervising_unit_id != notice.enforcing_unit_id:
        add_text(document, f"督办单位：{notice.supervising_unit.name}")
    add_text(document, "本通知书一式两份，一份交被检查单位，一份存档。", size=12)

    return document_bytes(document)
