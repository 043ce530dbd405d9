"""What the rating is computed from: the window's appeals, misses, medians and feedback,
summed per deputy in SQL (common table expressions the recompute's one statement
starts with; see recompute.py).

Per deputy, `inputs` holds: appeals, matured, on_time, speed_sum, median_days,
voices, quality_sum, overall_sum, solved_sum — one row for every deputy (of the
region, in a region's run), zeros where there is nothing.

The appeals are read in one pass and counted by deputy, outcome and days (taken and
allowed): the sums come from those groups, and so does the median, off the running
counts of the days, without sorting the appeals one by one.
"""

from datetime import date, datetime

from django.db import connection

from accounts.models import User
from appeals.models import Appeal
from core.sql import days_between_sql, local_date_sql

from .. import formula


def inputs_sql(*, window_start: datetime, today: date, region_id: int | None) -> tuple[str, dict]:
    """The CTEs (without the leading WITH) ending in `inputs`, and their parameters."""
    vendor = connection.vendor
    started, started_params = local_date_sql("clock_started_at", name="tz_started")
    answered, answered_params = local_date_sql("answered_at", name="tz_answered")
    taken = days_between_sql(started, answered, vendor)
    allowed = days_between_sql(started, "deadline", vendor)
    open_statuses = ", ".join(f"'{status}'" for status in Appeal.OPEN_STATUSES)
    # An appeal counted as missed counts for that deputy alone (SPEC, The appeal's
    # life): matured, speed 0, and out of the speed of whoever holds it now.
    answered = "missed_by_id IS NULL AND answered_at IS NOT NULL"
    overdue = (
        f"missed_by_id IS NULL AND answered_at IS NULL"
        f" AND status IN ({open_statuses}) AND deadline < %(today)s"
    )
    in_region = "" if region_id is None else "AND region_id = %(region_id)s"
    # The grouping keys are computed once per appeal; everything else once per group
    # (the day arithmetic, in the project's time zone, is what costs). Only SQL text
    # of this module and ratings.formula goes into the f-string; values are parameters.
    sql = f"""
appeal_groups AS (
    SELECT deputy_id,
           {answered} AS answered,
           {overdue} AS overdue,
           CASE WHEN {answered} THEN {taken} END AS taken,
           CASE WHEN {answered} THEN {allowed} END AS allowed,
           COUNT(*) AS n
    FROM appeals_appeal
    WHERE registered_at >= %(window_start)s AND deputy_id IS NOT NULL {in_region}
    GROUP BY deputy_id, answered, overdue, taken, allowed
),
appeal_inputs AS (
    SELECT deputy_id,
           SUM(n) AS appeals,
           SUM(CASE WHEN answered OR overdue THEN n ELSE 0 END) AS matured,
           SUM(CASE WHEN answered AND {formula.answered_on_time_sql("taken", "allowed")}
                    THEN n ELSE 0 END) AS on_time,
           SUM(CASE WHEN answered THEN n * {formula.appeal_speed_sql("taken", "allowed")}
                    ELSE 0.0 END) AS speed_sum,
           -- the middle one or two of the answered appeals, by their days
           (MIN(taken) FILTER (WHERE 2 * up_to >= answered_count)
            + MIN(taken) FILTER (WHERE 2 * up_to > answered_count)) / 2.0 AS median_days
    FROM (
        SELECT appeal_groups.*,
               SUM(CASE WHEN answered THEN n ELSE 0 END) OVER (
                   PARTITION BY deputy_id ORDER BY taken
               ) AS up_to,
               SUM(CASE WHEN answered THEN n ELSE 0 END) OVER (
                   PARTITION BY deputy_id
               ) AS answered_count
        FROM appeal_groups
    ) d
    GROUP BY deputy_id
),
missed AS (  -- each one matured and late for the deputy who missed it
    SELECT missed_by_id AS deputy_id, COUNT(*) AS missed,
           COUNT(*) FILTER (WHERE deputy_id IS NULL OR deputy_id <> missed_by_id) AS taken_away
    FROM appeals_appeal
    WHERE missed_by_id IS NOT NULL AND registered_at >= %(window_start)s {in_region}
    GROUP BY missed_by_id
),
voices AS (  -- one citizen, one voice: the mean of their feedbacks on a deputy
    SELECT f.deputy_id,
           AVG({formula.feedback_quality_sql("f.overall", "f.solved", "f.personal")}) AS quality,
           AVG(CAST(f.overall AS DOUBLE PRECISION)) AS overall,
           AVG({formula.solved_value_sql("f.solved")}) AS solved
    FROM feedback_feedback f
    JOIN appeals_appeal fa ON fa.id = f.appeal_id
    JOIN accounts_user u ON u.id = f.citizen_id
    WHERE f.counts AND fa.registered_at >= %(window_start)s AND u.role = %(citizen)s
      -- feedback by deputy or committee accounts never counts
      AND NOT EXISTS (SELECT 1 FROM deputies_deputy x WHERE x.user_id = f.citizen_id)
      AND NOT EXISTS (
          SELECT 1 FROM deputies_committeemembership c WHERE c.user_id = f.citizen_id
      )
      {"" if region_id is None else "AND fa.region_id = %(region_id)s"}
    GROUP BY f.deputy_id, f.citizen_id
),
feedback_inputs AS (
    SELECT deputy_id, COUNT(*) AS voices, SUM(quality) AS quality_sum,
           SUM(overall) AS overall_sum, SUM(solved) AS solved_sum
    FROM voices
    GROUP BY deputy_id
),
inputs AS (
    SELECT d.id AS deputy_id, d.region_id, d.body_id,
           COALESCE(ai.appeals, 0) + COALESCE(m.taken_away, 0) AS appeals,
           COALESCE(ai.matured, 0) + COALESCE(m.missed, 0) AS matured,
           COALESCE(ai.on_time, 0) AS on_time,
           COALESCE(ai.speed_sum, 0.0) AS speed_sum,
           ai.median_days,
           COALESCE(fi.voices, 0) AS voices,
           COALESCE(fi.quality_sum, 0.0) AS quality_sum,
           fi.overall_sum, fi.solved_sum
    FROM deputies_deputy d
    LEFT JOIN appeal_inputs ai ON ai.deputy_id = d.id
    LEFT JOIN missed m ON m.deputy_id = d.id
    LEFT JOIN feedback_inputs fi ON fi.deputy_id = d.id
    {"" if region_id is None else "WHERE d.region_id = %(region_id)s"}
)"""  # noqa: S608  # nosec B608: SQL text of this module and ratings.formula only
    params = {
        "window_start": connection.ops.adapt_datetimefield_value(window_start),
        "today": connection.ops.adapt_datefield_value(today),
        "citizen": User.Role.CITIZEN.value,
        "region_id": region_id,
        **started_params,
        **answered_params,
    }
    return sql, params
