import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from appeals.models import Appeal
from feedback.models import Feedback
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def feedback(appeal, **overrides):
    now = timezone.now()
    values = {
        "appeal": appeal,
        "citizen": appeal.citizen,
        "deputy": appeal.deputy,
        "overall": 5,
        "solved": "yes",
        "speed": 4,
        "personal": 5,
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    return Feedback.objects.create(**values)


def test_one_feedback_per_appeal(appeal):
    feedback(appeal)
    with pytest.raises(IntegrityError), transaction.atomic():
        feedback(appeal)


@pytest.mark.parametrize(
    "bad", [{"overall": 0}, {"overall": 6}, {"speed": 0}, {"personal": 9}, {"solved": "maybe"}]
)
def test_feedback_scores_out_of_range_are_refused_by_the_database(appeal, bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        feedback(appeal, **bad)


def test_an_unknown_status_is_refused_by_the_database(appeal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(status="lost")


def test_a_rejection_needs_a_reason(appeal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(status="rejected", rejection_reason="")


def test_an_extension_longer_than_30_days_is_refused(appeal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(extended_days=31)


def test_an_appeal_in_work_must_have_a_deputy():
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealFactory(deputy=None, status=Appeal.Status.IN_PROGRESS)


def test_public_numbers_are_unique(appeal):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealFactory(number=appeal.number)
