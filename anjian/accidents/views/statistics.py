"""The accident statistics page (the numbers a district speech cites), and the briefing and statistics
workbook generated in the background with a progress page and a download served only to the job's creator.

Every figure follows the user's scope (a street counts its street, a department its sectors). The three
administrators and enterprise accounts get 404: the page is the supervisors' (STANDARDS §4)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from anjian.accidents import reports, selectors
from anjian.accidents.selectors import Period, can_read_statistics
from anjian.accidents.tasks import generate_accident_report
from anjian.core import jobs, xlsx
from anjian.core.forms import StyledFormMixin
from anjian.core.models import Job
from anjian.core.permissions import page_guard

PERIOD_KINDS = (
    ("month", _("Monthly")),
    ("quarter", _("Quarterly")),
    ("year", _("Yearly")),
    ("ytd", _("Year to date")),
    ("range", _("Date range")),
)
GROUP_CHOICES = (("category", _("Category")), ("territory", _("Street or park")), ("sector", _("Sector")))
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": xlsx.CONTENT_TYPE,
}


def _require_reader(user) -> None:
    if not can_read_statistics(user):
        raise Http404


class StatisticsForm(StyledFormMixin, forms.Form):
    """The period (month, quarter, year, year to date or any range) and the grouping, from the query string."""

    period = forms.ChoiceField(label=_("Statistics period"), choices=PERIOD_KINDS, initial="ytd")
    year = forms.IntegerField(label=_("Year"), min_value=selectors.EARLIEST.year, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(n, n) for n in range(1, 13)], coerce=int, required=False, empty_value=None
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(n, n) for n in range(1, 5)], coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, initial="category", required=False)

    @staticmethod
    def defaults(today: datetime.date) -> dict:
        return {
            "period": "ytd",
            "year": today.year,
            "month": today.month,
            "quarter": (today.month - 1) // 3 + 1,
            "start": datetime.date(today.year, 1, 1).isoformat(),
            "end": today.isoformat(),
            "group": "category",
        }

    def clean(self):
        data = super().clean()
        kind = data.get("period")
        if kind is None:
            return data
        today = timezone.localdate()
        needed = {"month": ("year", "month"), "quarter": ("year", "quarter"), "year": ("year",)}.get(kind, ())
        if kind == "range":
            needed = ("start", "end")
        missing = [name for name in needed if data.get(name) is None and name not in self.errors]
        for name in missing:
            self.add_error(name, _("This field is required for the chosen period."))
        if missing or any(name in self.errors for name in needed):
            return data
        if kind == "month":
            period = selectors.month(data["year"], data["month"])
        elif kind == "quarter":
            period = selectors.quarter(data["year"], data["quarter"])
        elif kind == "year":
            period = selectors.year(data["year"])
        elif kind == "ytd":
            period = selectors.year_to_date(today)
        else:
            period = Period(data["start"], data["end"])
        try:
            data["range"] = selectors.check_period(period.start, period.end)
        except ValidationError as error:
            self.add_error(None, error)
        data["group"] = data.get("group") or "category"
        return data


def _form(request: HttpRequest) -> StatisticsForm:
    params = request.POST if request.method == "POST" else request.GET
    if "period" in params:
        return StatisticsForm(params)
    return StatisticsForm(StatisticsForm.defaults(timezone.localdate()))


def _direction(change) -> str:
    percent = change.percent
    if percent is None:
        return "none"
    return "up" if percent > 0 else "down" if percent < 0 else "flat"


def _cells(row: dict) -> list[dict]:
    cells = []
    for name in selectors.INDICES:
        loss = name == "loss"
        show = selectors.ten_thousand_yuan if loss else str
        cells.append(
            {
                "name": name,
                "value": show(row["current"][name]),
                "last_year": show(row["last_year"][name]),
                "previous": show(row["previous"][name]),
                "year_on_year": str(row["year_on_year"][name]),
                "yoy_direction": _direction(row["year_on_year"][name]),
                "period_on_period": str(row["period_on_period"][name]),
                "pop_direction": _direction(row["period_on_period"][name]),
            }
        )
    return cells


def _display(row: dict) -> dict:
    return {"key": row["key"], "label": row["label"], "sentence": row.get("sentence", ""), "cells": _cells(row)}


INDEX_LABELS = {
    "count": _("Count"),
    "deaths": _("Deaths"),
    "injuries": _("Injuries"),
    "loss": _("Direct loss (10,000 CNY)"),
}


def page_context(report: selectors.StatisticsReport) -> dict:
    """What the template shows: display rows with worded changes, and the two charts' data."""
    trend = report.trend
    return {
        "categories": [_display(row) for row in report.categories],
        "total": _display(report.total),
        "apart": _display(report.apart),
        "by_sector": [_display(row) for row in report.production_by_sector],
        "breakdown": [_display(row) for row in report.breakdown],
        "index_labels": [(name, INDEX_LABELS[name]) for name in selectors.INDICES],
        "chart": {
            "trend": {
                "months": trend["months"],
                "series": [
                    {"name": str(_("Accident count")), "type": "bar", "data": trend["count"]},
                    {"name": str(_("Accident count a year earlier")), "type": "bar", "data": trend["last_year_count"]},
                    {"name": str(_("Deaths")), "type": "line", "data": trend["deaths"]},
                    {"name": str(_("Deaths a year earlier")), "type": "line", "data": trend["last_year_deaths"]},
                ],
            },
            "bars": {
                "names": [str(row["label"]) for row in report.breakdown],
                "series": [
                    {"name": str(_("Accident count")), "data": [row["current"]["count"] for row in report.breakdown]},
                    {"name": str(_("Deaths")), "data": [row["current"]["deaths"] for row in report.breakdown]},
                ],
            },
        },
    }


@login_required
@require_GET
@page_guard(can_read_statistics)
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "report": None}
    if form.is_valid():
        report = selectors.statistics_report(request.user, form.cleaned_data["range"], group=form.cleaned_data["group"])
        context.update(page_context(report), report=report, group_label=dict(GROUP_CHOICES)[report.group])
    context["recent_jobs"] = Job.objects.visible_to(request.user).filter(kind__in=reports.KINDS)[:5]
    return render(request, "accidents/statistics.html", context)


def _start_job(request: HttpRequest, kind: str) -> HttpResponse:
    _require_reader(request.user)
    form = _form(request)
    if not form.is_valid():
        # The buttons post the page's own valid period; anything else goes back to the page with its errors.
        context = {"form": form, "report": None, "recent_jobs": []}
        return render(request, "accidents/statistics.html", context, status=400)
    period = form.cleaned_data["range"]
    job = jobs.create_job(
        actor=request.user,
        kind=kind,
        params={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "group": form.cleaned_data["group"],
            "language": translation.get_language(),
        },
    )
    # Without a broker (the embedded default) Celery runs this eagerly, inside this request.
    generate_accident_report.delay(job.pk)
    return redirect("accidents:statistics_job", pk=job.pk)


@login_required
@require_POST
def briefing_create(request: HttpRequest) -> HttpResponse:
    return _start_job(request, reports.BRIEFING_KIND)


@login_required
@require_POST
def workbook_create(request: HttpRequest) -> HttpResponse:
    return _start_job(request, reports.WORKBOOK_KIND)


JOB_TITLES = {
    reports.BRIEFING_KIND: _("Work-safety situation briefing"),
    reports.WORKBOOK_KIND: _("Statistics workbook"),
}


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    """Only the creator's own jobs: anyone else, in scope or not, gets 404. A silent running job is marked
    interrupted first (core/jobs.py), so its page offers a retry instead of a bar that never moves."""
    return jobs.recover(get_object_or_404(Job.objects.visible_to(request.user).filter(kind__in=reports.KINDS), pk=pk))


def _job_context(job: Job) -> dict:
    titles = {
        reports.BRIEFING_KIND: _("Work-safety situation briefing"),
        reports.WORKBOOK_KIND: _("Statistics workbook"),
    }
    return {"job": job, "job_title": titles.get(job.kind, job.kind)}


@login_required
@require_GET
def statistics_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    return render(request, "accidents/statistics_job.html", _job_context(job))


@login_required
@require_GET
def statistics_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the job page polls (HTMX) until the job is finished."""
    job = _job_or_404(request, pk)
    return render(request, "accidents/_job_progress.html", _job_context(job))


@login_required
@require_POST
def statistics_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate an interrupted (or unexpectedly failed) briefing or workbook again, for the same period."""
    job = _job_or_404(request, pk)
    if jobs.requeue(job, actor=request.user):
        # Without a broker (the embedded default) Celery runs this eagerly, inside this request.
        generate_accident_report.delay(job.pk)
    return redirect("accidents:statistics_job", pk=job.pk)


@login_required
@require_GET
def statistics_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if not job.output_file:
        raise Http404
    name = job.output_name or job.output_file.name.rsplit("/", 1)[-1]
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return FileResponse(
        job.output_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


def register_statistics_pages() -> None:
    """The "Accident statistics" navigation item (call from the accidents app's ready())."""
    from anjian.core import navigation

    navigation.register(
        navigation.NavItem(
            key="accident_statistics",
            label=_("Accident statistics"),
            url_name="accidents:statistics",
            group="accidents",
            order=120,
        )
    )
