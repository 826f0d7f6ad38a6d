"""The 安全生产形势通报 (.docx) generated as a background job, opened with python-docx and checked against the
hand-computed January 2026 fixture: header and number, 一、总体情况 with its table, 二、事故情况, 三、隐患排查治理
from the hazard loop, a section registered through the hook, the closing; scope; job ownership; failures."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anjian.accidents import briefing, reports
from anjian.accidents.selectors import month
from anjian.accidents.tasks import generate_accident_report
from anjian.accidents.tests.test_statistics_page import JANUARY, at, january, make_accident  # noqa: F401
from anjian.core import jobs
from anjian.core.models import Job, JobStatus
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, loop_place, zh
from anjian.registry.testing import make_site

BUILT_IN = ("overall", "accidents", "hazards")


@pytest.fixture(autouse=True)
def only_built_in_sections(monkeypatch):
    """The briefing's own sections only: what other modules register is theirs to test."""
    monkeypatch.setattr(briefing, "_sections", {key: briefing._sections[key] for key in BUILT_IN})


def _generate(client, url=None, params=None) -> Job:
    response = client.post(url or reverse("accidents:briefing_create"), params or JANUARY)
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == reverse("accidents:statistics_job", args=[job.pk])
    return job


def _document(client, job: Job):
    response = client.get(reverse("accidents:statistics_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    return Document(BytesIO(b"".join(response.streaming_content)))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def hazards(cast):
    """January 2026: 东街道 found 2 (one major, overdue; one verified), 西街道 found 1; one in December."""

    def moved(hazard, **fields):
        Hazard.objects.filter(pk=hazard.pk).update(**fields)

    east = loop_place(cast)
    west = make_site(district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name="西街仓库")
    tz = timezone.get_current_timezone()
    moved(
        found_hazard(cast, east, seed=1),
        reported_at=datetime.datetime(2026, 1, 10, 9, tzinfo=tz),
        status=HazardStatus.VERIFIED,
        closed_at=datetime.datetime(2026, 1, 20, 9, tzinfo=tz),
    )
    moved(
        found_hazard(cast, east, major=True, seed=2),
        reported_at=datetime.datetime(2026, 1, 12, 9, tzinfo=tz),
        status=HazardStatus.RECTIFYING,
        deadline=datetime.date(2026, 2, 1),
    )
    moved(
        found_hazard(cast, west, inspector=cast.other_street_officer, seed=3),
        reported_at=datetime.datetime(2026, 1, 20, 9, tzinfo=tz),
        status=HazardStatus.RECTIFYING,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    moved(found_hazard(cast, east, seed=4), reported_at=datetime.datetime(2025, 12, 15, 9, tzinfo=tz))


OVERALL = (
    "2026年1月，全区共发生生产安全事故3起、死亡3人、受伤4人、直接经济损失45万元，"
    "同比分别上升50.0%、上升200.0%、上升300.0%、下降10.0%，环比分别上升200.0%、上升200.0%、—、上升125.0%。"
    "全区共发生道路交通事故1起、死亡1人、受伤3人、直接经济损失2万元，同比分别—、—、—、—，环比分别—、—、—、—。"
    "全区共发生火灾事故1起、死亡0人、受伤1人、直接经济损失8万元，同比分别持平、—、—、上升100.0%，环比分别—、—、—、—。"
)


@pytest.mark.django_db
def test_it_writes_the_january_briefing_against_hand_counts(cast, client_for, january, hazards, monkeypatch):  # noqa: F811
    monkeypatch.setitem(
        briefing._sections,
        "test_ranking",
        briefing.BriefingSection(
            key="test_ranking",
            order=40,
            title="风险排名",
            has_data=lambda context: True,
            write=lambda document, context: briefing.add_table(document, ["街道", "得分"], [["东街道", "88.5"]]),
        ),
    )
    monkeypatch.setitem(
        briefing._sections,
        "test_silent",
        briefing.BriefingSection(
            key="test_silent", order=35, title="无话可说", has_data=lambda context: False, write=lambda d, c: None
        ),
    )
    client = client_for(cast.safety_officer)
    job = _generate(client)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.output_name == "安全生产形势通报-2026年1月.docx"
    document = _document(client, job)
    texts = _texts(document)
    year = timezone.localdate().year
    assert texts[:5] == [
        "甲区安全生产委员会办公室",
        "安全生产形势通报",
        f"甲区安委办通报〔{year}〕{job.pk}号",
        "（2026年1月）",
        "现将2026年1月全区安全生产形势通报如下：",
    ]
    headings = [text for text in texts if text[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings == ["一、总体情况", "二、事故情况", "三、隐患排查治理", "四、风险排名"]
    assert OVERALL in texts
    assert "另有简易程序处理的道路交通事故1起，不计入上述统计。" in texts
    assert "同比为与去年同期（2025年1月）相比，环比为与上期（2025年12月）相比。" in texts
    assert (
        "2026年1月，全区共排查发现事故隐患3项，其中重大事故隐患1项；已整改销号1项，整改率33.3%；逾期未整改1项。"
        in texts
    )
    assert texts[-2:] == ["甲区安全生产委员会办公室", briefing.cn_date(timezone.localdate())]

    overall, accidents, hazard_table, ranking = document.tables
    rows = _rows(overall)
    assert rows[0] == briefing.OVERALL_HEADER and len(rows) == 1 + 3 * 4
    assert rows[1] == ["生产安全事故", "起数（起）", "3", "2", "上升50.0%", "1", "上升200.0%"]
    assert rows[4] == ["生产安全事故", "直接经济损失（万元）", "45", "50", "下降10.0%", "20", "上升125.0%"]
    assert rows[9] == ["火灾事故", "起数（起）", "1", "1", "持平", "0", "—"]
    assert _rows(accidents) == [
        briefing.ACCIDENT_HEADER,
        ["1", "2026年1月5日 10:00", "东街道 东路1号", "生产安全事故", "机械伤害", "1", "3", "30", "一般事故"],
        ["2", "2026年1月8日 10:00", "东街道 某路1号", "道路交通事故", "车辆伤害", "1", "3", "2", "一般事故"],
        ["3", "2026年1月15日 10:00", "西街道 某路1号", "火灾事故", "火灾", "0", "1", "8", "一般事故"],
        ["4", "2026年1月20日 10:00", "西街道 某路1号", "生产安全事故", "机械伤害", "2", "0", "5", "一般事故"],
        ["5", "2026年1月31日 23:00", "东街道 东路2号", "生产安全事故", "机械伤害", "0", "1", "10", "一般事故"],
    ]
    assert _rows(hazard_table) == [
        briefing.HAZARD_HEADER,
        ["东街道", "2", "1", "1", "1", "50.0%"],
        ["西街道", "1", "0", "0", "0", "0.0%"],
    ]
    assert _rows(ranking) == [["街道", "得分"], ["东街道", "88.5"]]
    assert "无话可说" not in "".join(texts)


@pytest.mark.django_db
def test_a_street_officer_briefs_only_its_street_and_without_hazards_there_is_no_hazard_section(
    cast,
    client_for,
    january,  # noqa: F811
):
    client = client_for(cast.street_officer)
    document = _document(client, _generate(client))
    texts = _texts(document)
    text = "\n".join(texts) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "西街道" not in text
    assert "东街道共发生生产安全事故2起、死亡1人、受伤4人、直接经济损失40万元" in text
    assert "东街道未发生火灾事故（去年同期0起）。" in text
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、总体情况", "二、事故情况"]  # no hazards in the street: no 三
    assert len(document.tables[1].rows) == 1 + 3  # A1, the traffic accident, A2


@pytest.mark.django_db
def test_a_period_without_accidents_says_so(cast, client_for):
    client = client_for(cast.safety_officer)
    document = _document(client, _generate(client, params={**JANUARY, "month": "3"}))
    texts = _texts(document)
    assert "2026年3月，全区未发生上述各类事故。" in texts
    assert (
        "2026年3月，全区未发生生产安全事故（去年同期0起）。全区未发生道路交通事故（去年同期0起）。"
        "全区未发生火灾事故（去年同期0起）。" in texts
    )
    assert len(document.tables) == 1  # the overall table only


def test_periods_are_named_as_documents_name_them():
    assert briefing.cn_period(month(2026, 1)) == "2026年1月"
    from anjian.accidents.selectors import Period, quarter, year

    assert briefing.cn_period(quarter(2026, 2)) == "2026年第二季度"
    assert briefing.cn_period(year(2025)) == "2025年"
    assert briefing.cn_period(Period(datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))) == "2026年1月至5月"
    assert briefing.cn_period(Period(datetime.date(2025, 12, 20), datetime.date(2026, 1, 9))) == (
        "2025年12月20日至2026年1月9日"
    )
    assert [briefing.heading_numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


# --- the job: progress page, owner-only download, failure ----------------------------------------------------


@pytest.mark.django_db
def test_only_the_creator_sees_the_job_and_downloads_the_file(cast, client_for, january):  # noqa: F811
    client = client_for(cast.safety_officer)
    job = _generate(client)
    page = client.get(reverse("accidents:statistics_job", args=[job.pk]))
    assert page.status_code == 200 and 'data-testid="job-download"' in page.content.decode()
    assert client.get(reverse("accidents:statistics_job_status", args=[job.pk])).status_code == 200
    names = ("statistics_job", "statistics_job_status", "statistics_job_download")
    for other in (cast.leader, cast.street_officer, cast.city_admin, cast.system_admin, cast.far_safety_officer):
        other_client = client_for(other)
        for name in names:
            assert other_client.get(reverse(f"accidents:{name}", args=[job.pk])).status_code == 404
    anonymous = client_for(None)
    for name in names:
        response = anonymous.get(reverse(f"accidents:{name}", args=[job.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_running_job_shows_its_progress_and_polls(cast, client_for):
    job = jobs.create_job(actor=cast.safety_officer, kind=reports.BRIEFING_KIND, params={"start": "2026-01-01"})
    jobs.start(job, total=4)
    jobs.report_progress(job, done=2, total=4, message="第2步")
    html = client_for(cast.safety_officer).get(reverse("accidents:statistics_job", args=[job.pk])).content.decode()
    assert 'data-status="running"' in html and "50%" in html and "第2步" in html
    assert f'hx-get="{reverse("accidents:statistics_job_status", args=[job.pk])}"' in html


@pytest.mark.django_db
def test_a_failed_job_says_so_in_chinese_and_offers_no_file(cast, client_for):
    job = jobs.create_job(
        actor=cast.safety_officer, kind=reports.BRIEFING_KIND, params={"start": "not a date", "end": "2026-01-31"}
    )
    generate_accident_report.delay(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.output_file
    assert job.message == zh("The file could not be generated. Try again later or tell the administrator.")
    client = client_for(cast.safety_officer)
    html = client.get(reverse("accidents:statistics_job", args=[job.pk])).content.decode()
    assert 'data-testid="job-failed"' in html and job.message in html
    assert client.get(reverse("accidents:statistics_job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_redelivered_task_does_not_run_twice(cast, client_for, january):  # noqa: F811
    client = client_for(cast.safety_officer)
    job = _generate(client)
    first = Job.objects.get(pk=job.pk).output_file.name
    assert generate_accident_report.delay(job.pk).get() == {"job": job.pk, "ready": False}
    assert Job.objects.get(pk=job.pk).output_file.name == first


@pytest.mark.django_db
def test_a_bad_period_posted_starts_no_job(cast, client_for):
    client = client_for(cast.safety_officer)
    response = client.post(reverse("accidents:briefing_create"), {"period": "range", "start": "2026-02-01", "end": "x"})
    assert response.status_code == 400
    assert not Job.objects.exists()
    assert client.get(reverse("accidents:briefing_create")).status_code == 405


def _build_queries(user) -> int:
    context = briefing.BriefingContext(user=user, period=month(2026, 1), issuer="甲区安全生产委员会办公室")
    with CaptureQueriesContext(connection) as queries:
        briefing.build_document(context, number="甲区安委办通报〔2026〕1号", issued_on=datetime.date(2026, 2, 3))
    return len(queries)


@pytest.mark.django_db
def test_the_briefing_runs_the_same_number_of_queries_for_few_and_many_accidents(cast, hazards):
    make_accident(cast, at(2026, 1, 2), deaths=1)
    few = _build_queries(cast.safety_officer)
    streets = [cast.street, cast.other_street, cast.park]
    for n in range(30):
        make_accident(cast, at(2026, 1, 1 + n % 28), territory=streets[n % 3], category=("production", "fire")[n % 2])
    assert _build_queries(cast.safety_officer) == few


@pytest.mark.django_db
def test_the_navigation_offers_the_statistics_to_supervisors_only(cast, client_for):
    link = f'href="{reverse("accidents:statistics")}"'
    assert link in client_for(cast.street_officer).get("/").content.decode()
    assert link not in client_for(cast.enterprise).get("/").content.decode()
    assert link not in client_for(cast.audit_admin).get("/").content.decode()


@pytest.mark.django_db
def test_a_job_whose_creator_lost_the_scope_fails_without_a_file(cast, january):  # noqa: F811
    job = jobs.create_job(
        actor=cast.street_officer, kind=reports.WORKBOOK_KIND, params={"start": "2026-01-01", "end": "2026-01-31"}
    )
    type(cast.street_officer).objects.filter(pk=cast.street_officer.pk).update(is_active=False)
    generate_accident_report.delay(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.output_file
    assert job.message == zh("Your account may no longer read these statistics; nothing was generated.")
