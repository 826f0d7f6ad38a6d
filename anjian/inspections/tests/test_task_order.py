"""The list of every task in scope (辖区全部任务) opens on what is to do: the open tasks first, the soonest due (the
overdue) at the top, then the done and cancelled ones, the latest first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import selectors
from anjian.inspections.choices import TaskOrigin, TaskStatus
from anjian.inspections.models import InspectionTask
from anjian.inspections.testing import loop_place

pytestmark = pytest.mark.django_db


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@shared_fixture
def tasks(cast):
    """Named by what they are: their due day relative to today and their status."""
    site = loop_place(cast)
    far = loop_place(cast, name="西街仓库", enterprise_n=502)
    far.territory = cast.other_street
    far.save(update_fields=["territory"])
    made = {}
    for name, offset, status in (
        ("done_long_ago", -200, TaskStatus.DONE),
        ("due_in_5", 5, TaskStatus.OPEN),
        ("cancelled_lately", -20, TaskStatus.CANCELLED),
        ("overdue_3", -3, TaskStatus.OPEN),
        ("done_lately", -10, TaskStatus.DONE),
        ("due_tomorrow", 1, TaskStatus.OPEN),
        ("overdue_since_august", -95, TaskStatus.OPEN),
    ):
        made[name] = InspectionTask.objects.create(
            site=site, origin=TaskOrigin.MANUAL, assignee_unit=cast.street, due_on=day(offset), status=status
        )
    made["elsewhere"] = InspectionTask.objects.create(
        site=far, origin=TaskOrigin.MANUAL, assignee_unit=cast.other_street, due_on=day(-400)
    )
    return made


ORDER = ["overdue_since_august", "overdue_3", "due_tomorrow", "due_in_5", "done_lately", "cancelled_lately"]


def names(tasks, rows) -> list[str]:
    by_pk = {task.pk: name for name, task in tasks.items()}
    return [by_pk[row.pk] for row in rows]


def test_the_selector_puts_the_open_tasks_first_soonest_due_first(cast, tasks):
    assert names(tasks, selectors.tasks_in_scope(cast.street_officer)) == [*ORDER, "done_long_ago"]


def test_the_all_tasks_page_opens_on_what_is_to_do(cast, client_for, tasks, django_assert_max_num_queries):
    client = client_for(cast.street_officer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("inspections:task_list"), {"view": "all"})
    assert names(tasks, response.context["tasks"]) == [*ORDER, "done_long_ago"]
    # Filtered, the same order.
    overdue = client.get(reverse("inspections:task_list"), {"view": "all", "overdue": "true"})
    assert names(tasks, overdue.context["tasks"]) == ["overdue_since_august", "overdue_3"]


def test_other_streets_tasks_stay_out_and_strangers_get_nothing(cast, client_for, tasks):
    shown = client_for(cast.other_street_officer).get(reverse("inspections:task_list"), {"view": "all"})
    assert names(tasks, shown.context["tasks"]) == ["elsewhere"]
    assert client_for(cast.audit_admin).get(reverse("inspections:task_list"), {"view": "all"}).status_code == 404
    anonymous = client_for(None).get(reverse("inspections:task_list"), {"view": "all"})
    assert anonymous.status_code == 302
