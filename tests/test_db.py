"""core.db: rows as `save()` and `bulk_create` would write them, with fewer statements
compiled and sent."""

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals.models import Appeal, AppealEvent, Notification
from core.db import batched, create, insert
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_every_value_as_the_orm_writes_it(citizen):
    appeal = AppealFactory(citizen=citizen)
    now = timezone.now()
    rows = [
        AppealEvent(appeal=appeal, type="registered", actor=citizen, created_at=now,
                    to_status="submitted", params={"days": 5, "name": "Иванов"}),
        AppealEvent(appeal=appeal, type="queued", created_at=now, reason="no deputy"),
    ]  # fmt: skip
    before = set(AppealEvent.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as written:
        assert insert(rows) is rows
    assert len(written.captured_queries) == 1
    new = AppealEvent.objects.exclude(pk__in=before).order_by("pk")
    assert [(e.type, e.actor_id, e.created_at, e.to_status, e.reason, e.params) for e in new] == [
        ("registered", citizen.pk, now, "submitted", "", {"days": 5, "name": "Иванов"}),
        ("queued", None, now, "", "no deputy", {}),
    ]


def test_a_different_number_of_rows_gets_its_own_statement(citizen):
    appeal = AppealFactory(citizen=citizen)
    now = timezone.now()
    before = Notification.objects.count()
    insert([Notification(user=citizen, appeal=appeal, kind="assigned", created_at=now)])
    insert([Notification(user=citizen, appeal=appeal, kind="answered", created_at=now)] * 3)
    assert Notification.objects.count() == before + 4


def test_nothing_to_write_makes_no_statement():
    with CaptureQueriesContext(connection) as written:
        assert insert([]) == []
    assert written.captured_queries == []


def test_a_batch_writes_its_rows_when_it_ends_in_one_round_trip_on_postgresql(citizen):
    appeal = AppealFactory(citizen=citizen)
    now = timezone.now()
    events_before, notifications_before = AppealEvent.objects.count(), Notification.objects.count()
    with CaptureQueriesContext(connection) as written:
        with batched():
            insert([AppealEvent(appeal=appeal, type="registered", created_at=now)] * 2)
            insert([Notification(user=citizen, appeal=appeal, kind="assigned", created_at=now)])
            assert AppealEvent.objects.count() == events_before  # held back
        sent = len(written.captured_queries) - 1  # the count above
    assert AppealEvent.objects.count() == events_before + 2
    assert Notification.objects.count() == notifications_before + 1
    assert sent == (1 if connection.vendor == "postgresql" else 2)


def test_a_batch_that_raises_writes_nothing(citizen):
    appeal = AppealFactory(citizen=citizen)
    before = AppealEvent.objects.count()
    with pytest.raises(ValueError), batched():
        insert([AppealEvent(appeal=appeal, type="registered", created_at=timezone.now())])
        raise ValueError
    assert AppealEvent.objects.count() == before


def test_create_writes_the_row_save_would_and_marks_it_saved(citizen, deputy):
    when = timezone.now()

    def new(number):
        made = AppealFactory.build(
            citizen=citizen, deputy=deputy, number=number, registered_at=when
        )
        made.updated_at = None  # auto_now, set when written
        return made

    by_save, by_create = new("77-2026-900001"), new("77-2026-900002")
    by_save.save()
    with CaptureQueriesContext(connection) as written:
        assert create(by_create) is by_create
    assert len(written.captured_queries) == 1
    assert by_create.pk and not by_create._state.adding
    assert by_create.updated_at is not None
    stored = [
        model_to_dict(Appeal.objects.get(pk=made.pk), exclude=["id", "number", "updated_at"])
        for made in (by_save, by_create)
    ]
    assert stored[0] == stored[1]


def test_create_goes_through_save_for_a_model_with_save_receivers(citizen, deputy):
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append(created)

    post_save.connect(receiver, sender=Appeal)
    try:
        create(AppealFactory.build(citizen=citizen, deputy=deputy, number="77-2026-900003"))
    finally:
        post_save.disconnect(receiver, sender=Appeal)
    assert seen == [True]
