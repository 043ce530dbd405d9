"""The invariants a seeded demo keeps, checked after a seed and by the tests."""

from django.db.models import Count, F, Q

from appeals.models import Appeal
from deputies.models import Deputy
from feedback.models import Feedback

from .common import OPEN


def consistency_problems():
    """Checks the invariants the demo promises; returns a list of what is wrong."""
    checks = {
        "appeal routed to a deputy of another region": Appeal.objects.filter(
            deputy__isnull=False
        ).exclude(deputy__region=F("region")),
        "worked appeal without a deputy": Appeal.objects.filter(
            deputy__isnull=True, status__in=["assigned", "in_progress", "answered", "closed"]
        ),
        "answered appeal without an answer": Appeal.objects.filter(
            status__in=["answered", "closed"]
        ).exclude(messages__kind="answer"),
        "feedback on an unanswered appeal": Feedback.objects.exclude(
            appeal__status__in=["answered", "closed"]
        ),
        "feedback by someone other than the appeal's citizen": Feedback.objects.exclude(
            citizen=F("appeal__citizen")
        ),
        "feedback deputy differs from the appeal's": Feedback.objects.exclude(
            deputy=F("appeal__deputy")
        ),
        "appeal without its registration event": Appeal.objects.exclude(events__type="registered"),
        "deputy open-appeal counter out of date": Deputy.objects.annotate(
            real=Count("appeals", filter=Q(appeals__status__in=OPEN))
        ).exclude(open_appeals=F("real")),
    }
    return [problem for problem, qs in checks.items() if qs.exists()]
