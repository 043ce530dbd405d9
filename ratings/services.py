"""The rating recompute (SPEC, The rating).

Set-based: a fixed handful of statements whatever the number of deputies — the
formula, the run lock, one aggregate over the window's appeals, one over the appeals
counted as missed, one window query for the medians, one grouped query over feedback
(one voice per citizen), the deputies, the previous scores, one insert of all
snapshots and the run's update.
The arithmetic on those sums lives in ratings.formula.

A run is a RatingRun row. Inserting it as `running` is the lock (a partial unique
constraint allows one at a time, on PostgreSQL and SQLite alike); the snapshots
and the `complete` mark are written in one transaction, so readers, who look only
at the newest complete run, never see half a table.
"""

import logging
import uuid
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber, TruncDate
from django.utils import timezone

from appeals.models import Appeal
from deputies.models import CommitteeMembership, Deputy
from feedback.models import Feedback

from . import formula as maths
from .models import RatingFormula, RatingRun, RatingSnapshot, RecomputeRequest
from .sql import DaysBetween

logger = logging.getLogger(__name__)
# A run still `running` after this long died with its worker; the next one may start.
STALE_RUN = timedelta(hours=1)


@dataclass
class DeputyInputs:
    appeals: int = 0
    matured: int = 0
    on_time: int = 0
    speed_sum: float = 0.0
    voices: int = 0
    quality_sum: float = 0.0
    overall_sum: float = 0.0
    solved_sum: float = 0.0
    median_days: float | None = None


def current_formula() -> RatingFormula:
    """The newest version; the spec's defaults if an operator deleted them all."""
    formula = RatingFormula.objects.order_by("-version").first()
    if formula is None:
        formula, _ = RatingFormula.objects.get_or_create(version=1)
    return formula


# --- the lock -----------------------------------------------------------------


# PostgreSQL advisory lock key of the recompute (any constant, unique in this project).
RUN_LOCK_KEY = 4_772_026


@contextmanager
def _session_lock():
    """On PostgreSQL, a session advisory lock: it goes with the connection, so a worker
    killed mid-run frees it at once and the next run starts. SQLite relies on the
    partial unique constraint and the stale-run timeout alone."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            # A broken connection has dropped the lock already.
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def _start_run(formula, now, trigger, region_id=None) -> RatingRun | None:
    if connection.vendor == "postgresql":
        # Called under the advisory lock: a run still marked running has lost its worker.
        abandoned = Q(status=RatingRun.Status.RUNNING)
    else:
        abandoned = Q(status=RatingRun.Status.RUNNING, started_at__lt=now - STALE_RUN)
    RatingRun.objects.filter(abandoned).update(
        status=RatingRun.Status.FAILED, error="abandoned: its worker stopped before the end"
    )
    try:
        with transaction.atomic():
            return RatingRun.objects.create(
                formula=formula,
                region_id=region_id,
                started_at=now,
                trigger=trigger,
                status=RatingRun.Status.RUNNING,
            )
    except IntegrityError:
        if RatingRun.objects.filter(status=RatingRun.Status.RUNNING).exists():
            return None  # another recompute is running; it will include this change
        raise


# --- the inputs ---------------------------------------------------------------


def _in_region(appeals, region_id):
    # An appeal never leaves its region (redirects and assignments stay inside it).
    return appeals if region_id is None else appeals.filter(region_id=region_id)


# An appeal counted as missed counts for that deputy alone (SPEC, The appeal's life):
# not in the speed of the deputy holding it now, who took it over late.
SPEED_COUNTS = Q(missed_by__isnull=True)


def _appeal_inputs(window_start, today, region_id=None) -> dict[int, DeputyInputs]:
    start_day = TruncDate("clock_started_at")
    answered = Q(answered_at__isnull=False)
    in_time = SPEED_COUNTS & answered & Q(taken__lte=F("allowed")) & Q(allowed__gt=0)
    matured = SPEED_COUNTS & (answered | Q(status__in=Appeal.OPEN_STATUSES, deadline__lt=today))
    rows = (
        _in_region(Appeal.objects.filter(registered_at__gte=window_start), region_id)
        .filter(deputy__isnull=False)
        .annotate(
            allowed=DaysBetween(start_day, F("deadline")),
            taken=DaysBetween(start_day, TruncDate("answered_at")),
        )
        .values("deputy_id")
        .annotate(
            appeals=Count("pk"),
            matured=Count("pk", filter=matured),
            on_time=Count("pk", filter=in_time),
            speed_sum=Sum(
                Case(
                    When(
                        in_time,
                        then=Value(1.0)
                        - Value(0.5) * Cast("taken", FloatField()) / Cast("allowed", FloatField()),
                    ),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            ),
        )
        .order_by()
    )
    inputs = defaultdict(DeputyInputs)
    for row in rows:
        item = inputs[row["deputy_id"]]
        item.appeals, item.matured, item.on_time = row["appeals"], row["matured"], row["on_time"]
        item.speed_sum = row["speed_sum"] or 0.0
    _missed_inputs(window_start, inputs, region_id)
    return inputs


def _missed_inputs(window_start, inputs, region_id=None) -> None:
    """Appeals counted as missed: each one matured, late, speed 0, for the deputy who
    missed it; one taken away from them still counts among their appeals."""
    rows = (
        _in_region(Appeal.objects.filter(registered_at__gte=window_start), region_id)
        .filter(missed_by__isnull=False)
        .values("missed_by_id")
        .annotate(
            missed=Count("pk"),
            taken_away=Count("pk", filter=~Q(deputy_id=F("missed_by_id"))),
        )
        .order_by()
    )
    for row in rows:
        item = inputs[row["missed_by_id"]]
        item.matured += row["missed"]
        item.appeals += row["taken_away"]


def _medians(window_start, inputs, region_id=None) -> None:
    """Median days to the final answer per deputy: the middle one or two rows of each
    deputy's answered appeals, picked by window functions."""
    start_day = TruncDate("clock_started_at")
    rows = (
        _in_region(Appeal.objects.filter(registered_at__gte=window_start), region_id)
        .filter(SPEED_COUNTS, deputy__isnull=False, answered_at__isnull=False)
        .annotate(taken=DaysBetween(start_day, TruncDate("answered_at")))
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("deputy_id")], order_by=[F("taken").asc()]
            ),
            answered=Window(Count("pk"), partition_by=[F("deputy_id")]),
        )
        .annotate(twice=F("position") * 2)
        .filter(twice__gte=F("answered"), twice__lte=F("answered") + 2)
        .values_list("deputy_id", "taken")
    )
    middles = defaultdict(list)
    for deputy_id, taken in rows:
        middles[deputy_id].append(taken)
    for deputy_id, values in middles.items():
        inputs[deputy_id].median_days = sum(values) / len(values)


def _feedback_inputs(window_start, inputs, deputy_ids=None) -> None:
    """One citizen, one voice: the mean of a citizen's feedbacks on a deputy counts once.
    Feedback by deputy or committee accounts never counts."""
    solved = Case(
        When(solved="yes", then=Value(1.0)),
        When(solved="partly", then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    quality = (
        Value(0.5) * (Cast("overall", FloatField()) - 1) / 4
        + Value(0.25) * solved
        + Value(0.25) * (Cast("personal", FloatField()) - 1) / 4
    )
    feedback = Feedback.objects.all()
    if deputy_ids is not None:
        # The region's deputies by id: the planner then starts from them, not from
        # every citizen (a join on the deputy's region read all feedback, 1.1 s).
        feedback = feedback.filter(deputy_id__in=deputy_ids)
    voices = (
        feedback.filter(
            counts=True,
            appeal__registered_at__gte=window_start,
            citizen__role="citizen",
        )
        # NOT EXISTS rather than LEFT JOIN … IS NULL: PostgreSQL estimates these
        # anti-joins well and starts from the feedback, not from every citizen.
        .filter(
            ~Exists(Deputy.objects.filter(user_id=OuterRef("citizen_id"))),
            ~Exists(CommitteeMembership.objects.filter(user_id=OuterRef("citizen_id"))),
        )
        .values("deputy_id", "citizen_id")
        .annotate(q=Avg(quality), overall=Avg("overall"), solved=Avg(solved))
        .order_by()
    )
    for voice in voices:
        item = inputs[voice["deputy_id"]]
        item.voices += 1
        item.quality_sum += voice["q"]
        item.overall_sum += voice["overall"]
        item.solved_sum += voice["solved"]


# --- the run --------------------------------------------------------------------


def ratings_recompute(
    *,
    now: datetime | None = None,
    trigger: str = RatingRun.Trigger.MANUAL,
    progress=None,
    region_id: int | None = None,
) -> RatingRun | None:
    """Compute a new table: of every deputy, or of one region's deputies against the
    national means of the last full run. Returns the run, or None when another run
    holds the lock. `progress(step, total)` is called between the steps."""
    now = now or timezone.now()
    progress = progress or (lambda step, total: None)
    with _session_lock() as acquired:
        if not acquired:
            return None  # another recompute is running; it will include this change
        national = RatingRun.objects.current() if region_id is not None else None
        if national is None:
            region_id = None  # no national means yet: compute them all
        formula = current_formula()
        run = _start_run(formula, now, trigger, region_id)
        if run is None:
            return None
        try:
            _compute(run, formula, now, progress, national)
        except Exception as exc:
            RatingRun.objects.filter(pk=run.pk).update(
                status=RatingRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:2000]
            )
            raise
        if trigger == RatingRun.Trigger.EVENT:
            _prune_superseded(run)
    return run


def _prune_superseded(run) -> None:
    """History is kept by the day: an event run replaces the same day's earlier event
    runs of its region (full nightly and manual runs are never pruned)."""
    superseded = RatingRun.objects.filter(
        trigger=RatingRun.Trigger.EVENT,
        region_id=run.region_id,
        started_at__gte=_start_of_day(run.started_at),
        started_at__lt=run.started_at,
    )
    superseded.delete()  # their snapshots go in one DELETE (Django's fast cascade)


def ratings_recompute_nightly(*, now: datetime | None = None) -> RatingRun | None:
    """The scheduled full recompute, once a day: fired twice (a beat restarted, a task
    delivered again), the second finds today's table, or the lock of the run still
    computing it, and does nothing. A run whose worker died does not count. Also
    prunes the recompute requests done more than a week ago."""
    now = now or timezone.now()
    RecomputeRequest.objects.filter(done_at__lt=now - REQUESTS_KEPT).delete()
    if RatingRun.objects.filter(
        trigger=RatingRun.Trigger.SCHEDULE,
        status=RatingRun.Status.COMPLETE,
        started_at__gte=_start_of_day(now),
    ).exists():
        return None
    return ratings_recompute(now=now, trigger=RatingRun.Trigger.SCHEDULE)


def _start_of_day(moment: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(moment), time.min))


# A claim on waiting requests older than this belonged to a worker that died.
CLAIM_LEASE = timedelta(minutes=30)
# More regions waiting than this are recomputed by one full run.
MAX_REGIONAL_RUNS = 10
# Done requests are kept this long for the record, then pruned by the nightly job.
REQUESTS_KEPT = timedelta(days=7)


def ratings_recompute_due(*, now: datetime | None = None) -> RatingRun | None:
    """Recompute the regions whose requests are due (the outbox relay): one run per
    region, or one full run when many regions wait.

    The requests are claimed with one conditional UPDATE, so two relays at once
    cannot both take them; they are marked done with the run that covered them. If
    another recompute holds the lock, or one fails, what is left undone is released
    and the next tick tries again. Returns the last run made."""
    now = now or timezone.now()
    claim = uuid.uuid4()
    claimed = RecomputeRequest.objects.filter(
        Q(taken_at__isnull=True) | Q(taken_at__lt=now - CLAIM_LEASE),
        done_at__isnull=True,
        due_at__lte=now,
    ).update(claim=claim, taken_at=now)
    if not claimed:
        return None
    mine = RecomputeRequest.objects.filter(claim=claim, done_at__isnull=True)
    # Released as an expired claim, not as waiting again: a newer request of the same
    # region may be waiting already, and only one may.
    release = {"claim": None, "taken_at": now - CLAIM_LEASE - timedelta(seconds=1)}
    regions = sorted(set(mine.values_list("region_id", flat=True)))
    # Many regions at once (after an outage, say): one full run is cheaper than many.
    plan = regions if len(regions) <= MAX_REGIONAL_RUNS else [None]
    run = None
    try:
        for region_id in plan:
            run = ratings_recompute(now=now, trigger=RatingRun.Trigger.EVENT, region_id=region_id)
            if run is None:
                break
            covered = mine if run.region_id is None else mine.filter(region_id=region_id)
            covered.update(done_at=timezone.now(), run=run)
            if run.region_id is None:
                break  # it was a full run after all: every region is covered
    finally:
        mine.update(**release)  # whatever a failure or the lock left undone
    return run


def _compute(run, formula, now, progress, national=None):
    steps = 6
    region_id = run.region_id
    window_start = now - timedelta(days=formula.window_days)
    today = timezone.localdate(now)
    inputs = _appeal_inputs(window_start, today, region_id)
    progress(1, steps)
    _medians(window_start, inputs, region_id)
    progress(2, steps)
    deputies = Deputy.objects.all()
    if region_id is not None:
        deputies = deputies.filter(region_id=region_id)
    deputies = list(deputies.values_list("pk", "region_id", "body_id"))
    regional_ids = [pk for pk, _, _ in deputies] if region_id is not None else None
    _feedback_inputs(window_start, inputs, regional_ids)
    progress(3, steps)

    if national is not None:
        # A region's run shrinks toward the national means of the last full run.
        mu_speed, mu_quality = national.national_speed, national.national_quality
    else:
        matured = sum(i.matured for i in inputs.values())
        voices = sum(i.voices for i in inputs.values())
        mu_speed = sum(i.speed_sum for i in inputs.values()) / matured if matured else 0.5
        mu_quality = sum(i.quality_sum for i in inputs.values()) / voices if voices else 0.5
    weight_speed, weight_quality = float(formula.weight_speed), float(formula.weight_quality)

    previous = _previous_scores(region_id)
    progress(4, steps)

    snapshots = []
    for deputy_id, deputy_region_id, body_id in deputies:
        item = inputs.get(deputy_id, DeputyInputs())
        speed = maths.shrink(
            total=item.speed_sum,
            n=item.matured,
            prior_mean=mu_speed,
            prior_weight=formula.prior_speed,
        )
        quality = maths.shrink(
            total=item.quality_sum,
            n=item.voices,
            prior_mean=mu_quality,
            prior_weight=formula.prior_quality,
        )
        low, high = maths.wilson(item.on_time, item.matured)
        snapshots.append(
            RatingSnapshot(
                run=run,
                formula=formula,
                deputy_id=deputy_id,
                region_id=deputy_region_id,
                body_id=body_id,
                computed_at=now,
                appeals_count=item.appeals,
                matured_count=item.matured,
                on_time_count=item.on_time,
                feedback_voices=item.voices,
                median_days=item.median_days,
                solved_share=item.solved_sum / item.voices if item.voices else None,
                average_feedback=item.overall_sum / item.voices if item.voices else None,
                speed_raw=item.speed_sum / item.matured if item.matured else None,
                speed=min(1.0, max(0.0, speed)),
                quality_raw=item.quality_sum / item.voices if item.voices else None,
                quality=min(1.0, max(0.0, quality)),
                on_time_low=low,
                on_time_high=high,
                score=round(
                    maths.score(
                        speed=speed,
                        quality=quality,
                        weight_speed=weight_speed,
                        weight_quality=weight_quality,
                    ),
                    4,
                ),
                previous_score=previous.get(deputy_id),
                enough_data=item.matured >= formula.min_sample,
            )
        )
    _rank(snapshots)
    progress(5, steps)

    with transaction.atomic():
        # One insert for the whole table (SQLite splits it at its variable limit).
        RatingSnapshot.objects.bulk_create(snapshots)
        RatingRun.objects.filter(pk=run.pk).update(
            status=RatingRun.Status.COMPLETE,
            finished_at=timezone.now(),
            national_speed=mu_speed,
            national_quality=mu_quality,
            deputies_count=len(snapshots),
        )
    progress(6, steps)
    run.refresh_from_db()


def _previous_scores(region_id) -> dict[int, float]:
    """Each deputy's score in the newest table readers see now, for the change column:
    the current run covering the region, or for a full run the last full run with the
    event runs completed since laid over it (two queries whatever the size)."""
    current = RatingRun.objects.current(region_id)
    if current is None:
        return {}
    previous = dict(RatingSnapshot.objects.filter(run=current).values_list("deputy_id", "score"))
    if region_id is None:
        later = RatingSnapshot.objects.filter(
            run__status=RatingRun.Status.COMPLETE,
            run__region__isnull=False,
            run__finished_at__gt=current.finished_at,
        ).order_by("run__finished_at")
        previous.update(later.values_list("deputy_id", "score"))
    return previous


def _rank(snapshots) -> None:
    """Ranks within the region and within the body, among deputies with enough data."""
    for attribute, group_of in (("rank_region", "region_id"), ("rank_body", "body_id")):
        groups = defaultdict(list)
        for snapshot in snapshots:
            if snapshot.enough_data:
                groups[getattr(snapshot, group_of)].append(snapshot)
        for members in groups.values():
            ranks = maths.competition_ranks(
                [
                    maths.Ranked(index, s.score, s.on_time_low, s.median_days)
                    for index, s in enumerate(members)
                ]
            )
            for index, rank in ranks.items():
                setattr(members[index], attribute, rank)
