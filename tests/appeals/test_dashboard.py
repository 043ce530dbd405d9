"""The deputy's dashboard on the design system: the search by number and subject, the
mark on appeals with a citizen's message the deputy has not answered, the counters,
the sortable table, and a constant number of queries whatever the rows."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Message
from tests.factories import AppealFactory, CitizenFactory, MunicipalityFactory
from tests.helpers import assert_same_count, queries

pytestmark = pytest.mark.django_db

DASHBOARD = "appeals:dashboard"


def listed(response):
    return [appeal.number for appeal in response.context["page"].object_list]


def message(appeal, kind, minutes_ago):
    author = appeal.citizen if kind == Message.Kind.FOLLOW_UP else appeal.deputy.user
    return Message.objects.create(
        appeal=appeal,
        author=author,
        kind=kind,
        text="…",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_the_search_finds_an_appeal_by_a_part_of_its_number_or_words_of_its_subject(client, deputy):
    roof = AppealFactory(deputy=deputy, number="77-2026-000123", subject="Протекает крыша")
    lift = AppealFactory(deputy=deputy, number="77-2026-000456", subject="Не работает лифт")
    client.force_login(deputy.user)
    url = reverse(DASHBOARD)

    assert listed(client.get(url, {"q": "000123"})) == [roof.number]
    assert listed(client.get(url, {"q": "77-2026-000456"})) == [lift.number]
    assert listed(client.get(url, {"q": "крыша"})) == [roof.number]
    assert listed(client.get(url, {"q": "КРЫША"})) == [roof.number]  # any case
    assert listed(client.get(url, {"q": "456"})) == [lift.number]
    assert listed(client.get(url, {"q": "лифт работает"})) == [lift.number]  # any order
    assert listed(client.get(url, {"q": "подвал"})) == []
    body = client.get(url, {"q": "подвал"}).content.decode()
    assert "Обращений не найдено" in body


def test_the_search_reaches_only_the_deputys_own_appeals(client, deputy, other_deputy):
    AppealFactory(deputy=other_deputy, number="77-2026-000777", subject="Чужое обращение")
    client.force_login(deputy.user)
    assert listed(client.get(reverse(DASHBOARD), {"q": "000777"})) == []
    assert listed(client.get(reverse(DASHBOARD), {"q": "Чужое"})) == []


def test_an_appeal_with_a_citizens_message_since_the_deputys_last_reply_is_marked(client, deputy):
    unanswered = AppealFactory(deputy=deputy, subject="Написал и ждёт")
    answered = AppealFactory(deputy=deputy, subject="Ему уже ответили")
    quiet = AppealFactory(deputy=deputy, subject="Переписки нет")
    written_after = AppealFactory(deputy=deputy, subject="Дописал после ответа")
    message(unanswered, Message.Kind.FOLLOW_UP, 30)
    message(answered, Message.Kind.FOLLOW_UP, 30)
    message(answered, Message.Kind.INTERIM, 10)
    message(written_after, Message.Kind.INTERIM, 60)
    message(written_after, Message.Kind.FOLLOW_UP, 5)
    client.force_login(deputy.user)

    response = client.get(reverse(DASHBOARD))

    marked = response.context["new_messages"]
    assert marked == {unanswered.pk, written_after.pk}
    body = response.content.decode()
    assert body.count('class="new-message-mark"') == 2
    row = body[body.index(unanswered.number) :]
    assert row.index("new-message-mark") < row.index("</tr>")
    assert quiet.pk not in marked


def test_the_mark_shows_at_once_on_a_cached_page_when_the_citizen_writes(client, deputy):
    appeal = AppealFactory(deputy=deputy)
    client.force_login(deputy.user)
    assert "new-message-mark" not in client.get(reverse(DASHBOARD)).content.decode()
    message(appeal, Message.Kind.FOLLOW_UP, 0)
    assert "new-message-mark" in client.get(reverse(DASHBOARD)).content.decode()


def test_the_table_shows_the_district_and_address_and_never_breaks_a_number(client, deputy):
    district = MunicipalityFactory(region=deputy.region, name="Тверской район")
    AppealFactory(deputy=deputy, municipality=district, address="ул. Тверская, д. 7")
    client.force_login(deputy.user)

    body = client.get(reverse(DASHBOARD)).content.decode()

    table = body[body.index('id="queue"') :]
    assert "Тверской район" in table and "ул. Тверская, д. 7" in table
    assert 'class="appeal-number"' in table  # white-space: nowrap
    assert "status-tag" in table and "deadline-badge" in table


def test_the_counters_include_the_answers_of_this_month_and_link_to_their_lists(client, deputy):
    now = timezone.now()
    AppealFactory(deputy=deputy, status="answered", answered_at=now)
    AppealFactory(deputy=deputy, status="closed", answered_at=now, closed_at=now)
    AppealFactory(deputy=deputy, status="answered", answered_at=now - timedelta(days=40))
    due = AppealFactory(deputy=deputy, deadline=timezone.localdate() + timedelta(days=2))
    AppealFactory(deputy=deputy, deadline=timezone.localdate() + timedelta(days=20))
    client.force_login(deputy.user)

    response = client.get(reverse(DASHBOARD))

    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0)
    expected = 2 if now - timedelta(days=40) < month_start else 3
    assert response.context["answered_this_month"] == expected
    body = response.content.decode()
    assert 'id="count-answered"' in body and 'href="?due_soon=on"' in body
    due_soon = client.get(reverse(DASHBOARD), {"due_soon": "on"})
    assert listed(due_soon) == [due.number]
    assert response.context["counters"]["due_soon"] == 1


def test_the_deadline_and_received_headers_sort_the_queue_and_say_their_order(client, deputy):
    today = timezone.localdate()
    old = AppealFactory(
        deputy=deputy,
        registered_at=timezone.now() - timedelta(days=20),
        deadline=today + timedelta(days=10),
    )
    new = AppealFactory(deputy=deputy, deadline=today + timedelta(days=30))
    client.force_login(deputy.user)
    url = reverse(DASHBOARD)

    by_deadline = client.get(url, {"page": "1"})
    assert listed(by_deadline) == [old.number, new.number]
    body = by_deadline.content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?ordering=-deadline"' in body  # the next order; the page is dropped
    assert listed(client.get(url, {"ordering": "-registered"})) == [new.number, old.number]
    latest = client.get(url, {"ordering": "-deadline"}).content.decode()
    assert 'aria-sort="descending"' in latest


def test_an_empty_queue_says_so_and_offers_to_reset_the_filters(client, deputy):
    client.force_login(deputy.user)
    assert "empty-state" in client.get(reverse(DASHBOARD)).content.decode()
    filtered = client.get(reverse(DASHBOARD), {"status": "closed"}).content.decode()
    assert f'href="{reverse(DASHBOARD)}"' in filtered


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-registered", "status": "all"},
        {"q": "лифт"},
        {"overdue": "on"},
        {"due_soon": "on", "topic": "housing"},
    ],
)
def test_the_dashboard_reads_as_many_statements_for_3_rows_as_for_25(client, deputy, params):
    today = timezone.localdate()

    def pile(n):
        for index in range(n):
            appeal = AppealFactory(
                deputy=deputy,
                citizen=CitizenFactory(),
                deadline=today + timedelta(days=index % 5 - 1),
            )
            message(appeal, Message.Kind.FOLLOW_UP, 5)
            if index % 2:
                message(appeal, Message.Kind.INTERIM, 1)

    from appeals.models import Topic

    if params.get("topic"):
        params = {**params, "topic": Topic.objects.get(slug=params["topic"]).pk}
    client.force_login(deputy.user)
    url = reverse(DASHBOARD)
    pile(3)
    cache.clear()  # the form and rows are cached: compare cold pages
    few = queries(client, url, params)
    assert "appeals_message" in few  # the rows are there, with their marks
    pile(30)
    cache.clear()
    assert_same_count(few, queries(client, url, params))
    assert Appeal.objects.filter(deputy=deputy).count() == 33
