"""My appeals: the citizen's table with search, status filter, days left and the mark of
a reply not yet read."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals import services
from tests.factories import AppealFactory
from tests.helpers import assert_same_count, queries

from .helpers import as_scope, file_appeal

pytestmark = pytest.mark.django_db
URL = reverse("appeals:appeal_list")


def numbers(response):
    return [row.record.number for row in response.context["table"].paginated_rows]


def test_a_citizen_without_appeals_is_invited_to_write_the_first(client, citizen):
    client.force_login(citizen)
    body = client.get(URL).content.decode()
    assert "Напишите первое обращение" in body
    assert f'href="{reverse("appeals:appeal_create")}"' in body
    assert 'id="my-appeals"' not in body


def test_search_by_number_and_by_words_of_subject_or_text(client, citizen, deputy):
    lift = AppealFactory(citizen=citizen, deputy=deputy, subject="Не работает лифт")
    yard = AppealFactory(
        citizen=citizen, deputy=deputy, subject="Двор", text="В подъезде дома 4 темно."
    )
    AppealFactory(deputy=deputy, subject="Лифт в чужом доме")  # another citizen's
    client.force_login(citizen)

    assert numbers(client.get(URL, {"search": lift.number})) == [lift.number]
    assert numbers(client.get(URL, {"search": "№ " + yard.number[-6:]})) == [yard.number]
    assert numbers(client.get(URL, {"search": "Лифт"})) == [lift.number]  # any case of the first
    assert numbers(client.get(URL, {"search": "лифт"})) == [lift.number]
    assert numbers(client.get(URL, {"search": "подъезде темно"})) == [yard.number]
    nothing = client.get(URL, {"search": "канализация"})
    assert numbers(nothing) == []
    assert "обращений не найдено" in nothing.content.decode()


def test_status_filter_is_the_apis_and_combines_with_the_search(client, citizen, deputy):
    from appeals.api.filters import AppealFilter
    from appeals.filters import MyAppealsFilter

    open_ = AppealFactory(citizen=citizen, deputy=deputy, subject="Лифт")
    closed = AppealFactory(
        citizen=citizen, deputy=deputy, subject="Лифт", status="closed",
        answered_at=timezone.now(),
    )  # fmt: skip
    client.force_login(citizen)

    assert numbers(client.get(URL, {"status": "closed"})) == [closed.number]
    assert numbers(client.get(URL, {"status": "assigned", "search": "лифт"})) == [open_.number]
    assert set(numbers(client.get(URL, {"status": "nonsense"}))) == {open_.number, closed.number}
    shared = AppealFilter.base_filters["status"], MyAppealsFilter.base_filters["status"]
    assert shared[0].extra["choices"] == shared[1].extra["choices"]


def test_the_table_shows_days_left_or_overdue_and_never_wraps_the_number(client, citizen, deputy):
    today = timezone.localdate()
    AppealFactory(citizen=citizen, deputy=deputy, deadline=today + timedelta(days=12))
    AppealFactory(citizen=citizen, deputy=deputy, deadline=today - timedelta(days=3))
    client.force_login(citizen)
    body = client.get(URL).content.decode()
    assert "осталось 12 дней" in body
    assert "просрочено на 3 дня" in body
    assert '<td class="appeal-number">' in body


def test_a_reply_marks_the_appeal_until_the_citizen_opens_it(client, citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    quiet = file_appeal(citizen, chosen_deputy=deputy, subject="Тишина")
    client.force_login(citizen)
    assert "новый ответ" not in client.get(URL).content.decode()

    services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Запросил план", final=False
    )
    response = client.get(URL)
    marked = [row.record.number for row in response.context["table"].paginated_rows
              if row.record.unread]  # fmt: skip
    assert marked == [appeal.number]
    assert "новый ответ" in response.content.decode()
    assert quiet.number in response.content.decode()

    client.get(appeal.get_absolute_url())  # read

    assert "новый ответ" not in client.get(URL).content.decode()


def test_the_citizens_own_follow_up_does_not_mark_the_appeal(client, citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_follow_up(scope=as_scope(citizen), appeal=appeal, actor=citizen, text="Ещё")
    client.force_login(citizen)
    assert "новый ответ" not in client.get(URL).content.decode()


def test_opening_the_appeal_reads_its_notifications_only(client, citizen, deputy):
    first = file_appeal(citizen, chosen_deputy=deputy)
    second = file_appeal(citizen, chosen_deputy=deputy)
    for appeal in (first, second):
        services.appeal_reply(
            scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
        )
    client.force_login(citizen)
    unread = citizen.notifications.filter(read_at__isnull=True)
    client.get(first.get_absolute_url())
    assert not unread.filter(appeal=first).exists()
    assert unread.filter(appeal=second).exists()


def test_the_list_pages_with_a_constant_number_of_queries(client, citizen, deputy):
    def replied(count):
        for _ in range(count):
            appeal = AppealFactory(citizen=citizen, deputy=deputy, subject="Яма во дворе")
            services.appeal_reply(
                scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="1", final=False
            )

    client.force_login(citizen)
    replied(2)
    few = queries(client, URL, {"search": "яма"})
    replied(30)
    many = queries(client, URL, {"search": "яма"})
    assert_same_count(few, many)
    page_two = client.get(URL, {"search": "яма", "page": 2})
    assert len(numbers(page_two)) == 32 - 25
    assert "Страница 2 из 2" in page_two.content.decode()


def test_the_header_counts_unread_notifications_as_they_come_and_are_read(
    client, citizen, deputy, django_capture_on_commit_callbacks
):
    """The count is kept in the cache between pages: a new notification and reading one
    change it on the next page all the same."""

    def badge():
        body = client.get(URL).content.decode()
        found = re.search(r'id="unread-count">(\d+)', body)
        return int(found.group(1)) if found else 0

    with django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal(citizen, chosen_deputy=deputy)
    client.force_login(citizen)
    before = badge()
    assert badge() == before  # counted once, then from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_reply(
            scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=False
        )
    assert badge() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(appeal.get_absolute_url())  # reads its notifications
    assert badge() == 0
