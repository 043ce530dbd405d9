from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from appeals import services as appeal_services
from appeals.models import Appeal
from core.errors import ApplicationError
from feedback import services
from feedback.models import Feedback
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import CommitteeMembershipFactory, DeputyFactory

pytestmark = pytest.mark.django_db

RATING = {"overall": 5, "solved": "yes", "speed": 4, "personal": 5, "comment": "Спасибо"}


@pytest.fixture
def answered(citizen, deputy):
    appeal = file_appeal(citizen)
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
    )
    appeal.refresh_from_db()
    return appeal


def leave(person, appeal, **overrides):
    return services.feedback_leave(
        scope=as_scope(person), appeal=appeal, actor=person, **{**RATING, **overrides}
    )


def test_the_citizen_rates_the_answer_and_the_appeal_closes(answered, citizen, deputy):
    feedback = leave(citizen, answered)

    answered.refresh_from_db()
    assert answered.status == Appeal.Status.CLOSED
    assert (feedback.deputy, feedback.citizen, feedback.counts) == (deputy, citizen, True)
    assert list(answered.events.order_by("pk").values_list("type", flat=True))[-2:] == [
        "feedback",
        "closed",
    ]


def test_feedback_can_be_changed_for_7_days_then_not(answered, citizen):
    feedback = leave(citizen, answered)
    leave(citizen, answered, overall=2, solved="no")
    feedback.refresh_from_db()
    assert (feedback.overall, feedback.solved) == (2, "no")
    assert Feedback.objects.count() == 1

    Feedback.objects.filter(pk=feedback.pk).update(created_at=timezone.now() - timedelta(days=8))
    with pytest.raises(ApplicationError):
        leave(citizen, answered, overall=5)
    feedback.refresh_from_db()
    assert feedback.overall == 2


def test_nobody_else_rates(answered, other_citizen, deputy, committee):
    for person in (other_citizen, deputy.user, committee):
        with pytest.raises(PermissionDenied):
            leave(person, answered)
    assert not Feedback.objects.exists()


def test_an_unanswered_appeal_cannot_be_rated(citizen, deputy):
    appeal = file_appeal(citizen)
    with pytest.raises(ApplicationError):
        leave(citizen, appeal)


@pytest.mark.parametrize(
    "bad", [{"overall": 0}, {"speed": 6}, {"personal": None}, {"solved": "maybe"}]
)
def test_scores_out_of_range_are_refused(answered, citizen, bad):
    with pytest.raises(ValidationError):
        leave(citizen, answered, **bad)
    assert not Feedback.objects.exists()


def test_feedback_of_a_deputy_or_committee_account_does_not_count(deputy):
    other = DeputyFactory(region_code="77")
    # A deputy's account that also files appeals as a citizen: its voice never counts.
    other.user.role = "citizen"
    other.user.email_confirmed_at = timezone.now()
    other.user.save()
    appeal = file_appeal(other.user, chosen_deputy=deputy)
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
    )
    feedback = leave(other.user, appeal)
    assert feedback.counts is False

    staff = CommitteeMembershipFactory().user
    staff.role = "citizen"
    staff.save()
    assert services.feedback_counts_for(staff) is False


def test_the_appeal_page_offers_the_form_and_saves_it(client, answered, citizen):
    client.force_login(citizen)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert 'id="feedback"' in page

    response = client.post(
        reverse("feedback:feedback_leave", args=[answered.number]),
        {"overall": "4", "solved": "partly", "speed": "3", "personal": "5", "comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert Feedback.objects.get().solved == "partly"
    assert 'id="feedback-given"' in response.content.decode()


def test_bad_feedback_input_shows_the_page_again_with_errors(client, answered, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("feedback:feedback_leave", args=[answered.number]),
        {"overall": "9", "solved": "yes", "speed": "3", "personal": "5", "comment": "Хорошо"},
    )
    assert response.status_code == 400
    assert "Хорошо" in response.content.decode()
    assert not Feedback.objects.exists()


ROLES = {
    "anonymous": 302,
    "citizen": 302,
    "other_citizen": 404,
    "deputy": 403,
    "other_deputy": 404,
    "committee": 403,
    "other_committee": 404,
    "federal": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_feedback_endpoint_for_every_role(client, role, request, answered):
    if role != "anonymous":
        person = request.getfixturevalue(role)
        client.force_login(getattr(person, "user", person))
    response = client.post(
        reverse("feedback:feedback_leave", args=[answered.number]),
        {"overall": "4", "solved": "yes", "speed": "3", "personal": "5"},
    )
    assert response.status_code == ROLES[role]
    assert Feedback.objects.exists() == (role == "citizen")


def test_committee_sees_feedback_without_the_citizens_identity(
    client, answered, citizen, committee
):
    leave(citizen, answered)
    client.force_login(committee)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert 'id="feedback-given"' in page
    assert citizen.full_name not in page
    assert citizen.email not in page
