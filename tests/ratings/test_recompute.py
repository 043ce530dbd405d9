from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from appeals.models import Appeal
from feedback.models import Feedback
from ratings import services
from ratings.models import RatingFormula, RatingRun, RatingSnapshot
from ratings.services import recompute
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory
from tests.helpers import assert_same_count, captured_queries, recompute_lock_held_elsewhere

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=MSK)


def appeal(deputy, *, answered_on=None, days_ago=60, citizen=None, allowed=30, status=None):
    """An appeal registered `days_ago` at noon; answered `answered_on` days after, or never."""
    start = NOW - timedelta(days=days_ago)
    answered_at = start + timedelta(days=answered_on) if answered_on is not None else None
    return AppealFactory(
        deputy=deputy,
        citizen=citizen or CitizenFactory(),
        region=deputy.region,
        registered_at=start,
        clock_started_at=start,
        deadline=start.date() + timedelta(days=allowed),
        status=status or ("closed" if answered_at else "in_progress"),
        answered_at=answered_at,
    )


def rate(appeal_, *, overall, solved, personal, citizen=None):
    return Feedback.objects.create(
        appeal=appeal_,
        citizen=citizen or appeal_.citizen,
        deputy=appeal_.deputy,
        overall=overall,
        solved=solved,
        speed=3,
        personal=personal,
        created_at=NOW,
        updated_at=NOW,
    )


def snapshot(run, deputy):
    return RatingSnapshot.objects.get(run=run, deputy=deputy)


def test_the_worked_example_of_the_spec():
    a = DeputyFactory(region_code="77")
    b = DeputyFactory(region_code="77")
    # A: 12 appeals answered on day 3 of 30 (0.95 each); two citizens rate 1.0.
    a_appeals = [appeal(a, answered_on=3) for _ in range(12)]
    rate(a_appeals[0], overall=5, solved="yes", personal=5)
    rate(a_appeals[1], overall=5, solved="yes", personal=5)
    # B shapes the national means to 0.7 and 0.6: six on day 6 (0.9), two late, four
    # never answered; eight citizens rate 0.5.
    b_answered = [appeal(b, answered_on=6) for _ in range(6)] + [
        appeal(b, answered_on=35) for _ in range(2)
    ]
    for _ in range(4):
        appeal(b)
    for item in b_answered:
        rate(item, overall=3, solved="partly", personal=3)

    run = services.ratings_recompute(now=NOW)

    assert round(run.national_speed, 4) == 0.7
    assert round(run.national_quality, 4) == 0.6
    mine = snapshot(run, a)
    assert (mine.matured_count, mine.on_time_count, mine.feedback_voices) == (12, 12, 2)
    assert round(mine.speed, 4) == 0.8364
    assert round(mine.quality, 4) == 0.6667
    assert round(mine.score, 2) == 75.15
    assert mine.median_days == 3


@pytest.mark.parametrize(
    ("answered_on", "allowed", "expected_speed", "on_time"),
    [(0, 30, 1.0, 1), (30, 30, 0.5, 1), (31, 30, 0.0, 0), (45, 60, 0.625, 1)],
)
def test_speed_of_one_appeal(answered_on, allowed, expected_speed, on_time):
    deputy = DeputyFactory()
    appeal(deputy, answered_on=answered_on, allowed=allowed, days_ago=90)
    mine = snapshot(services.ratings_recompute(now=NOW), deputy)
    assert mine.speed_raw == pytest.approx(expected_speed)
    assert (mine.matured_count, mine.on_time_count) == (1, on_time)


def test_unanswered_past_the_deadline_counts_zero_and_not_yet_due_counts_neither_way():
    deputy = DeputyFactory()
    appeal(deputy, days_ago=40)  # deadline passed: matured, speed 0
    appeal(deputy, days_ago=5)  # open, not due: not matured
    appeal(deputy, days_ago=10, status="withdrawn")  # withdrawn: neither
    mine = snapshot(services.ratings_recompute(now=NOW), deputy)
    assert (mine.appeals_count, mine.matured_count, mine.speed_raw) == (3, 1, 0.0)


def test_appeals_outside_the_window_do_not_count():
    deputy = DeputyFactory()
    appeal(deputy, answered_on=1, days_ago=400)
    assert snapshot(services.ratings_recompute(now=NOW), deputy).appeals_count == 0


def test_one_citizen_is_one_voice():
    deputy = DeputyFactory()
    loyal = CitizenFactory()
    for _ in range(3):  # three ratings of 1.0 by one citizen...
        rate(appeal(deputy, answered_on=1, citizen=loyal), overall=5, solved="yes", personal=5)
    rate(appeal(deputy, answered_on=1), overall=1, solved="no", personal=1)  # ...one of 0.0
    mine = snapshot(services.ratings_recompute(now=NOW), deputy)
    assert mine.feedback_voices == 2
    assert mine.quality_raw == pytest.approx(0.5)


def test_feedback_by_deputy_and_committee_accounts_is_ignored():
    deputy = DeputyFactory()
    colleague = DeputyFactory()
    colleague.user.role = "citizen"
    colleague.user.save()
    rate(appeal(deputy, answered_on=1, citizen=colleague.user), overall=5, solved="yes", personal=5)
    flagged = rate(appeal(deputy, answered_on=1), overall=5, solved="yes", personal=5)
    Feedback.objects.filter(pk=flagged.pk).update(counts=False)
    mine = snapshot(services.ratings_recompute(now=NOW), deputy)
    assert mine.feedback_voices == 0


def test_no_feedback_gets_the_national_quality_and_few_appeals_are_not_ranked():
    rated, quiet = DeputyFactory(), DeputyFactory()
    for _ in range(10):
        rate(appeal(rated, answered_on=2), overall=4, solved="yes", personal=4)
    appeal(quiet, answered_on=2)
    run = services.ratings_recompute(now=NOW)
    quiet_row = snapshot(run, quiet)
    assert quiet_row.quality == pytest.approx(run.national_quality)
    assert quiet_row.enough_data is False
    assert quiet_row.rank_region is None
    assert snapshot(run, rated).rank_region == 1


def test_ranks_share_ties_within_region_and_body():
    first, second, third = (DeputyFactory(region_code="16") for _ in range(3))
    for deputy, day in ((first, 1), (second, 1), (third, 20)):
        for _ in range(10):
            appeal(deputy, answered_on=day)
    run = services.ratings_recompute(now=NOW)
    ranks = [snapshot(run, d).rank_region for d in (first, second, third)]
    assert ranks == [1, 1, 3]
    assert [snapshot(run, d).rank_body for d in (first, second, third)] == [1, 1, 3]


def test_ties_on_score_go_to_the_surer_on_time_share_then_to_the_shorter_median():
    # The same sum of speeds (7.5 of 10 appeals, 30 days allowed), so the same score.
    steady, quick, erratic = (DeputyFactory(region_code="16") for _ in range(3))
    for _ in range(10):
        appeal(steady, answered_on=15)  # 0.75 each; all on time; median 15
    for day in [5] * 6 + [30] * 4:
        appeal(quick, answered_on=day)  # 6 × 0.9167 + 4 × 0.5; all on time; median 5
    for day in [0] * 7 + [30, 45, 45]:
        appeal(erratic, answered_on=day)  # 7 × 1 + 0.5 + 0 + 0; 8 of 10 on time; median 0

    run = services.ratings_recompute(now=NOW)

    rows = [snapshot(run, deputy) for deputy in (steady, quick, erratic)]
    assert rows[0].score == pytest.approx(rows[1].score) == pytest.approx(rows[2].score)
    assert [row.rank_region for row in rows] == [2, 1, 3]


def test_a_new_formula_version_changes_the_next_snapshot_only():
    deputy = DeputyFactory()
    for _ in range(10):
        appeal(deputy, answered_on=0)
    before = services.ratings_recompute(now=NOW)
    RatingFormula.objects.create(version=2, weight_speed=1, weight_quality=0, min_sample=5)
    after = services.ratings_recompute(now=NOW)

    old, new = snapshot(before, deputy), snapshot(after, deputy)
    assert (old.formula.version, new.formula.version) == (1, 2)
    assert new.score == pytest.approx(100 * new.speed)
    assert old.score != new.score
    assert new.previous_score == old.score
    assert RatingRun.objects.current() == after


def test_the_number_of_statements_does_not_grow_with_deputies():
    def statements(n_deputies):
        for _ in range(n_deputies):
            deputy = DeputyFactory()
            rate(appeal(deputy, answered_on=2), overall=4, solved="yes", personal=4)
        services.ratings_recompute(now=NOW)  # so both measured runs have a previous table
        with captured_queries() as sql:
            run = services.ratings_recompute(now=NOW)
        assert run.deputies_count == RatingSnapshot.objects.filter(run=run).count()
        return sql

    assert_same_count(statements(10), statements(490))


def test_a_running_recompute_blocks_a_second_one():
    DeputyFactory()
    formula = services.current_formula()
    RatingRun.objects.create(formula=formula, started_at=NOW, status="running")
    with recompute_lock_held_elsewhere():
        assert services.ratings_recompute(now=NOW + timedelta(minutes=1)) is None
    assert not RatingSnapshot.objects.exists()


def test_a_run_abandoned_by_a_dead_worker_does_not_block_forever():
    DeputyFactory()
    formula = services.current_formula()
    dead = RatingRun.objects.create(formula=formula, started_at=NOW - timedelta(hours=2))
    assert services.ratings_recompute(now=NOW) is not None
    dead.refresh_from_db()
    assert dead.status == "failed"


def test_a_recompute_failing_midway_leaves_the_previous_table(monkeypatch):
    deputy = DeputyFactory()
    appeal(deputy, answered_on=1)
    good = services.ratings_recompute(now=NOW)

    def boom(run):  # after the table's insert, before the run is marked complete
        raise RuntimeError("worker killed")

    monkeypatch.setattr(recompute, "_national_means", boom)
    with pytest.raises(RuntimeError):
        services.ratings_recompute(now=NOW + timedelta(hours=1))

    assert RatingRun.objects.current() == good
    assert RatingRun.objects.filter(status="failed").count() == 1
    assert RatingSnapshot.objects.count() == 1
    monkeypatch.undo()
    assert services.ratings_recompute(now=NOW + timedelta(hours=2)) is not None


def test_recompute_is_idempotent():
    deputy = DeputyFactory()
    for _ in range(10):
        rate(appeal(deputy, answered_on=4), overall=4, solved="partly", personal=5)
    first = snapshot(services.ratings_recompute(now=NOW), deputy)
    second = snapshot(services.ratings_recompute(now=NOW), deputy)
    fields = ["score", "speed", "quality", "rank_region", "on_time_low", "median_days"]
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert Appeal.objects.count() == 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recomputes_started_at_once_make_one_table(postgres, reference_data, monkeypatch):
    import threading

    for _ in range(20):
        appeal(DeputyFactory(), answered_on=2)
    inside, release = threading.Event(), threading.Event()
    original = recompute._compute

    def slow_compute(*args, **kwargs):
        inside.set()
        release.wait(timeout=30)  # hold the lock while the second recompute starts
        return original(*args, **kwargs)

    monkeypatch.setattr(recompute, "_compute", slow_compute)
    results = []

    def first():
        try:
            results.append(services.ratings_recompute(now=NOW))
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(timeout=30)
    second = services.ratings_recompute(now=NOW)  # while the first one is running
    release.set()
    thread.join(timeout=60)

    assert second is None
    assert results[0] is not None
    assert RatingRun.objects.count() == 1
    assert RatingSnapshot.objects.count() == 20


def test_feedback_by_a_committee_account_is_ignored():
    from tests.factories import CommitteeMembershipFactory

    deputy = DeputyFactory()
    staff = CommitteeMembershipFactory().user
    staff.role = "citizen"
    staff.save()
    rate(appeal(deputy, answered_on=1, citizen=staff), overall=5, solved="yes", personal=5)
    assert snapshot(services.ratings_recompute(now=NOW), deputy).feedback_voices == 0


def test_the_admin_offers_the_next_formula_version(admin_client):
    response = admin_client.get("/admin/ratings/ratingformula/add/")
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["version"] == 2
