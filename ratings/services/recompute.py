"""The rating recompute (SPEC, The rating).

Set-based: the table is computed and written by one INSERT … SELECT whatever the
number of deputies and appeals — the window's inputs per deputy (inputs.py), the
national means, the shrinkage, scores, Wilson bounds and ranks (the arithmetic is
ratings.formula's), and each deputy's previous score. Around it: the formula, the
run lock (lock.py), the previous runs' ids and the run's update. Nothing per deputy
or per appeal passes through Python, so memory stays flat however big the tables.

The snapshots and the `complete` mark are written in one transaction, so readers,
who look only at the newest complete run, never see half a table.
"""

from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from .. import formula as maths
from ..models import RatingFormula, RatingRun, RecomputeRequest
from .inputs import inputs_sql
from .lock import session_lock, start_run

# Done requests are kept this long for the record, then pruned by the nightly job.
REQUESTS_KEPT = timedelta(days=7)
# Sorts and hashes of the one statement stay in memory up to this (PostgreSQL); the
# default 4 MB spills the 10 M-appeal run's grouping to disk.
WORK_MEM = "64MB"


def formula_in_effect(day) -> RatingFormula | None:
    """The newest version in effect on a day: saved without a date, or dated up to it."""
    return (
        RatingFormula.objects.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=day))
        .order_by("-version")
        .first()
    )


def current_formula(now: datetime | None = None) -> RatingFormula:
    """The version a recompute at `now` uses (the run and its snapshots record it); the
    oldest version if none is in effect yet, the spec's defaults if an operator deleted
    them all."""
    formula = formula_in_effect(timezone.localdate(now or timezone.now()))
    if formula is None:
        formula = RatingFormula.objects.order_by("version").first()
    if formula is None:
        formula, _ = RatingFormula.objects.get_or_create(version=1)
    return formula


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
    with session_lock() as acquired:
        if not acquired:
            return None  # another recompute is running; it will include this change
        national = RatingRun.objects.current() if region_id is not None else None
        if national is None:
            region_id = None  # no national means yet: compute them all
        formula = current_formula(now)
        run = start_run(formula, now, trigger, region_id)
        if run is None:
            return None
        progress(1, STEPS)
        try:
            _compute(run, formula, now, national, progress)
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


STEPS = 3


def _compute(run, formula, now, national, progress) -> None:
    previous_runs = _previous_runs(run.region_id)
    sql, params = table_sql(run, formula, now, national, previous_runs)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])  # until the commit
            cursor.execute(sql, params)
            written = cursor.rowcount
        progress(2, STEPS)
        if national is None:
            mu_speed, mu_quality = _national_means(run)
        else:
            mu_speed, mu_quality = national.national_speed, national.national_quality
        RatingRun.objects.filter(pk=run.pk).update(
            status=RatingRun.Status.COMPLETE,
            finished_at=timezone.now(),
            national_speed=mu_speed,
            national_quality=mu_quality,
            deputies_count=written,
        )
    progress(3, STEPS)
    run.refresh_from_db()


def _national_means(run) -> tuple[float, float]:
    """The means the statement shrank toward, read back off the table it wrote (equal
    to the last bit or so: the sums are the own means times their counts)."""
    sums = run.snapshots.aggregate(
        speed=Sum(F("speed_raw") * F("matured_count")),
        matured=Sum("matured_count"),
        quality=Sum(F("quality_raw") * F("feedback_voices")),
        voices=Sum("feedback_voices"),
    )
    return (
        maths.national_mean(total=sums["speed"] or 0.0, n=sums["matured"] or 0),
        maths.national_mean(total=sums["quality"] or 0.0, n=sums["voices"] or 0),
    )


def _previous_runs(region_id) -> list[int]:
    """The runs whose scores readers see now, oldest first, for the change column: the
    current run covering the region, or for a full run the last full run and the event
    runs completed since, laid over it."""
    current = RatingRun.objects.current(region_id)
    if current is None:
        return []
    later = []
    if region_id is None:
        later = RatingRun.objects.filter(
            status=RatingRun.Status.COMPLETE,
            region__isnull=False,
            finished_at__gt=current.finished_at,
        ).values_list("pk", flat=True)
    return [current.pk, *later]


def scored_sql(*, formula, now, region_id, national) -> tuple[str, dict]:
    """The CTEs (without the leading WITH) ending in `scored`: each deputy's inputs,
    shrunk components, score, Wilson bounds and whether they have enough data, by one
    formula version. The recompute writes them; the preview (preview.py) reads them."""
    inputs, params = inputs_sql(
        window_start=now - timedelta(days=formula.window_days),
        today=timezone.localdate(now),
        region_id=region_id,
    )
    if national is None:
        national_sql = f"""
        SELECT {maths.national_mean_sql("SUM(speed_sum)", "SUM(matured)")} AS speed,
               {maths.national_mean_sql("SUM(quality_sum)", "SUM(voices)")} AS quality
        FROM inputs"""  # noqa: S608  # nosec B608: SQL text only
    else:  # a region's run shrinks toward the national means of the last full run
        national_sql = """
        SELECT CAST(%(national_speed)s AS DOUBLE PRECISION) AS speed,
               CAST(%(national_quality)s AS DOUBLE PRECISION) AS quality"""
        params["national_speed"] = national.national_speed
        params["national_quality"] = national.national_quality
    low, high = maths.wilson_sql("s.on_time", "s.matured")
    # Only SQL text goes into the f-string; every value is a parameter.
    sql = f"""{inputs},
national AS ({national_sql}
),
shrunk AS (
    SELECT i.*,
           {maths.shrink_sql("i.speed_sum", "i.matured", "n.speed", "%(prior_speed)s")} AS speed,
           {maths.shrink_sql("i.quality_sum", "i.voices", "n.quality", "%(prior_quality)s")}
               AS quality
    FROM inputs i CROSS JOIN national n
),
scored AS (
    SELECT s.*,
           {maths.score_sql("s.speed", "s.quality", "%(weight_speed)s", "%(weight_quality)s")}
               AS score,
           {low} AS on_time_low, {high} AS on_time_high,
           s.matured >= %(min_sample)s AS enough_data
    FROM shrunk s
)"""  # noqa: S608  # nosec B608: SQL text only, values are parameters
    params.update(
        prior_speed=formula.prior_speed,
        prior_quality=formula.prior_quality,
        weight_speed=float(formula.weight_speed),
        weight_quality=float(formula.weight_quality),
        min_sample=formula.min_sample,
    )
    return sql, params


def region_rank_sql() -> str:
    """The rank within the region of a `scored` row `t`, among deputies with enough data."""
    order = maths.rank_order_sql("t.score", "t.on_time_low", "t.median_days")
    return (
        "CASE WHEN t.enough_data THEN RANK() OVER ("
        f"PARTITION BY t.region_id, t.enough_data ORDER BY {order}) END"
    )


def table_sql(run, formula, now, national, previous_runs) -> tuple[str, dict]:
    """The one statement that computes and writes the run's table, and its parameters."""
    scored, params = scored_sql(
        formula=formula, now=now, region_id=run.region_id, national=national
    )
    previous = {f"previous_{index}": pk for index, pk in enumerate(previous_runs)}
    previous_in = ", ".join(f"%({key})s" for key in previous) or "NULL"
    in_region = "" if run.region_id is None else "AND ps.region_id = %(region_id)s"
    order = maths.rank_order_sql("t.score", "t.on_time_low", "t.median_days")
    # Only SQL text goes into the f-string; every value is a parameter.
    sql = f"""
INSERT INTO ratings_ratingsnapshot (
    run_id, formula_id, deputy_id, region_id, body_id, computed_at,
    appeals_count, matured_count, on_time_count, feedback_voices, median_days,
    solved_share, average_feedback, speed_raw, speed, quality_raw, quality,
    on_time_low, on_time_high, score, previous_score, enough_data, rank_region, rank_body
)
WITH {scored},
previous AS (
    SELECT ps.deputy_id, ps.score,
           ROW_NUMBER() OVER (
               PARTITION BY ps.deputy_id ORDER BY pr.finished_at DESC, pr.id DESC
           ) AS newest
    FROM ratings_ratingsnapshot ps
    JOIN ratings_ratingrun pr ON pr.id = ps.run_id
    WHERE ps.run_id IN ({previous_in}) {in_region}
)
SELECT %(run_id)s, %(formula_id)s, t.deputy_id, t.region_id, t.body_id, %(computed_at)s,
       t.appeals, t.matured, t.on_time, t.voices, t.median_days,
       {maths.mean_sql("t.solved_sum", "t.voices")},
       {maths.mean_sql("t.overall_sum", "t.voices")},
       {maths.mean_sql("t.speed_sum", "t.matured")}, t.speed,
       {maths.mean_sql("t.quality_sum", "t.voices")}, t.quality,
       t.on_time_low, t.on_time_high, t.score, p.score, t.enough_data,
       -- ranks within the region and within the body, among deputies with enough data
       {region_rank_sql()},
       CASE WHEN t.enough_data THEN RANK() OVER (
           PARTITION BY t.body_id, t.enough_data ORDER BY {order}
       ) END
FROM scored t
LEFT JOIN previous p ON p.deputy_id = t.deputy_id AND p.newest = 1
"""  # noqa: S608  # nosec B608: SQL text only, values are parameters
    params.update(
        previous,
        run_id=run.pk,
        formula_id=formula.pk,
        computed_at=connection.ops.adapt_datetimefield_value(now),
    )
    return sql, params
