"""Scheduled jobs: closing answered appeals and the reminders. Each is safe to run twice."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from deputies.models import CommitteeMembership

from .. import events
from ..models import Appeal
from ..notifications import Kind, notify
from ._common import AUTO_CLOSE_DAYS, QUEUE_REMINDER_DAYS, Status


def appeals_close_answered(*, now: datetime | None = None) -> int:
    """Close appeals answered 14 days ago and never rated. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=AUTO_CLOSE_DAYS)
    closed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Appeal.objects.select_for_update(skip_locked=True)
                .filter(status=Status.ANSWERED, answered_at__lte=cutoff)
                .order_by("answered_at")[:500]
            )
            if not batch:
                return closed
            for appeal in batch:
                appeal.status, appeal.closed_at = Status.CLOSED, now
                events.closed(appeal, why=events.Why.NO_FEEDBACK, from_status=Status.ANSWERED)
            Appeal.objects.bulk_update(batch, ["status", "closed_at"])
            closed += len(batch)


def appeals_remind(*, today: date | None = None, now: datetime | None = None) -> dict:
    """Deadline reminders to deputies, the feedback reminder to citizens and the
    unassigned-queue reminders to committees; each keyed by the deadline, the answer or
    the day, so a second run sends nothing."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    sent = {"due_soon": 0, "overdue": 0, "feedback": 0}
    open_ = Appeal.objects.open().filter(deputy__isnull=False).select_related("deputy__user")
    for appeal in open_.filter(deadline=today + timedelta(days=5)).iterator():
        sent["due_soon"] += notify(
            user=appeal.deputy.user, appeal=appeal, kind=Kind.DUE_SOON, key=str(appeal.deadline)
        )
    # The day after the last day is the day it is missed; a few days back covers a missed run.
    missed = open_.filter(deadline__lt=today, deadline__gte=today - timedelta(days=3))
    for appeal in missed.iterator():
        sent["overdue"] += notify(
            user=appeal.deputy.user, appeal=appeal, kind=Kind.OVERDUE, key=str(appeal.deadline)
        )
    unrated = Appeal.objects.filter(
        status=Status.ANSWERED,
        answered_at__lte=now - timedelta(days=7),
        feedback__isnull=True,
    ).select_related("citizen")
    for appeal in unrated.iterator():
        sent["feedback"] += notify(
            user=appeal.citizen,
            appeal=appeal,
            kind=Kind.FEEDBACK_REMINDER,
            key=appeal.answered_at.isoformat(),
        )
    sent.update(_remind_committees(today))
    return sent


def _remind_committees(today: date) -> dict:
    """Day 3 and day 7 of an appeal in the unassigned queue, to every member of its
    region's committee. Day N is N calendar days after the registration day; a run
    missed on day 3 is made up until day 6, and day 7's reminder goes out once however
    late. Keyed by the day, so a second run sends nothing."""
    first, last = QUEUE_REMINDER_DAYS
    registered_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=first - 1), datetime.min.time())
    )
    waiting = list(  # the unassigned-queue index: the queue is short
        Appeal.objects.filter(
            deputy__isnull=True, status=Status.SUBMITTED, registered_at__lt=registered_before
        ).only("pk", "region_id", "registered_at")
    )
    members = defaultdict(list)
    for membership in CommitteeMembership.objects.filter(
        region_id__in={appeal.region_id for appeal in waiting}, user__is_active=True
    ).select_related("user"):
        members[membership.region_id].append(membership.user)
    sent = {"queue_day_3": 0, "queue_day_7": 0}
    for appeal in waiting:
        waited = (today - timezone.localdate(appeal.registered_at)).days
        day, kind = (last, Kind.QUEUE_DAY_7) if waited >= last else (first, Kind.QUEUE_DAY_3)
        for user in members[appeal.region_id]:
            sent[kind] += notify(user=user, appeal=appeal, kind=kind, key=f"day{day}")
    return sent
