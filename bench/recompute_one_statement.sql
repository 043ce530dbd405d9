-- A prototype (bench/recompute.py --prototype): every input of the rating table in one
-- statement, medians included, to time beside the service's several passes. The
-- arithmetic is ratings/services.py's (_appeal_inputs, _medians, _feedback_inputs);
-- the shrinkage, scores and ranks stay in Python on these 1 row per deputy.
WITH windowed AS (
    SELECT a.deputy_id, a.status, a.deadline, a.answered_at,
           (a.answered_at AT TIME ZONE %(tz)s)::date
               - (a.clock_started_at AT TIME ZONE %(tz)s)::date AS taken,
           a.deadline - (a.clock_started_at AT TIME ZONE %(tz)s)::date AS allowed
    FROM appeals_appeal a
    WHERE a.registered_at >= %(window_start)s AND a.deputy_id IS NOT NULL
),
appeal_inputs AS (
    SELECT deputy_id,
           count(*) AS appeals,
           count(*) FILTER (WHERE answered_at IS NOT NULL
                            OR (status IN ('submitted', 'assigned', 'in_progress')
                                AND deadline < %(today)s)) AS matured,
           count(*) FILTER (WHERE answered_at IS NOT NULL AND taken <= allowed
                            AND allowed > 0) AS on_time,
           coalesce(sum(1.0 - 0.5 * taken::float / allowed)
                    FILTER (WHERE answered_at IS NOT NULL AND taken <= allowed
                            AND allowed > 0), 0) AS speed_sum,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY taken)
               FILTER (WHERE answered_at IS NOT NULL) AS median_days
    FROM windowed
    GROUP BY deputy_id
),
voices AS (  -- one citizen, one voice; deputies' and committee members' never count
    SELECT f.deputy_id,
           avg(0.5 * (f.overall - 1) / 4.0
               + 0.25 * CASE f.solved WHEN 'yes' THEN 1.0 WHEN 'partly' THEN 0.5 ELSE 0.0 END
               + 0.25 * (f.personal - 1) / 4.0) AS quality,
           avg(f.overall) AS overall,
           avg(CASE f.solved WHEN 'yes' THEN 1.0 WHEN 'partly' THEN 0.5 ELSE 0.0 END) AS solved
    FROM feedback_feedback f
    JOIN appeals_appeal a ON a.id = f.appeal_id
    JOIN accounts_user u ON u.id = f.citizen_id
    WHERE f.counts AND a.registered_at >= %(window_start)s AND u.role = 'citizen'
      AND NOT EXISTS (SELECT 1 FROM deputies_deputy d WHERE d.user_id = f.citizen_id)
      AND NOT EXISTS (SELECT 1 FROM deputies_committeemembership c
                      WHERE c.user_id = f.citizen_id)
    GROUP BY f.deputy_id, f.citizen_id
),
feedback_inputs AS (
    SELECT deputy_id, count(*) AS voices, sum(quality) AS quality_sum,
           sum(overall) AS overall_sum, sum(solved) AS solved_sum
    FROM voices
    GROUP BY deputy_id
)
SELECT d.id, d.region_id, d.body_id,
       coalesce(ai.appeals, 0), coalesce(ai.matured, 0), coalesce(ai.on_time, 0),
       coalesce(ai.speed_sum, 0), ai.median_days,
       coalesce(fi.voices, 0), coalesce(fi.quality_sum, 0), coalesce(fi.overall_sum, 0),
       coalesce(fi.solved_sum, 0)
FROM deputies_deputy d
LEFT JOIN appeal_inputs ai ON ai.deputy_id = d.id
LEFT JOIN feedback_inputs fi ON fi.deputy_id = d.id
