"""In-app notifications: sent once per dedupe key to active users only, read by their recipient alone,
counted by the navbar bell with one query, and listed by the page and the API without N+1."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.core.models import Notification
from anjian.core.notifications import Message, batched, mark_read, notify, notify_units, queue, send, unread_count
from anjian.registry.models import Site
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

LIST = reverse("core:notification_list")
READ_ALL = reverse("core:notification_read_all")


def _place(territory):
    """A hazardous-chemicals place of a street: the street, the district, the emergency bureau and the city see it."""
    found = Site.objects.filter(territory=territory).first()
    return found or make_site(
        district=territory.district, territory=territory, sectors=(("hazchem", ""),), name=f"{territory.name}的仓库"
    )


def _send(street_officer, n: int = 1, **extra) -> list[Notification]:
    """``n`` messages to a street officer about a place of their street."""
    user = street_officer
    about = _place(user.org_unit)
    for i in range(n):
        notify(
            recipients=[user],
            about=about,
            kind="test.message",
            title=f"消息{i}",
            url=extra.get("url", f"/places/?i={i}"),
        )
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def _open_url(notification: Notification) -> str:
    return reverse("core:notification_open", args=[notification.pk])


# --- services ---------------------------------------------------------------------------------


def test_it_creates_a_notification_once_per_dedupe_key(cast):
    due = {"kind": "inspections.hazard_due", "title": "隐患3天后到期", "dedupe_key": "hazard:7:due3"}
    recipients = [cast.street_officer, cast.inspector]
    assert notify(recipients=recipients, about=_place(cast.street), **due) == 2
    assert notify(recipients=recipients, about=_place(cast.street), **due) == 0
    assert Notification.objects.filter(dedupe_key="hazard:7:due3").count() == 2
    # A user who joins later still gets the reminder once; the others are not reminded twice.
    assert notify(recipients=[*recipients, cast.leader], about=_place(cast.street), **due) == 1
    assert Notification.objects.filter(dedupe_key="hazard:7:due3").count() == 3


def test_it_sends_again_without_a_dedupe_key(cast):
    assert notify(recipients=[cast.street_officer], about=_place(cast.street), kind="test.message", title="一") == 1
    assert notify(recipients=[cast.street_officer], about=_place(cast.street), kind="test.message", title="一") == 1
    assert Notification.objects.filter(recipient=cast.street_officer).count() == 2


def test_the_database_refuses_a_second_row_with_the_same_key(cast):
    Notification.objects.create(recipient=cast.street_officer, kind="k", title="t", dedupe_key="once")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=cast.street_officer, kind="k", title="t", dedupe_key="once")


def test_it_skips_inactive_users_and_repeated_recipients(cast):
    about = _place(cast.street)
    get_user_model().objects.filter(pk=cast.street_officer.pk).update(is_active=False)
    created = notify(
        recipients=[cast.inspector, cast.inspector, cast.street_officer.pk, cast.leader.pk],
        about=about,
        kind="test.message",
        title="通知",
    )
    assert created == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {cast.inspector.pk, cast.leader.pk}


def test_it_notifies_the_users_of_the_given_units_only(cast):
    created = notify_units(
        units=[cast.emergency, cast.street.pk], about=_place(cast.street), kind="alerts.warning", title="暴雨红色预警"
    )
    assert created == 3
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"dept", "inspector", "street_in"}


def test_it_limits_the_units_to_the_given_roles(cast):
    assert (
        notify_units(
            units=[cast.emergency],
            roles=["inspector"],
            about=_place(cast.street),
            kind="inspections.task",
            title="检查任务",
        )
        == 1
    )
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["inspector"]


def test_it_refuses_links_outside_the_platform_and_empty_titles(cast):
    for url in ("https://evil.example/", "//evil.example/", "places/"):
        with pytest.raises(ValidationError):
            notify(
                recipients=[cast.street_officer], about=_place(cast.street), kind="test.message", title="外链", url=url
            )
    with pytest.raises(ValidationError):
        notify(recipients=[cast.street_officer], about=_place(cast.street), kind="test.message", title="  ")
    assert not Notification.objects.exists()


def test_it_shortens_a_long_title_instead_of_refusing_it(cast):
    notify(recipients=[cast.street_officer], about=_place(cast.street), kind="test.message", title="长" * 500)
    assert len(Notification.objects.get().title) == 200


def test_it_marks_only_the_users_own_notifications_read(cast):
    mine = _send(cast.street_officer, 3)
    theirs = _send(cast.other_street_officer, 1)
    assert mark_read(user=cast.street_officer, ids=[mine[0].pk, theirs[0].pk, "x"]) == 1
    assert unread_count(cast.street_officer) == 2
    assert unread_count(cast.other_street_officer) == 1
    assert mark_read(user=cast.street_officer) == 2
    assert mark_read(user=cast.street_officer) == 0
    assert unread_count(cast.street_officer) == 0


def test_it_tells_nobody_when_the_change_rolls_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            transaction.on_commit(
                lambda: notify(recipients=[cast.street_officer], about=_place(cast.street), kind="k", title="回滚")
            )
            raise RuntimeError("the change failed")
        with transaction.atomic():
            transaction.on_commit(
                lambda: notify(recipients=[cast.street_officer], about=_place(cast.street), kind="k", title="提交")
            )
    assert list(Notification.objects.values_list("title", flat=True)) == ["提交"]


def test_nobody_reads_another_users_notifications_not_even_administrators(cast):
    _send(cast.street_officer, 2)
    for member in ("city_admin", "system_admin", "security_admin", "audit_admin", "other_street_officer"):
        assert not Notification.objects.visible_to(getattr(cast, member)).exists()
    assert Notification.objects.visible_to(cast.street_officer).count() == 2


def test_it_tells_only_those_who_may_see_what_it_is_about(cast):
    place = _place(cast.street)
    # The city's unit holds the city administrator and the three administrators (三员分立).
    assert notify_units(units=[cast.city, cast.other_street], about=place, kind="k", title="隐患到期") == 1
    outsiders = [cast.system_admin, cast.security_admin, cast.audit_admin, cast.other_street_officer]
    assert notify(
        recipients=[*outsiders, cast.far_safety_officer, cast.street_officer], about=place, kind="k", title="x"
    )
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["cityadmin", "street_in"]


def test_a_message_names_a_saved_record_that_has_a_scope(cast):
    from anjian.organizations.models import Sector

    for about in (None, Site(name="未保存"), Sector.objects.first()):
        with pytest.raises(TypeError):
            Message(about=about, users=[cast.street_officer], kind="k", title="x")
    assert not Notification.objects.exists()


def _messages(cast, places) -> list[Message]:
    return [
        Message(
            about=place,
            units=(cast.street, cast.emergency, cast.city),
            users=(cast.enterprise, cast.far_safety_officer),
            kind="inspections.due_soon",
            title=f"{place.name}的隐患即将到期",
            dedupe_key=f"test:{place.pk}",
        )
        for place in places
    ]


def test_a_batch_costs_the_same_queries_for_few_and_many_messages(cast):
    places = [
        make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name=f"仓库{i}")
        for i in range(30)
    ]
    with CaptureQueriesContext(connection) as few:
        assert send(_messages(cast, places[:3])) == 3 * 4
    with CaptureQueriesContext(connection) as many:
        assert send(_messages(cast, places[3:])) == 27 * 4
    assert len(many) == len(few)
    # The street, the emergency bureau's officer and inspector, the city administrator: not the enterprise
    # account (not its place), the other district or the administrators of the city's unit.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "street_in",
        "dept",
        "inspector",
        "cityadmin",
    }
    assert send(_messages(cast, places)) == 0  # each key once


def test_queued_messages_go_when_the_change_commits_and_never_when_it_rolls_back(
    cast, django_capture_on_commit_callbacks
):
    place = _place(cast.street)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(Message(about=place, users=[cast.street_officer], kind="k", title="回滚"))
            raise RuntimeError("the change failed")
        with transaction.atomic():
            queue(Message(about=place, users=[cast.street_officer], kind="k", title="提交"))
    assert list(Notification.objects.values_list("title", flat=True)) == ["提交"]


def test_a_batched_block_sends_by_batch_and_the_rest_at_its_end(cast):
    place = _place(cast.street)
    with batched(size=2) as outbox:
        for i in range(3):
            outbox.add(Message(about=place, users=[cast.street_officer], kind="k", title=f"第{i}条"))
            assert Notification.objects.count() == (2 if i >= 1 else 0)
    assert Notification.objects.count() == 3 and outbox.sent == 3


# --- pages ------------------------------------------------------------------------------------


def test_it_lists_only_the_users_own_notifications(cast, client_for):
    notify(
        recipients=[cast.street_officer], about=_place(cast.street), kind="k", title="给东街道的消息", body="正文内容"
    )
    notify(recipients=[cast.other_street_officer], about=_place(cast.other_street), kind="k", title="给西街道的消息")
    response = client_for(cast.street_officer).get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "给东街道的消息" in content
    assert "正文内容" in content
    assert "给西街道的消息" not in content


def test_it_lists_the_newest_first_and_highlights_the_unread(cast, client_for):
    first, second, third = _send(cast.street_officer, 3)
    mark_read(user=cast.street_officer, ids=[second.pk])
    response = client_for(cast.street_officer).get(LIST)
    assert [n.pk for n in response.context["page_obj"]] == [third.pk, second.pk, first.pk]
    assert response.content.decode().count('data-unread="true"') == 2


def test_it_filters_the_unread(cast, client_for):
    first, second = _send(cast.street_officer, 2)
    mark_read(user=cast.street_officer, ids=[first.pk])
    client = client_for(cast.street_officer)
    assert [n.pk for n in client.get(LIST, {"unread": "true"}).context["page_obj"]] == [second.pk]
    assert len(client.get(LIST, {"unread": "nonsense"}).context["page_obj"]) == 2


def test_it_paginates_by_thirty(cast, client_for):
    _send(cast.street_officer, 31)
    client = client_for(cast.street_officer)
    assert len(client.get(LIST).context["page_obj"]) == 30
    assert len(client.get(LIST, {"page": 2}).context["page_obj"]) == 1
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_opening_marks_read_and_follows_the_link(cast, client_for):
    (notification,) = _send(cast.street_officer, url="/places/?tab=hazards")
    response = client_for(cast.street_officer).get(_open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/places/?tab=hazards"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""]
)
def test_opening_never_leaves_the_platform(cast, client_for, url):
    # Written behind notify()'s back, as an old row or a faulty sender could have left it.
    notification = Notification.objects.create(recipient=cast.street_officer, kind="k", title="外链", url=url)
    response = client_for(cast.street_officer).get(_open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == LIST
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_another_users_notification_is_a_404(cast, client_for):
    (notification,) = _send(cast.other_street_officer)
    for member in ("street_officer", "city_admin", "audit_admin"):
        assert client_for(getattr(cast, member)).get(_open_url(notification)).status_code == 404
    assert client_for(cast.street_officer).get(reverse("core:notification_open", args=[999999])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_marks_all_read_by_post_only(cast, client_for):
    _send(cast.street_officer, 3)
    _send(cast.other_street_officer)
    client = client_for(cast.street_officer)
    assert client.get(READ_ALL).status_code == 405
    assert unread_count(cast.street_officer) == 3
    response = client.post(READ_ALL, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert unread_count(cast.street_officer) == 0
    assert unread_count(cast.other_street_officer) == 1


def test_it_sends_anonymous_visitors_to_the_login_page(cast, client_for):
    (notification,) = _send(cast.street_officer)
    client = client_for(None)
    for url in (LIST, _open_url(notification)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    response = client.post(READ_ALL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    notification.refresh_from_db()
    assert notification.read_at is None


# --- the bell ---------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_on_every_page(cast, client_for):
    first, _second, _third = _send(cast.street_officer, 3)
    mark_read(user=cast.street_officer, ids=[first.pk])
    response = client_for(cast.street_officer).get(reverse("accounts:profile"))
    content = response.content.decode()
    assert response.context["unread_notifications"] == 2
    assert 'data-testid="notification-bell"' in content
    assert re.search(r'data-testid="notification-count"\s*>2<', content)


def test_the_bell_has_no_badge_at_zero_and_caps_at_99(cast, client_for):
    client = client_for(cast.street_officer)
    content = client.get("/").content.decode()
    assert 'data-testid="notification-bell"' in content
    assert 'data-testid="notification-count"' not in content
    Notification.objects.bulk_create(
        Notification(recipient=cast.street_officer, kind="k", title=f"第{i}条") for i in range(120)
    )
    assert ">99+<" in client.get("/").content.decode()


def test_anonymous_pages_have_no_bell_and_count_nothing(client_for):
    client = client_for(None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'data-testid="notification-bell"' not in response.content.decode()
    assert not [q for q in queries if "core_notification" in q["sql"]]


def test_the_bell_costs_one_query_per_page(cast, client_for):
    _send(cast.street_officer, 2)
    client = client_for(cast.street_officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:profile")).status_code == 200
    assert len([q for q in queries if "core_notification" in q["sql"]]) == 1


# --- the API ----------------------------------------------------------------------------------


def test_the_api_lists_only_the_callers_own_notifications(cast, client_for):
    mine = _send(cast.street_officer, 2)
    _send(cast.other_street_officer, 1)
    mark_read(user=cast.street_officer, ids=[mine[0].pk])
    client = client_for(cast.street_officer)
    rows = client.get("/api/notifications/").json()["results"]
    assert [row["id"] for row in rows] == [mine[1].pk, mine[0].pk]
    assert rows[0]["title"] == "消息1"
    assert rows[0]["is_read"] is False
    unread = client.get("/api/notifications/", {"unread": "true"}).json()["results"]
    assert [row["id"] for row in unread] == [mine[1].pk]
    for member in ("city_admin", "system_admin", "audit_admin"):
        assert client_for(getattr(cast, member)).get("/api/notifications/").json()["results"] == []


def test_the_api_retrieves_and_marks_read_in_scope_and_answers_404_outside(cast, client_for):
    (mine,) = _send(cast.street_officer)
    (theirs,) = _send(cast.other_street_officer)
    client = client_for(cast.street_officer)
    assert client.get(f"/api/notifications/{mine.pk}/").status_code == 200
    assert client.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"/api/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_marks_all_read(cast, client_for):
    _send(cast.street_officer, 3)
    _send(cast.other_street_officer, 1)
    client = client_for(cast.street_officer)
    assert client.post("/api/notifications/read-all/").json() == {"marked": 3}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}
    assert unread_count(cast.other_street_officer) == 1


def test_the_api_is_read_only_otherwise(cast, client_for):
    (mine,) = _send(cast.street_officer)
    client = client_for(cast.street_officer)
    assert client.post("/api/notifications/", {"title": "伪造"}, content_type="application/json").status_code == 405
    assert client.patch(f"/api/notifications/{mine.pk}/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/notifications/{mine.pk}/").status_code == 405
    assert client.get("/api/notifications/read-all/").status_code == 405
    assert Notification.objects.count() == 1


def test_the_api_answers_anonymous_callers_401(cast, client_for):
    (mine,) = _send(cast.street_officer)
    client = client_for(None)
    assert client.get("/api/notifications/").status_code == 401
    assert client.get(f"/api/notifications/{mine.pk}/").status_code == 401
    assert client.post(f"/api/notifications/{mine.pk}/read/").status_code == 401
    assert client.post("/api/notifications/read-all/").status_code == 401
    mine.refresh_from_db()
    assert mine.read_at is None


# --- no N+1 -----------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    client.get(url)  # warm the session and caches so both runs start alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", [LIST, f"{LIST}?unread=true", "/api/notifications/", "/"])
def test_the_number_of_queries_does_not_grow_with_the_notifications(cast, client_for, url):
    client = client_for(cast.street_officer)
    _send(cast.street_officer, 3)
    few = _count(client, url)
    Notification.objects.bulk_create(
        Notification(recipient=cast.street_officer, kind="k", title=f"第{i}条", url="/places/") for i in range(37)
    )
    assert Notification.objects.filter(recipient=cast.street_officer).count() == 40
    assert _count(client, url) == few


# --- on a phone ---------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bell_works_on_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    for i in range(3):
        notify(
            recipients=[cast.street_officer],
            about=_place(cast.street),
            kind="test.message",
            title=f"待办事项{i}",
            url="/accounts/profile/",
        )
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{app_server.url}/accounts/login/")
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{app_server.url}/")
        bell = page.locator("[data-testid=notification-bell]")
        assert bell.is_visible()
        assert page.locator("[data-testid=notification-count]").inner_text().startswith("3")
        box = bell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # Nothing wider than the phone: the bell must not push the navbar into sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "notification-bell-phone.png"))
        bell.click()
        page.wait_for_url(f"{app_server.url}/notifications/")
        assert page.locator("[data-testid=notification]").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "notification-list-phone.png"), full_page=True)
        page.locator("[data-testid=notification]").first.click()
        page.wait_for_url(f"{app_server.url}/accounts/profile/")
        assert page.locator("[data-testid=notification-count]").inner_text().startswith("2")
        page.goto(f"{app_server.url}/notifications/")
        page.locator("[data-testid=mark-all-read]").click()
        page.wait_for_url(f"{app_server.url}/notifications/")
        assert page.locator("[data-testid=notification-count]").count() == 0
        assert errors == []
    finally:
        context.close()
