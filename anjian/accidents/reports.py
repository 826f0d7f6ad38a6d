"""The accident statistics workbook (.xlsx) and the background jobs that generate it and the briefing
(:mod:`anjian.accidents.briefing` builds the briefing's document; a job here asks for it).

The workbook has one sheet per grouping — by category (with the total, and simple-procedure traffic accidents
shown apart, never added), by street, by sector of production safety — each with the four indices now, a year
earlier (同比) and the period before (环比) and the changes worded as officials write them; then the list of
the period's accidents. Like every export it is in Chinese whatever the user's language (a working document
handed on to others) and escapes text a spreadsheet would run as a formula.

A job holds only the period and grouping; the task fetches it by id and calls :func:`run_job`, which builds
the file as the job's creator sees the data, stores it on the job, and reports progress and a clear failure.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from anjian.accidents import briefing, selectors
from anjian.accidents.choices import AccidentCategory
from anjian.accidents.selectors import Period
from anjian.core import audit, audit_labels, jobs, xlsx
from anjian.core.xlsx import escape_cell

BRIEFING_KIND = "accidents.briefing"
WORKBOOK_KIND = "accidents.statistics_workbook"
KINDS = (BRIEFING_KIND, WORKBOOK_KIND)
AUDIT_ACTIONS = {BRIEFING_KIND: "accidents.briefing.generate", WORKBOOK_KIND: "accidents.statistics.export"}
audit_labels.register(
    {
        "accidents.briefing.generate": gettext_lazy("Work-safety situation briefing generated"),
        "accidents.statistics.export": gettext_lazy("Exported the accident statistics"),
    }
)

INDEX_NAMES = {"count": "起数", "deaths": "死亡人数", "injuries": "受伤人数", "loss": "直接财产损失（元）"}
GROUP_TITLES = {"category": "类别", "territory": "街道（园区）", "sector": "行业领域"}
LIST_HEADERS = (
    "发生时间",
    "街道（园区）",
    "地址",
    "场所",
    "类别",
    "事故类型",
    "行业领域",
    "死亡人数",
    "重伤人数",
    "轻伤人数",
    "失踪人数",
    "直接经济损失（元）",
    "事故等级",
    "是否迟报",
    "事故概况",
)
CATEGORY_NAMES = {
    AccidentCategory.PRODUCTION: "生产安全事故",
    AccidentCategory.ROAD_TRAFFIC: "道路交通事故（一般程序）",
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: "道路交通事故（简易程序，不计入合计）",
    AccidentCategory.FIRE: "火灾事故",
    AccidentCategory.OTHER: "其他事故",
}


def index_headers(first: str) -> list[str]:
    """类别 | 起数 去年同期 同比 上期 环比 | 死亡人数 … : five columns per index."""
    headers = [first]
    for name in selectors.INDICES:
        label = INDEX_NAMES[name]
        headers += [f"{label}", f"{label}·去年同期", f"{label}·同比", f"{label}·上期", f"{label}·环比"]
    return headers


def index_row(label: str, row: dict) -> list:
    values: list = [escape_cell(str(label))]
    for name in selectors.INDICES:
        values += [
            row["current"][name],
            row["last_year"][name],
            str(row["year_on_year"][name]),
            row["previous"][name],
            str(row["period_on_period"][name]),
        ]
    return values


def _span(period: Period) -> str:
    return f"{period.start.isoformat()} 至 {period.end.isoformat()}"


def _sheet(workbook, title: str, report: selectors.StatisticsReport, first: str, rows: list[tuple[str, dict]]):
    sheet = workbook.create_sheet(title)
    sheet.append([f"统计期间：{_span(report.period)}；同比：{_span(report.last_year)}；环比：{_span(report.previous)}"])
    sheet.append(index_headers(first))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for label, row in rows:
        sheet.append(index_row(label, row))
    sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "B3"
    return sheet


def accident_list_row(accident) -> list:
    moment = timezone.localtime(accident.occurred_at)
    values = [
        moment.strftime("%Y-%m-%d %H:%M"),
        accident.territory.name if accident.territory_id else "",
        accident.address,
        accident.site.name if accident.site_id else "",
        CATEGORY_NAMES.get(accident.category, accident.category).replace("，不计入合计", ""),
        str(accident.get_accident_type_display()),
        accident.sector.name if accident.sector_id else "",
        accident.deaths,
        accident.serious_injuries,
        accident.minor_injuries,
        accident.missing,
        accident.direct_loss,
        str(accident.get_grade_display()),
        "是" if accident.late_report else "否",
        accident.summary,
    ]
    return [escape_cell(value) for value in values]


def statistics_workbook(user, period: Period, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The workbook as .xlsx bytes, every figure scoped to ``user``."""
    steps = 4
    with translation.override(xlsx.EXPORT_LANGUAGE):
        report = selectors.statistics_report(user, period, group="territory")
        workbook = Workbook()
        workbook.remove(workbook.active)
        category_rows = [(CATEGORY_NAMES[row["key"]], row) for row in report.categories]
        category_rows.append(("合计", report.total))
        category_rows.append((CATEGORY_NAMES[selectors.APART], report.apart))
        _sheet(workbook, "按类别", report, GROUP_TITLES["category"], category_rows)
        if progress:
            progress(1, steps)
        _sheet(workbook, "按街道", report, GROUP_TITLES["territory"], [(row["label"], row) for row in report.breakdown])
        if progress:
            progress(2, steps)
        _sheet(
            workbook,
            "生产安全事故按行业",
            report,
            GROUP_TITLES["sector"],
            [(row["label"], row) for row in report.production_by_sector],
        )
        if progress:
            progress(3, steps)
        sheet = workbook.create_sheet("事故清单")
        sheet.append(list(LIST_HEADERS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for accident in selectors.accidents_in(user, period).iterator(chunk_size=1000):
            sheet.append(accident_list_row(accident))
        sheet.freeze_panes = "A2"
        data = xlsx.workbook_bytes(workbook)
        if progress:
            progress(steps, steps)
        return data


def step_message(done: int, total: int) -> str:
    return _("Step %(done)s of %(total)s done…") % {"done": done, "total": total}


def workbook_filename(period: Period) -> str:
    return f"事故统计-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def build_workbook_for_job(job) -> tuple[bytes, str]:
    period = job_period(job)

    def progress(done: int, total: int) -> None:
        jobs.report_progress(job, done=done, total=total, message=step_message(done, total))

    return statistics_workbook(job.created_by, period, progress=progress), workbook_filename(period)


def job_period(job) -> Period:
    return Period(datetime.date.fromisoformat(job.params["start"]), datetime.date.fromisoformat(job.params["end"]))


def build_briefing_for_job(job) -> tuple[bytes, str]:
    """The briefing a job asked for: the creator's scope, the period of the job, the job's number."""
    period = job_period(job)
    issuer, prefix = briefing.issuer_for(job.created_by)
    issued_on = timezone.localdate()
    context = briefing.BriefingContext(user=job.created_by, period=period, issuer=issuer)

    def progress(done: int, total: int) -> None:
        jobs.report_progress(job, done=done, total=total, message=step_message(done, total))

    data = briefing.build_document(
        context, number=f"{prefix}〔{issued_on.year}〕{job.pk}号", issued_on=issued_on, progress=progress
    )
    return data, briefing.briefing_filename(period)


def run_job(job) -> bool:
    """Generate the file a queued job asked for, as its creator sees the data; True when it is ready.

    A redelivered task finds the job already claimed or finished and does nothing (or takes over a job whose
    worker went silent). Any failure is logged for the operators and leaves the job failed with a message the
    user can read, never a half-written file; a run that lost its job stops and keeps no file."""
    from anjian.core.models import JobFailure

    builders = {BRIEFING_KIND: build_briefing_for_job, WORKBOOK_KIND: build_workbook_for_job}
    language = job.params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        if not jobs.start(job, total=1, message=_("Gathering the figures…")):
            return False
        if not selectors.can_read_statistics(job.created_by):
            # The account lost its scope (deactivated, moved to an enterprise) between asking and running.
            jobs.fail(job, message=_("Your account may no longer read these statistics; nothing was generated."))
            return False
        with jobs.beating(job):
            try:
                data, name = builders[job.kind](job)
            except jobs.ClaimLost:
                logging.getLogger(__name__).warning("accident report job %s: this run lost its claim", job.pk)
                return False
            except Exception:
                logging.getLogger(__name__).exception("accident report job %s failed", job.pk)
                jobs.fail(
                    job,
                    message=_("The file could not be generated. Try again later or tell the administrator."),
                    failure=JobFailure.ERROR,
                )
                return False
            try:
                with transaction.atomic():
                    job.output_name = name
                    job.output_file.save(name, ContentFile(data), save=False)
                    job.save(update_fields=["output_file", "output_name"])
                    jobs.succeed(job, result={"bytes": len(data)}, message=_("The file is ready."))
                    # Who took which figures out of the platform, as for every export of business data.
                    audit.record(
                        actor=job.created_by,
                        action=AUDIT_ACTIONS[job.kind],
                        obj=job,
                        object_repr=name,
                        after={"start": job.params.get("start"), "end": job.params.get("end"), "bytes": len(data)},
                    )
            except jobs.ClaimLost:
                # Whoever holds the job now writes its own file; this one must not stay behind in the storage.
                job.output_file.delete(save=False)
                logging.getLogger(__name__).warning("accident report job %s: this run lost its claim", job.pk)
                return False
        return True
