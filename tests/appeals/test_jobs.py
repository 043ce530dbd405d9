from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from appeals import services, tasks
from appeals.models import Appeal, Notification
from appeals.notifications import notifications_send_pending
from tests.appeals.helpers import as_scope, file_appeal
from tests.clock import Clock
from tests.factories import AppealFactory, CommitteeUserFactory, DeputyFactory
from tests.helpers import captured_queries

pytestmark = pytest.mark.django_db
clock = Clock.fixture()


def test_deadline_reminders_go_out_once(deputy, citizen, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = AppealFactory(deputy=deputy, citizen=citizen, deadline=today + timedelta(days=5))
    missed = AppealFactory(deputy=deputy, citizen=citizen, deadline=today - timedelta(days=1))
    AppealFactory(deputy=deputy, citizen=citizen, deadline=today + timedelta(days=6))
    AppealFactory(
        deputy=deputy,
        citizen=citizen,
        deadline=today - timedelta(days=1),
        status="answered",
        answered_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = services.appeals_remind(today=today)
        second = services.appeals_remind(today=today)
    notifications_send_pending()

    nothing = {"due_soon": 0, "overdue": 0, "feedback": 0, "queue_day_3": 0, "queue_day_7": 0}
    assert first == {**nothing, "due_soon": 1, "overdue": 1}
    assert second == nothing
    assert set(Notification.objects.values_list("appeal", "kind")) == {
        (due.pk, "due_soon"),
        (missed.pk, "overdue"),
    }
    assert len(mail.outbox) == 2


def test_a_new_deadline_after_extension_gets_its_own_reminder(deputy):
    today = timezone.localdate()
    appeal = AppealFactory(deputy=deputy, deadline=today + timedelta(days=5))
    services.appeals_remind(today=today)
    Appeal.objects.filter(pk=appeal.pk).update(deadline=today + timedelta(days=10))
    services.appeals_remind(today=today + timedelta(days=5))
    assert Notification.objects.filter(appeal=appeal, kind="due_soon").count() == 2


def test_the_feedback_reminder_goes_once_7_days_after_the_answer(deputy, citizen):
    now = timezone.now()
    AppealFactory(
        deputy=deputy, citizen=citizen, status="answered", answered_at=now - timedelta(days=8)
    )
    AppealFactory(
        deputy=deputy, citizen=citizen, status="answered", answered_at=now - timedelta(days=2)
    )
    assert services.appeals_remind(now=now)["feedback"] == 1
    assert services.appeals_remind(now=now)["feedback"] == 0


def test_answered_appeals_close_14_days_after_the_answer_once(deputy):
    now = timezone.now()
    old = AppealFactory(deputy=deputy, status="answered", answered_at=now - timedelta(days=15))
    fresh = AppealFactory(deputy=deputy, status="answered", answered_at=now - timedelta(days=13))

    assert services.appeals_close_answered(now=now) == 1
    assert services.appeals_close_answered(now=now) == 0

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("closed", "answered")
    assert old.events.filter(type="closed").count() == 1


def test_the_beat_jobs_are_scheduled_and_run_through_celery(deputy):
    from django_celery_beat.models import PeriodicTask

    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= {
        "appeals.close_answered",
        "appeals.send_reminders",
    }
    AppealFactory(deputy=deputy, status="answered", answered_at=timezone.now() - timedelta(days=20))
    assert tasks.close_answered.apply().get() == 1
    assert tasks.close_answered.apply().get() == 0


def test_the_email_outbox_sends_each_letter_once(deputy, citizen):
    AppealFactory(deputy=deputy, citizen=citizen, deadline=timezone.localdate() + timedelta(days=5))
    services.appeals_remind()
    Notification.objects.update(emailed_at=None)
    mail.outbox.clear()

    assert tasks.send_notification_emails.apply().get() == 1
    assert tasks.send_notification_emails.apply().get() == 0
    assert len(mail.outbox) == 1
    assert "deputy@example.org" in mail.outbox[0].to


@pytest.mark.perf_guard  # the sender joins only its batch's people and appeals
def test_the_sender_takes_the_oldest_letters_and_reads_only_their_people(deputy, citizen):
    appeal = AppealFactory(deputy=deputy, citizen=citizen)
    now = timezone.now()
    for minutes in (5, 4, 3, 2, 1):
        Notification.objects.create(
            user=citizen,
            appeal=appeal,
            kind="assigned",
            created_at=now - timedelta(minutes=minutes),
        )
    oldest = list(Notification.objects.order_by("created_at").values_list("pk", flat=True)[:2])
    mail.outbox.clear()
    with captured_queries() as run:
        assert notifications_send_pending(limit=2, budget=timedelta(0)) == 2  # one batch
    assert len(run) <= 5, str(run)  # batch, letters, update, savepoint pair
    joined = run.naming("accounts_user")[0]
    assert " IN (" in joined  # the people and appeals of the batch, not of the queue
    assert set(
        Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True)
    ) == set(oldest)
    assert len(mail.outbox) == 2


def test_a_run_of_the_sender_empties_the_queue_batch_by_batch(deputy, citizen):
    appeal = AppealFactory(deputy=deputy, citizen=citizen)
    for _ in range(5):
        Notification.objects.create(
            user=citizen, appeal=appeal, kind="assigned", created_at=timezone.now()
        )
    mail.outbox.clear()

    assert notifications_send_pending(limit=2) == 5
    assert len(mail.outbox) == 5
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def queue_reminders():
    return set(
        Notification.objects.filter(kind__startswith="queue_").values_list(
            "user__email", "appeal__number", "kind"
        )
    )


def test_the_committee_is_reminded_of_its_queue_on_day_3_and_day_7_once_each(
    citizen, committee, other_committee, clock
):
    colleague = CommitteeUserFactory(region_code="77", email="colleague@example.org")
    waiting = file_appeal(citizen)  # no deputy in the region: the committee's queue
    spb = file_appeal(citizen, region_code="78")  # another region's committee's
    days = {}
    for day in range(1, 10):
        clock.advance(days=1)
        days[day] = services.appeals_remind()
        assert services.appeals_remind() == {**days[day], "queue_day_3": 0, "queue_day_7": 0}
        notifications_send_pending()  # the outbox's minute job

    # Each member of each region's committee (two in Moscow, one in St Petersburg), on
    # day 3 and on day 7, once.
    assert {day: (sent["queue_day_3"], sent["queue_day_7"]) for day, sent in days.items()} == {
        1: (0, 0), 2: (0, 0), 3: (3, 0), 4: (0, 0), 5: (0, 0), 6: (0, 0),
        7: (0, 3), 8: (0, 0), 9: (0, 0),
    }  # fmt: skip
    assert queue_reminders() == {
        ("committee@example.org", waiting.number, "queue_day_3"),
        ("colleague@example.org", waiting.number, "queue_day_3"),
        ("committee@example.org", waiting.number, "queue_day_7"),
        ("colleague@example.org", waiting.number, "queue_day_7"),
        ("committee.spb@example.org", spb.number, "queue_day_3"),
        ("committee.spb@example.org", spb.number, "queue_day_7"),
    }
    # Also by e-mail, through the outbox.
    letters = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(letters) == 2
    assert all(waiting.number in m.subject for m in letters)


def test_an_assigned_appeal_leaves_the_reminders_and_a_missed_run_is_made_up(
    citizen, committee, clock
):
    assigned = file_appeal(citizen)
    waiting = file_appeal(citizen)
    deputy = DeputyFactory(region_code="77")
    clock.advance(days=2)
    services.appeal_assign(
        scope=as_scope(committee), appeal=assigned, actor=committee, to_deputy=deputy
    )
    clock.advance(days=3)  # the job did not run on day 3: day 5 makes it up
    assert services.appeals_remind()["queue_day_3"] == 1
    clock.advance(days=10)  # nor on day 7: day 15 sends day 7's, and not day 3's again
    sent = services.appeals_remind()
    assert (sent["queue_day_3"], sent["queue_day_7"]) == (0, 1)
    assert {number for _email, number, _kind in queue_reminders()} == {waiting.number}
