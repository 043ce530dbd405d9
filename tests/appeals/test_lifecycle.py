from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from appeals import services
from appeals.models import Appeal, AppealEvent, Message, Notification
from appeals.notifications import notifications_send_pending
from core.errors import ApplicationError
from deputies.access import appeal_actions
from tests.clock import Clock
from tests.factories import CommitteeUserFactory, DeputyFactory

from .helpers import as_scope, file_appeal

pytestmark = pytest.mark.django_db
Status = Appeal.Status
clock = Clock.fixture()


@pytest.fixture
def filed(citizen, deputy):
    return file_appeal(citizen)


def history(appeal):
    return list(appeal.events.order_by("pk").values_list("type", flat=True))


def reply(deputy, appeal, final=False, text="Ответ по существу"):
    return services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text=text, final=final
    )


def test_filing_registers_with_a_30_day_deadline_and_a_public_number(filed, deputy):
    today = timezone.localdate()
    assert filed.deadline == today + timedelta(days=30)
    assert filed.number == f"77-{today.year}-000001"
    assert history(filed) == ["registered", "routed"]
    assert filed.consent_version and filed.consent_at


def test_numbers_count_per_region_and_year(citizen, deputy):
    DeputyFactory(region_code="16")
    first = file_appeal(citizen)
    tatar = file_appeal(citizen, region_code="16")
    second = file_appeal(citizen)
    year = timezone.localdate().year
    assert [first.number, tatar.number, second.number] == [
        f"77-{year}-000001",
        f"16-{year}-000001",
        f"77-{year}-000002",
    ]


def test_the_whole_happy_path_leaves_a_full_history(filed, deputy):
    scope = as_scope(deputy)
    services.appeal_take(scope=scope, appeal=filed, actor=deputy.user)
    reply(deputy, filed, final=False, text="Запросили документы")
    reply(deputy, filed, final=True)
    filed.refresh_from_db()

    assert filed.status == Status.ANSWERED
    assert filed.answered_at is not None
    assert history(filed) == ["registered", "routed", "taken", "interim_reply", "answered"]
    assert list(filed.messages.values_list("kind", flat=True)) == ["interim", "answer"]
    deputy.refresh_from_db()
    assert deputy.open_appeals == 0
    event = filed.events.get(type="answered")
    assert (event.actor, event.from_status, event.to_status) == (
        deputy.user,
        "in_progress",
        "answered",
    )


def test_a_final_answer_on_a_new_appeal_takes_it_first(filed, deputy):
    reply(deputy, filed, final=True)
    assert history(filed)[-2:] == ["taken", "answered"]


def test_taking_twice_is_refused_and_changes_nothing(filed, deputy):
    services.appeal_take(scope=as_scope(deputy), appeal=filed, actor=deputy.user)
    before = AppealEvent.objects.count()
    with pytest.raises(ApplicationError):
        services.appeal_take(scope=as_scope(deputy), appeal=filed, actor=deputy.user)
    assert AppealEvent.objects.count() == before


# An answered appeal takes supplementary answers (tests/appeals/test_repeat_and_supplementary.py).
@pytest.mark.parametrize("status", [Status.CLOSED, Status.REJECTED, Status.WITHDRAWN])
def test_a_finished_appeal_cannot_be_answered_again(filed, deputy, status):
    Appeal.objects.filter(pk=filed.pk).update(status=status, rejection_reason="obscene")
    with pytest.raises(ApplicationError):
        reply(deputy, filed, final=True)
    assert not Message.objects.filter(appeal=filed).exists()


def test_only_the_assigned_deputy_may_act(filed, other_deputy, citizen, committee):
    for person in (other_deputy, citizen, committee):
        with pytest.raises(PermissionDenied):
            services.appeal_take(
                scope=as_scope(person), appeal=filed, actor=getattr(person, "user", person)
            )


def test_redirect_within_7_days_restarts_the_new_deputys_clock(filed, deputy, other_deputy):
    Appeal.objects.filter(pk=filed.pk).update(
        registered_at=timezone.now() - timedelta(days=6),
        clock_started_at=timezone.now() - timedelta(days=6),
        deadline=timezone.localdate() + timedelta(days=24),
    )
    filed.refresh_from_db()

    services.appeal_redirect(
        scope=as_scope(deputy),
        appeal=filed,
        actor=deputy.user,
        to_deputy=other_deputy,
        reason="Округ коллеги",
    )
    filed.refresh_from_db()

    assert filed.deputy == other_deputy
    assert filed.status == Status.ASSIGNED
    assert filed.deadline == timezone.localdate() + timedelta(days=30)
    event = filed.events.get(type="redirected")
    assert (event.reason, event.params["from_deputy"]) == ("Округ коллеги", deputy.pk)
    deputy.refresh_from_db()
    other_deputy.refresh_from_db()
    assert (deputy.open_appeals, other_deputy.open_appeals) == (0, 1)
    assert Notification.objects.filter(user=filed.citizen, kind="redirected").exists()


def test_redirect_after_7_days_is_refused(filed, deputy, other_deputy):
    Appeal.objects.filter(pk=filed.pk).update(
        registered_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    filed.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.appeal_redirect(
            scope=as_scope(deputy),
            appeal=filed,
            actor=deputy.user,
            to_deputy=other_deputy,
            reason="x",
        )
    filed.refresh_from_db()
    assert filed.deputy == deputy


def test_redirect_needs_a_reason_and_a_deputy_of_the_same_region(filed, deputy):
    stranger = DeputyFactory(region_code="78")
    with pytest.raises(ValidationError) as error:
        services.appeal_redirect(
            scope=as_scope(deputy), appeal=filed, actor=deputy.user, to_deputy=stranger, reason=" "
        )
    assert set(error.value.message_dict) == {"reason", "deputy"}


def test_one_extension_of_at_most_30_days_with_a_reason(filed, deputy):
    scope = as_scope(deputy)
    with pytest.raises(ValidationError):
        services.appeal_extend(scope=scope, appeal=filed, actor=deputy.user, days=31, reason="x")
    with pytest.raises(ValidationError):
        services.appeal_extend(scope=scope, appeal=filed, actor=deputy.user, days=10, reason="")

    services.appeal_extend(scope=scope, appeal=filed, actor=deputy.user, days=30, reason="Запрос")
    filed.refresh_from_db()
    assert filed.deadline == timezone.localdate() + timedelta(days=60)
    assert filed.events.get(type="extended").params["days"] == 30

    with pytest.raises(ApplicationError):
        services.appeal_extend(scope=scope, appeal=filed, actor=deputy.user, days=1, reason="Ещё")
    filed.refresh_from_db()
    assert filed.extended_days == 30


def test_no_extension_once_the_deadline_has_passed(filed, deputy):
    Appeal.objects.filter(pk=filed.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.appeal_extend(
            scope=as_scope(deputy), appeal=filed, actor=deputy.user, days=5, reason="x"
        )


def test_rejection_only_for_a_ground_of_the_law(filed, deputy):
    with pytest.raises(ValidationError):
        services.appeal_reject(
            scope=as_scope(deputy), appeal=filed, actor=deputy.user, reason="boring"
        )
    with pytest.raises(ValidationError):
        services.appeal_reject(
            scope=as_scope(deputy), appeal=filed, actor=deputy.user, reason="court_decision"
        )

    services.appeal_reject(
        scope=as_scope(deputy),
        appeal=filed,
        actor=deputy.user,
        reason="court_decision",
        details="Обжалуйте решение в апелляционном порядке.",
    )
    filed.refresh_from_db()
    assert filed.status == Status.REJECTED
    assert filed.closed_at is not None
    assert Notification.objects.filter(user=filed.citizen, kind="rejected").exists()


def test_the_citizen_withdraws_an_open_appeal_only(filed, citizen, deputy):
    services.appeal_withdraw(scope=as_scope(citizen), appeal=filed, actor=citizen, reason="Решено")
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWN
    deputy.refresh_from_db()
    assert deputy.open_appeals == 0
    with pytest.raises(ApplicationError):
        services.appeal_withdraw(scope=as_scope(citizen), appeal=filed, actor=citizen)


def test_another_citizen_cannot_withdraw(filed, other_citizen):
    with pytest.raises(PermissionDenied):
        services.appeal_withdraw(scope=as_scope(other_citizen), appeal=filed, actor=other_citizen)


def test_follow_ups_until_the_appeal_closes(filed, citizen, deputy):
    services.appeal_follow_up(scope=as_scope(citizen), appeal=filed, actor=citizen, text="Дополняю")
    reply(deputy, filed, final=True)
    services.appeal_follow_up(scope=as_scope(citizen), appeal=filed, actor=citizen, text="Спасибо")
    Appeal.objects.filter(pk=filed.pk).update(status=Status.CLOSED)
    with pytest.raises(ApplicationError):
        services.appeal_follow_up(scope=as_scope(citizen), appeal=filed, actor=citizen, text="Ещё")
    assert filed.messages.filter(kind="follow_up").count() == 2


def test_the_committee_assigns_from_the_queue_and_the_deputys_30_days_start_then(
    citizen, committee, clock, django_capture_on_commit_callbacks
):
    queued = file_appeal(citizen)  # no deputy in the region yet: the committee's queue
    newcomer = DeputyFactory(region_code="77")
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
    assert event.reason  # the why, in the history the citizen reads
    assert event.params == {"deadline": new_deadline.isoformat(), "from_queue": True}
    # The citizen is told the new deadline and why, on the site and by e-mail.
    assert Notification.objects.filter(user=citizen, kind="assigned_from_queue").exists()
    letter = next(m for m in mail.outbox if newcomer.full_name in m.body)
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
    assert event.reason
    deputy.refresh_from_db()
    other_deputy.refresh_from_db()
    assert (deputy.open_appeals, other_deputy.open_appeals) == (0, 1)
    assert Notification.objects.filter(user=citizen, kind="reassigned").exists()
    # The letter names the new deputy and the new deadline.
    letter = next(m for m in mail.outbox if other_deputy.full_name in m.body)
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


def test_another_regions_committee_cannot_assign(filed, other_committee, other_deputy):
    with pytest.raises(PermissionDenied):
        services.appeal_assign(
            scope=as_scope(other_committee),
            appeal=filed,
            actor=other_committee,
            to_deputy=other_deputy,
        )


def test_notifications_reach_both_sides_by_site_and_mail(
    citizen, deputy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal(citizen)
        reply(deputy, appeal, final=True)
    # With a broker this is the minute job; in the embedded default it already ran.
    notifications_send_pending()
    assert notifications_send_pending() == 0
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    kinds = set(Notification.objects.values_list("user__email", "kind"))
    assert kinds == {
        ("deputy@example.org", "new_appeal"),
        ("citizen@example.org", "assigned"),
        ("citizen@example.org", "answered"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "citizen@example.org",
        "citizen@example.org",
        "deputy@example.org",
    ]
    assert appeal.number in mail.outbox[0].subject
