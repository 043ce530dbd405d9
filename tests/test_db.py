"""core.db.insert: the rows `bulk_create` would write, with the statement compiled once.

A performance guard (measured with Django 5.2.19): if an upgrade changes how Django
prepares or writes values, these fail and the helper goes, not the data."""

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from appeals.models import AppealEvent, Notification
from core.db import insert
from tests.factories import AppealFactory
from tests.helpers import captured_queries

pytestmark = [pytest.mark.django_db, pytest.mark.perf_guard]


def _written(model, write, make):
    """The rows `write` stores for the instances `make` builds, as dicts without ids."""
    before = set(model.objects.values_list("pk", flat=True))
    write(make())
    new = model.objects.exclude(pk__in=before).order_by("pk")
    return [model_to_dict(row, exclude=["id"]) for row in new]


def test_history_rows_equal_bulk_creates(citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy)
    now = timezone.now()

    def rows():
        return [
            AppealEvent(appeal=appeal, type="registered", actor=citizen, created_at=now,
                        to_status="submitted", params={"days": 5, "name": "Иванов"}),
            AppealEvent(appeal=appeal, type="routed", deputy=deputy, created_at=now,
                        from_status="submitted", to_status="assigned", reason="по району"),
            AppealEvent(appeal=appeal, type="queued", created_at=now, reason="no deputy"),
        ]  # fmt: skip

    by_django = _written(AppealEvent, AppealEvent.objects.bulk_create, rows)
    ours = _written(AppealEvent, insert, rows)
    assert ours == by_django
    assert len(ours) == 3


def test_notification_rows_equal_bulk_creates(citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy)
    now = timezone.now()

    def rows():
        return [
            Notification(user=deputy.user, appeal=appeal, kind="new_appeal", created_at=now),
            Notification(user=citizen, appeal=appeal, kind="assigned", created_at=now),
        ]

    by_django = _written(Notification, Notification.objects.bulk_create, rows)
    ours = _written(Notification, insert, rows)
    assert ours == by_django
    assert len(ours) == 2


def test_one_statement_and_none_for_nothing(citizen):
    appeal = AppealFactory(citizen=citizen)
    now = timezone.now()
    with captured_queries() as written:
        assert insert([]) == []
        insert([Notification(user=citizen, appeal=appeal, kind="answered", created_at=now)] * 3)
    assert len(written) == 1, str(written)
