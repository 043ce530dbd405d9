"""The full rating recompute beside a bare aggregate over the same tables (issue 18).

Seeds a PostgreSQL database of its own by SQL (generate_series): regions and bodies as
the migrations make them, deputies with their users, citizens, a committee member per
region, appeals over the last 480 days with statuses and timestamps (so some are
matured: answered, or open past their deadline; 1 % counted as missed by another
deputy) and feedback on answered appeals.
Then, three times in turn, times the recompute `manage.py recompute_ratings` runs and
a bare aggregate (the window's appeals joined with their feedback, grouped by deputy),
and prints both, their ratio, and the peak memory of this process and of its
PostgreSQL backend during each.

    .venv/bin/python bench/recompute.py --size 1m            # 3,000 deputies, 1 M appeals
    .venv/bin/python bench/recompute.py --size 10m --keep    # 100,000 deputies, 10 M appeals

`--keep` reuses the database seeded at that size by an earlier run; `--explain`
prints EXPLAIN ANALYZE of the recompute's statements (its one INSERT rolled back).
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql as pgsql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {
    "1m": {"deputies": 3_000, "appeals": 1_000_000, "feedback": 300_000, "citizens": 250_000},
    "10m": {"deputies": 100_000, "appeals": 10_000_000, "feedback": 300_000, "citizens": 1_000_000},
}
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REPEATS = 3


def database_name(size: str) -> str:
    return f"izb_bench_recompute_{size}"


# --- seeding -------------------------------------------------------------------------

# The bulk statements, with {placeholders} for the size (integers only). Appeal statuses
# by share: submitted 1 % (no deputy), rejected 3 %, withdrawn 3 %, assigned 4 %, in
# progress 10 %, answered 3 %, closed 76 %; answers take 0–40 days against a 30-day
# deadline, so some are late and the open ones registered long ago are overdue.
SEED = [
    """
    INSERT INTO accounts_user (id, password, is_superuser, email, full_name, phone, role,
                               is_staff, is_active, date_joined)
    SELECT g, '!', false, 'u' || g || '@bench.invalid', 'Пользователь ' || g, '',
           CASE WHEN g <= {deputies} THEN 'deputy'
                WHEN g <= {deputies} + {citizens} THEN 'citizen'
                ELSE 'committee' END,
           false, true, now()
    FROM generate_series(1, {deputies} + {citizens} + (SELECT count(*) FROM deputies_region)) g
    """,
    """
    INSERT INTO deputies_deputy (id, full_name, faction, photo, bio, accepts_appeals,
                                 open_appeals, body_id, user_id, region_id)
    SELECT g, 'Депутат ' || g, '', '', '', true, 0, b.id, g, b.region_id
    FROM generate_series(1, {deputies}) g
    JOIN (SELECT id, region_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
          FROM deputies_body WHERE level = 'regional') b ON b.k = (g - 1) % b.n
    """,
    """
    INSERT INTO deputies_committeemembership (position, user_id, region_id)
    SELECT 'Председатель', {deputies} + {citizens} + row_number() OVER (ORDER BY id), id
    FROM deputies_region
    """,
    """
    CREATE TEMP TABLE seed_appeal AS
    SELECT g AS id, r AS r, now() - random() * interval '480 days' AS registered_at,
           1 + floor(random() * {deputies})::int AS deputy_id,
           {deputies} + 1 + floor(random() * {citizens})::int AS citizen_id,
           random() * 40 AS days, 1 + floor(random() * 11)::int AS topic
    FROM (SELECT g, random() AS r FROM generate_series(1, {appeals}) g) s
    """,
    """
    INSERT INTO appeals_appeal (id, number, address, subject, text, status, registered_at,
        clock_started_at, deadline, extended_days, extension_reason, assigned_at, taken_at,
        answered_at, closed_at, rejection_reason, rejection_details, consent_at,
        consent_version, idempotency_key, updated_at, citizen_id, deputy_id, region_id,
        topic_id, missed_by_id)
    SELECT s.id, 'B-' || s.id, '', 'Обращение ' || s.id, 'Текст обращения', s.status,
           s.registered_at, s.registered_at,
           (s.registered_at AT TIME ZONE 'Europe/Moscow')::date + 30, 0, '',
           CASE WHEN s.deputy_id IS NOT NULL THEN s.registered_at END,
           CASE WHEN s.status IN ('in_progress', 'answered', 'closed')
                THEN s.registered_at + interval '1 day' END,
           CASE WHEN s.status IN ('answered', 'closed')
                THEN s.registered_at + s.days * interval '1 day' END,
           CASE WHEN s.status = 'closed'
                THEN s.registered_at + (s.days + 7) * interval '1 day' END,
           CASE WHEN s.status = 'rejected' THEN 'repeat' ELSE '' END, '',
           s.registered_at, '1', '', s.registered_at, s.citizen_id, s.deputy_id,
           d.region_id, t.id,
           -- 1 % taken over late from another deputy, who counts them as missed
           CASE WHEN s.deputy_id IS NOT NULL AND s.id % 100 = 7
                THEN 1 + s.deputy_id % {deputies} END
    FROM (
        SELECT a.*,
               CASE WHEN r < 0.01 THEN 'submitted' WHEN r < 0.04 THEN 'rejected'
                    WHEN r < 0.07 THEN 'withdrawn' WHEN r < 0.11 THEN 'assigned'
                    WHEN r < 0.21 THEN 'in_progress' WHEN r < 0.24 THEN 'answered'
                    ELSE 'closed' END AS status
        FROM (SELECT id, r, registered_at, citizen_id, days, topic,
                     CASE WHEN r >= 0.01 THEN deputy_id END AS deputy_id,
                     deputy_id AS any_deputy
              FROM seed_appeal) a
    ) s
    JOIN deputies_deputy d ON d.id = s.any_deputy
    JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM appeals_topic) t
      ON t.k = s.topic
    """,
    "DROP TABLE seed_appeal",
    # Feedback on every n-th answered or closed appeal, up to the number asked.
    """
    INSERT INTO feedback_feedback (overall, solved, speed, personal, comment, counts,
                                   created_at, updated_at, appeal_id, citizen_id, deputy_id)
    SELECT 1 + floor(random() * 5)::int,
           (ARRAY['yes', 'partly', 'no'])[1 + floor(random() * 3)::int],
           1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int, '', true,
           a.answered_at + interval '1 day', a.answered_at + interval '1 day',
           a.id, a.citizen_id, a.deputy_id
    FROM appeals_appeal a
    WHERE a.status IN ('answered', 'closed') AND a.id % {feedback_step} = 0
    ORDER BY a.id
    LIMIT {feedback}
    """,
    """
    UPDATE deputies_deputy d SET open_appeals = o.n
    FROM (SELECT deputy_id, count(*) AS n FROM appeals_appeal
          WHERE status IN ('assigned', 'in_progress') GROUP BY deputy_id) o
    WHERE o.deputy_id = d.id
    """,
]
# Tables whose identity the seed filled with explicit ids.
IDENTITIES = ["accounts_user", "deputies_deputy", "appeals_appeal"]


def server(dbname="postgres"):
    """An autocommit connection, closed at the end of a `with` block."""
    connection = psycopg2.connect(f"{SERVER}/{dbname}")
    connection.autocommit = True
    return contextlib.closing(connection)


def seed(size: str, keep: bool) -> None:
    name = database_name(size)
    with server() as admin, admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and keep:
            with server(name) as db, db.cursor() as check:
                check.execute("SELECT count(*) FROM appeals_appeal")
                if check.fetchone()[0] == SIZES[size]["appeals"]:
                    print(f"reusing {name}")
                    return
        if exists:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')

    started = time.monotonic()
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"migrated {name} in {time.monotonic() - started:.0f} s")

    numbers = dict(SIZES[size])
    numbers["feedback_step"] = max(1, int(numbers["appeals"] * 0.7) // numbers["feedback"])
    with server(name) as db, db.cursor() as cursor:
        # Bulk load: foreign keys are true by construction, so their triggers are skipped
        # (replica role), and the appeal indexes are built once at the end.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(0.18)")
        cursor.execute(
            """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'appeals_appeal'
               AND indexname NOT IN (SELECT conname FROM pg_constraint)"""
        )
        indexes = cursor.fetchall()
        for index, _definition in indexes:
            cursor.execute(f'DROP INDEX "{index}"')
        for statement in SEED:
            step = time.monotonic()
            cursor.execute(statement.format(**numbers))
            print(f"  {' '.join(statement.split()[:3])}: {time.monotonic() - step:.0f} s")
        step = time.monotonic()
        for _index, definition in indexes:
            cursor.execute(definition)
        print(f"  indexes: {time.monotonic() - step:.0f} s")
        for table in IDENTITIES:
            setval = "SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {}"
            cursor.execute(pgsql.SQL(setval).format(pgsql.Identifier(table)), [table])
        step = time.monotonic()
        cursor.execute("VACUUM (ANALYZE)")
        print(f"  vacuum: {time.monotonic() - step:.0f} s")
    print(f"seeded {name} in {time.monotonic() - started:.0f} s")


# --- measuring -----------------------------------------------------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory
    import django

    django.setup()


def reset_peak(pid) -> bool:
    """Start /proc's peak resident size afresh (writing 5 to clear_refs, Linux)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mib(pid) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def temp_bytes(cursor) -> int:
    cursor.execute("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
    return cursor.fetchone()[0]


BARE_AGGREGATE = """
SELECT a.deputy_id, count(*), count(a.answered_at), avg(f.overall)
FROM appeals_appeal a LEFT JOIN feedback_feedback f ON f.appeal_id = a.id
WHERE a.registered_at >= %s AND a.deputy_id IS NOT NULL
GROUP BY a.deputy_id
"""


def measured(what, call):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        temp_before = temp_bytes(cursor)
    resettable = reset_peak(os.getpid()) and reset_peak(backend)
    started = time.perf_counter()
    call()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        temp = temp_bytes(cursor) - temp_before
    return {
        "what": what,
        "seconds": seconds,
        "python_mib": peak_mib(os.getpid()) if resettable else None,
        "backend_mib": peak_mib(backend) if resettable else None,
        "temp_mib": temp / 2**20,
    }


def run(size: str, explain: bool, repeats: int = REPEATS) -> None:
    setup_django()
    from datetime import timedelta

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ratings.models import RatingRun
    from ratings.services import current_formula, ratings_recompute
    from ratings.services.recompute import WORK_MEM

    def recompute():
        assert ratings_recompute(trigger=RatingRun.Trigger.MANUAL) is not None

    window_start = timezone.now() - timedelta(days=current_formula().window_days)

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute(BARE_AGGREGATE, [window_start])
            cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM appeals_appeal")
        appeals = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM deputies_deputy")
        deputies = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM feedback_feedback")
        feedback = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    print(
        f"\n{database_name(size)}: {deputies:,} deputies, {appeals:,} appeals, "
        f"{feedback:,} feedback; work_mem {work_mem}, shared_buffers {shared_buffers}"
    )
    recompute()  # warm: the tables in the page cache, as the nightly run finds them
    aggregate()

    rows = []
    for _ in range(repeats):
        rows.append(measured("recompute", recompute))
        rows.append(measured("aggregate", aggregate))
    print(f"\n{'what':<15}{'seconds':>9}{'python MiB':>12}{'backend MiB':>13}{'temp MiB':>10}")
    for row in rows:
        print(
            f"{row['what']:<15}{row['seconds']:>9.2f}{fmt(row['python_mib']):>12}"
            f"{fmt(row['backend_mib']):>13}{row['temp_mib']:>10.0f}"
        )
    median = {
        what: statistics.median(r["seconds"] for r in rows if r["what"] == what)
        for what in dict.fromkeys(r["what"] for r in rows)
    }
    print(
        f"\nmedian of {repeats}: recompute {median['recompute']:.2f} s, "
        f"bare aggregate {median['aggregate']:.2f} s, "
        f"ratio {median['recompute'] / median['aggregate']:.1f}×"
    )
    print(f"peak RSS of this process over the whole run: {max_rss_mib():.0f} MiB")

    if explain:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            recompute()
        total = time.perf_counter() - started
        statements = sum(float(query["time"]) for query in captured.captured_queries)
        print(f"\nthe statements took {statements:.2f} s of the recompute's {total:.2f} s")
        for query in captured.captured_queries:
            sql = query["sql"]
            statement = sql.lstrip().upper()
            if float(query["time"]) < 0.05 or not statement.startswith(("SELECT", "INSERT")):
                continue
            print(f"\n-- {float(query['time']):.2f} s: {sql[:300]}")
            # EXPLAIN ANALYZE runs the statement: an INSERT's rows are rolled back.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])
                # The table written by the run just made, so its INSERT can run again.
                cursor.execute(
                    "DELETE FROM ratings_ratingsnapshot WHERE run_id = "
                    "(SELECT max(id) FROM ratings_ratingrun)"
                )
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(line for (line,) in cursor.fetchall()))
                transaction.set_rollback(True)


def fmt(value) -> str:
    return "?" if value is None else f"{value:.0f}"


def max_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="1m")
    parser.add_argument("--keep", action="store_true", help="reuse a database seeded before")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the statements")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed rounds")
    args = parser.parse_args()
    seed(args.size, args.keep)
    if args.seed_only:
        return
    os.environ["DATABASE_URL"] = f"{SERVER}/{database_name(args.size)}"
    run(args.size, args.explain, args.repeats)


if __name__ == "__main__":
    main()
