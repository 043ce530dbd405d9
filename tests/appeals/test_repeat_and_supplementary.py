"""Supplementary answers after the final one, and repeat appeals ("не согласен с
ответом") (SPEC, The appeal's life): the services and the access rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from appeals import selectors, services
from appeals.history import event_reason
from appeals.models import Appeal, AppealEvent, Message, Notification
from core.errors import ApplicationError
from tests.factories import DeputyFactory

from .helpers import as_scope, file_appeal, pdf_upload

pytestmark = pytest.mark.django_db
Status = Appeal.Status


def answer(deputy, appeal, text="Яму заделают до 1 декабря.", **kwargs):
    return services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text=text, final=True, **kwargs
    )


@pytest.fixture
def answered(citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    answer(deputy, appeal)
    appeal.refresh_from_db()
    return appeal


def answered_days_ago(appeal, days):
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=timezone.now() - timedelta(days=days))
    appeal.refresh_from_db()
    return appeal


def repeat(citizen, original, **overrides):
    values = {"text": "Яму так и не заделали, ответ ничего не изменил.", "consent": True}
    values.update(overrides)
    appeal, _created = services.appeal_file_repeat(citizen=citizen, original=original, **values)
    return appeal


# --- supplementary answers --------------------------------------------------------


def test_a_reply_after_the_final_answer_is_a_supplementary_one_and_changes_nothing(
    answered, citizen, deputy, monkeypatch
):
    recomputed = []
    monkeypatch.setattr("ratings.triggers.region_changed", lambda **kw: recomputed.append(kw))
    services.appeal_follow_up(
        scope=as_scope(citizen), appeal=answered, actor=citizen, text="А когда именно?"
    )

    message = services.appeal_reply(
        scope=as_scope(deputy),
        appeal=answered,
        actor=deputy.user,
        text="Работы назначены на 28 ноября.",
        final=True,  # whatever the client says: the final answer is given already
    )

    assert message.kind == Message.Kind.SUPPLEMENTARY
    after = Appeal.objects.get(pk=answered.pk)
    assert (after.status, after.answered_at) == (Status.ANSWERED, answered.answered_at)
    assert list(answered.messages.values_list("kind", flat=True)) == [
        "answer",
        "follow_up",
        "supplementary",
    ]
    assert answered.events.order_by("pk").last().type == AppealEvent.Type.SUPPLEMENTARY
    assert Notification.objects.filter(
        user=citizen, appeal=answered, kind=Notification.Kind.NEW_MESSAGE
    ).exists()
    assert recomputed == []  # the speed is the final answer's: nothing to recompute


def test_a_supplementary_answer_carries_attachments(answered, deputy):
    message = services.appeal_supplement(
        scope=as_scope(deputy),
        appeal=answered,
        actor=deputy.user,
        text="План работ прилагаю.",
        files=[pdf_upload()],
    )
    assert message.kind == Message.Kind.SUPPLEMENTARY
    assert message.attachments.count() == 1


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.CLOSED])
def test_a_supplementary_answer_only_between_the_final_answer_and_closing(answered, deputy, status):
    Appeal.objects.filter(pk=answered.pk).update(status=status)
    with pytest.raises(ApplicationError):
        services.appeal_supplement(
            scope=as_scope(deputy), appeal=answered, actor=deputy.user, text="Ещё"
        )
    assert not answered.messages.filter(kind=Message.Kind.SUPPLEMENTARY).exists()


def test_a_closed_appeal_takes_no_reply_at_all(answered, deputy):
    Appeal.objects.filter(pk=answered.pk).update(status=Status.CLOSED)
    with pytest.raises(ApplicationError):
        answer(deputy, answered, text="Ещё")


def test_only_the_appeals_deputy_adds_a_supplementary_answer(answered, other_deputy, citizen):
    for person in (other_deputy, citizen):
        with pytest.raises(PermissionDenied):
            services.appeal_supplement(
                scope=as_scope(person),
                appeal=answered,
                actor=getattr(person, "user", person),
                text="Ещё",
            )


# --- repeat appeals -------------------------------------------------------------------


def test_a_repeat_is_a_new_appeal_to_the_same_deputy_linked_to_the_first(answered, citizen, deputy):
    DeputyFactory(region_code="77")  # less busy: the usual routing would choose them

    second = repeat(citizen, answered)

    assert second.number != answered.number
    assert second.repeat_of == answered
    assert second.deputy == deputy
    assert second.status == Status.ASSIGNED
    assert second.deadline == timezone.localdate() + timedelta(days=30)
    assert (second.region_id, second.topic_id) == (answered.region_id, answered.topic_id)
    assert second.subject == f"Повторное обращение к № {answered.number}"
    registered, routed = second.events.order_by("pk")
    assert answered.number in event_reason(registered, second)
    assert answered.number in event_reason(routed, second)
    assert answered.events.order_by("pk").last().type == AppealEvent.Type.REPEAT_FILED
    # The first appeal keeps its answer.
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_the_citizen_may_choose_another_deputy_of_the_region(answered, citizen, other_deputy):
    assert repeat(citizen, answered, chosen_deputy=other_deputy).deputy == other_deputy


def test_a_deputy_who_no_longer_accepts_appeals_is_replaced_by_the_usual_routing(
    answered, citizen, deputy, other_deputy
):
    deputy.accepts_appeals = False
    deputy.save()
    assert repeat(citizen, answered).deputy == other_deputy


def test_a_repeat_may_be_filed_until_the_30th_day_after_the_answer(answered, citizen):
    answered_days_ago(answered, 30)
    assert repeat(citizen, answered).repeat_of == answered


def test_no_repeat_after_30_days(answered, citizen):
    answered_days_ago(answered, 31)
    with pytest.raises(ValidationError) as error:
        repeat(citizen, answered)
    assert "30" in str(error.value.message_dict["repeat_of"])
    assert Appeal.objects.count() == 1


def test_no_repeat_of_an_appeal_without_a_final_answer(citizen, deputy):
    open_ = file_appeal(citizen)
    with pytest.raises(ValidationError) as error:
        repeat(citizen, open_)
    assert "repeat_of" in error.value.message_dict


def test_no_repeat_of_another_citizens_appeal(answered, other_citizen):
    with pytest.raises(ValidationError) as error:
        repeat(other_citizen, answered)
    assert error.value.message_dict["repeat_of"] == ["Среди ваших обращений такого нет."]
    assert Appeal.objects.count() == 1


def test_one_repeat_per_appeal_and_a_resubmission_finds_it(answered, citizen):
    first = repeat(citizen, answered, idempotency_key="form-1")
    again = repeat(citizen, answered, idempotency_key="form-1")
    assert again == first
    with pytest.raises(ValidationError) as error:
        repeat(citizen, answered, idempotency_key="form-2")
    assert first.number in str(error.value.message_dict["repeat_of"])
    assert Appeal.objects.filter(repeat_of=answered).count() == 1


def test_a_repeat_has_its_own_answer_and_may_be_repeated_in_turn(answered, citizen, deputy):
    second = repeat(citizen, answered)
    answer(deputy, second, text="Повторно проверили: работы выполнены.")
    third = repeat(citizen, Appeal.objects.get(pk=second.pk))
    assert third.repeat_of_id == second.pk


def test_the_rating_counts_a_repeat_as_an_ordinary_appeal(answered, citizen, deputy):
    from ratings.models import RatingSnapshot
    from ratings.services import ratings_recompute

    second = repeat(citizen, answered)
    answer(deputy, second)

    ratings_recompute()

    snapshot = RatingSnapshot.objects.get(deputy=deputy)
    assert (snapshot.matured_count, snapshot.on_time_count) == (2, 2)


# --- who reads the first appeal's thread ------------------------------------------------


def test_the_repeats_deputy_reads_the_first_thread_through_the_repeat_only(
    answered, citizen, deputy, other_deputy
):
    second = repeat(citizen, answered)
    services.appeal_redirect(
        scope=as_scope(deputy),
        appeal=second,
        actor=deputy.user,
        to_deputy=other_deputy,
        reason="Вопрос округа коллеги",
    )
    second = Appeal.objects.get(pk=second.pk)

    first = selectors.appeal_first_thread(scope=as_scope(other_deputy), appeal=second)

    assert first["appeal"] == answered
    assert [m.kind for m in first["thread"]] == ["answer"]
    with pytest.raises(Http404):  # no access to the first appeal itself
        selectors.appeal_get_for(scope=as_scope(other_deputy), number=answered.number)
    # The deputy who no longer holds the repeat reads neither.
    assert selectors.appeal_first_thread(scope=as_scope(deputy), appeal=second) is None


def test_a_deputy_without_the_repeat_does_not_read_the_first_thread(
    answered, citizen, other_deputy, committee
):
    second = repeat(citizen, answered)
    assert selectors.appeal_first_thread(scope=as_scope(other_deputy), appeal=second) is None
    # The committee reads an assigned appeal's card, not its letters.
    assert selectors.appeal_first_thread(scope=as_scope(committee), appeal=second) is None
    assert selectors.appeal_first_thread(scope=as_scope(citizen), appeal=second) is not None
