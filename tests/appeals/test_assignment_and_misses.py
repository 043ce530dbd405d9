"""The committee assigns from the queue and takes back overdue appeals (a redirect in the
law's sense: the clock starts again), and whose miss an appeal closed late counts as."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appeals import services
from appeals.history import event_reason
from appeals.models import Appeal, AppealEvent, Notification
from appeals.notifications import notifications_send_pending
from core.errors import ApplicationError
from deputies.access import appeal_actions
from deputies.names import dative
from tests.clock import Clock
from tests.factories import CommitteeUserFactory, DeputyFactory

from .helpers import as_scope, file_appeal, history

pytestmark = pytest.mark.django_db
Status = Appeal.Status
clock = Clock.fixture()


def test_the_committee_assigns_from_the_queue_and_the_deputys_30_days_start_then(
    citizen, committee, clock, django_capture_on_commit_callbacks
):
    queued = file_appeal(citizen)  # no deputy in the region yet: the committee's queue
    newcomer = DeputyFactory(region_code="77", full_name="Попова Александра Борисовна")
    clock.advance(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_assign(
            scope=as_scope(committee), appeal=queued, actor=committee, to_deputy=newcomer
        )
    notifications_send_pending()  # with a broker, the minute job; else it already ran
    queued.refresh_from_db()

    # A redirect in the law's sense: 30 days from the assignment, not from registration.
    new_deadline = clock.today() + timedelta(days=30)
    assert (queued.deputy, queued.status) == (newcomer, Status.ASSIGNED)
    assert queued.deadline == new_deadline
    assert queued.clock_started_at == clock.now
    assert queued.left_queue_at == clock.now
    assert queued.missed_by is None
    assert history(queued) == ["registered", "queued", "assigned"]
    event = queued.events.get(type="assigned")
    assert "30" in event_reason(event, queued)  # the why, in the history the citizen reads
    assert event.params == {"deadline": new_deadline.isoformat(), "from_queue": True}
    # The citizen is told the new deadline and why, on the site and by e-mail.
    assert Notification.objects.filter(user=citizen, kind="assigned_from_queue").exists()
    letter = next(m for m in mail.outbox if "депутату Поповой Александре Борисовне" in m.body)
    assert letter.to == [citizen.email]
    assert new_deadline.strftime("%d.%m.%Y") in letter.body


def test_reassigning_an_overdue_appeal_gives_the_new_deputy_7_days_and_counts_a_miss(
    citizen, deputy, other_deputy, committee, clock, django_capture_on_commit_callbacks
):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    clock.advance(days=31)  # the 30th day was the last on time

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_assign(
            scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=other_deputy
        )
    notifications_send_pending()
    appeal.refresh_from_db()

    new_deadline = clock.today() + timedelta(days=7)
    assert (appeal.deputy, appeal.status, appeal.deadline) == (
        other_deputy,
        Status.ASSIGNED,
        new_deadline,
    )
    assert appeal.missed_by == deputy  # speed 0 for the deputy it was taken from
    event = appeal.events.get(type="assigned")
    assert event.params == {
        "deadline": new_deadline.isoformat(),
        "from_deputy": deputy.pk,
        "missed_by": deputy.pk,
    }
    assert "7" in event_reason(event, appeal)
    deputy.refresh_from_db()
    other_deputy.refresh_from_db()
    assert (deputy.open_appeals, other_deputy.open_appeals) == (0, 1)
    assert Notification.objects.filter(user=citizen, kind="reassigned").exists()
    # The letter names the new deputy and the new deadline.
    letter = next(m for m in mail.outbox if dative(other_deputy.full_name) in m.body)
    assert letter.to == [citizen.email]
    assert new_deadline.strftime("%d.%m.%Y") in letter.body


def test_an_appeal_missed_twice_stays_the_first_deputys_miss(
    citizen, deputy, other_deputy, committee, clock
):
    third = DeputyFactory(region_code="77")
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    clock.advance(days=31)
    services.appeal_assign(
        scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=other_deputy
    )
    clock.advance(days=8)  # the second deputy's 7 days are over too
    services.appeal_assign(
        scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=third
    )
    appeal.refresh_from_db()
    assert (appeal.deputy, appeal.missed_by) == (third, deputy)
    assert appeal.deadline == clock.today() + timedelta(days=7)


@pytest.mark.parametrize("days", [0, 10, 30])
def test_the_committee_may_not_reassign_an_appeal_its_deputy_still_has_time_for(
    citizen, deputy, other_deputy, committee, clock, days
):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    clock.advance(days=days)  # up to and including the last day
    before = AppealEvent.objects.count()

    with pytest.raises(ApplicationError) as error:
        services.appeal_assign(
            scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=other_deputy
        )

    # The message says why and until when the deputy has the appeal.
    assert appeal.deadline.strftime("%d.%m.%Y") in error.value.message
    appeal.refresh_from_db()
    assert (appeal.deputy, appeal.missed_by) == (deputy, None)
    assert AppealEvent.objects.count() == before
    assert appeal_actions(as_scope(committee), appeal, now=timezone.now()).assign is False


def test_the_page_offers_assignment_only_for_unassigned_or_overdue_appeals(
    citizen, deputy, committee, clock
):
    queued = file_appeal(citizen, region_code="78")
    on_time = file_appeal(citizen, chosen_deputy=deputy)
    assert appeal_actions(as_scope(committee), on_time, now=timezone.now()).assign is False
    spb = CommitteeUserFactory(region_code="78")
    assert appeal_actions(as_scope(spb), queued, now=timezone.now()).assign is True
    clock.advance(days=31)
    assert appeal_actions(as_scope(committee), on_time, now=timezone.now()).assign is True


def test_the_api_answers_409_with_the_reason_for_an_appeal_on_time(
    citizen, deputy, other_deputy, committee
):
    from rest_framework.test import APIClient

    appeal = file_appeal(citizen, chosen_deputy=deputy)
    client = APIClient()
    client.force_authenticate(committee)
    url = reverse("api:appeal-assign", kwargs={"number": appeal.number})

    refused = client.post(url, {"deputy": other_deputy.pk}, format="json")
    assert refused.status_code == 409
    assert appeal.deadline.strftime("%d.%m.%Y") in refused.json()["detail"]

    Appeal.objects.filter(pk=appeal.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    assert client.post(url, {"deputy": other_deputy.pk}, format="json").status_code == 200
    appeal.refresh_from_db()
    assert (appeal.deputy, appeal.missed_by) == (other_deputy, deputy)


@pytest.mark.parametrize("close", ["reject", "withdraw"])
def test_closing_without_an_answer_after_the_deadline_is_a_miss_for_the_holder(
    citizen, deputy, clock, close
):
    late = file_appeal(citizen, chosen_deputy=deputy)
    early = file_appeal(citizen, chosen_deputy=deputy)
    on_last_day = file_appeal(citizen, chosen_deputy=deputy)

    def close_it(appeal):
        if close == "reject":
            services.appeal_reject(
                scope=as_scope(deputy), appeal=appeal, actor=deputy.user, reason="unreadable"
            )
        else:
            services.appeal_withdraw(scope=as_scope(citizen), appeal=appeal, actor=citizen)

    clock.advance(days=10)
    close_it(early)
    clock.advance(days=20)  # day 30, the last day on time
    close_it(on_last_day)
    clock.advance(days=1)
    close_it(late)

    missed = dict(Appeal.objects.values_list("pk", "missed_by"))
    assert missed == {late.pk: deputy.pk, early.pk: None, on_last_day.pk: None}
    event_type = "rejected" if close == "reject" else "withdrawn"
    assert late.events.get(type=event_type).params["missed_by"] == deputy.pk
    assert "missed_by" not in early.events.get(type=event_type).params


def test_withdrawing_from_the_queue_is_nobodys_miss(citizen, clock):
    queued = file_appeal(citizen)
    clock.advance(days=40)
    services.appeal_withdraw(scope=as_scope(citizen), appeal=queued, actor=citizen)
    queued.refresh_from_db()
    assert (queued.status, queued.missed_by) == (Status.WITHDRAWN, None)
