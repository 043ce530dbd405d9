from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from appeals import services
from appeals.models import Appeal, AppealEvent, Message, Notification
from appeals.notifications import notifications_send_pending
from core.errors import ApplicationError
from tests.clock import Clock
from tests.factories import DeputyFactory

from .helpers import as_scope, file_appeal, history

pytestmark = pytest.mark.django_db
Status = Appeal.Status
clock = Clock.fixture()


@pytest.fixture
def filed(citizen, deputy):
    return file_appeal(citizen)


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
