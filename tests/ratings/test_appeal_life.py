"""The rating under the rules of the appeal's life (SPEC, The appeal's life; The rating).

Every case is built through the real services on a moving clock, and S, Q and Score are
checked against numbers worked out by hand here, as in the SPEC's worked example:
  speed of an appeal answered on time = 1 − 0.5·days_taken/days_allowed, late or missed 0;
  quality of a feedback = 0.5·(overall−1)/4 + 0.25·solved + 0.25·(personal−1)/4;
  S = (Σspeed + m·μ_S)/(n + m), Q likewise, m = 10; Score = 100·(0.5·S + 0.5·Q).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals import services as appeals
from appeals.models import Appeal
from deputies.models import Deputy
from feedback.services import feedback_leave
from ratings import selectors
from ratings import services as ratings
from ratings.models import RatingSnapshot
from tests.appeals.helpers import as_scope, file_appeal
from tests.clock import Clock
from tests.factories import CitizenFactory, DeputyFactory

pytestmark = pytest.mark.django_db
clock = Clock.fixture()
PRIOR = 10  # m_S = m_Q, the default formula's prior weights


def shrink(total, n, mu):
    return (total + PRIOR * mu) / (n + PRIOR)


def score(s, q):
    return 100 * (0.5 * s + 0.5 * q)


def quality(overall, solved, personal):
    return 0.5 * (overall - 1) / 4 + 0.25 * solved + 0.25 * (personal - 1) / 4


def file(deputy=None, region_code="77"):
    """An appeal of a new citizen, to the chosen deputy (or to the queue without one)."""
    return file_appeal(CitizenFactory(), region_code=region_code, chosen_deputy=deputy)


def answer(appeal):
    appeal.refresh_from_db()
    deputy = appeal.deputy
    appeals.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
    )


def rate(appeal, *, overall, solved, personal):
    feedback_leave(
        scope=as_scope(appeal.citizen),
        appeal=appeal,
        actor=appeal.citizen,
        overall=overall,
        solved={1.0: "yes", 0.5: "partly", 0.0: "no"}[solved],
        speed=3,
        personal=personal,
    )


def assign(committee, appeal, deputy):
    appeals.appeal_assign(
        scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=deputy
    )


def recompute(**kwargs):
    return ratings.ratings_recompute(**kwargs)  # at the clock's moment


def row(run, deputy):
    return RatingSnapshot.objects.get(run=run, deputy=deputy)


def close(how, appeal):
    appeal.refresh_from_db()
    if how == "reject":
        appeals.appeal_reject(
            scope=as_scope(appeal.deputy),
            appeal=appeal,
            actor=appeal.deputy.user,
            reason="unreadable",
        )
    else:
        appeals.appeal_withdraw(scope=as_scope(appeal.citizen), appeal=appeal, actor=appeal.citizen)


@pytest.mark.parametrize("how", ["reject", "withdraw"])
def test_closing_after_the_deadline_counts_0_for_the_holder_and_before_it_not_at_all(clock, how):
    holder, other = DeputyFactory(region_code="77"), DeputyFactory(region_code="77")
    answered, late, early = file(holder), file(holder), file(holder)
    quick = file(other)
    # Day 0: the other deputy answers at once (speed 1.0); the citizen rates 3/partly/3.
    answer(quick)
    rate(quick, overall=3, solved=0.5, personal=3)
    clock.advance(days=3)  # day 3 of 30: speed 1 − 0.5·3/30 = 0.95, rated 5/yes/4
    answer(answered)
    rate(answered, overall=5, solved=1.0, personal=4)
    clock.advance(days=7)  # day 10: closed before the deadline, counts neither way
    close(how, early)
    clock.advance(days=21)  # day 31: the deadline (day 30) passed with no answer: a miss
    close(how, late)
    clock.advance(days=9)

    run = recompute()

    mu_s = (0.95 + 0.0 + 1.0) / 3  # every matured appeal of the country: 0.65
    q_holder, q_other = quality(5, 1.0, 4), quality(3, 0.5, 3)  # 0.9375 and 0.5
    mu_q = (q_holder + q_other) / 2
    s = shrink(0.95 + 0.0, 2, mu_s)  # 7.45/12 = 0.6208
    q = shrink(q_holder, 1, mu_q)  # 8.125/11 = 0.7386
    mine = row(run, holder)
    assert (mine.appeals_count, mine.matured_count, mine.on_time_count) == (3, 2, 1)
    assert mine.speed_raw == pytest.approx(0.475)
    assert run.national_speed == pytest.approx(0.65)
    assert mine.speed == pytest.approx(s)
    assert mine.quality == pytest.approx(q)
    assert mine.score == pytest.approx(score(s, q), abs=1e-4)
    assert round(mine.score, 2) == 67.97
    # A region's own run (after an answer or a rating) counts the miss the same way.
    regional = row(recompute(region_id=holder.region_id), holder)
    assert (regional.matured_count, regional.speed, regional.score) == (
        mine.matured_count,
        pytest.approx(mine.speed),
        pytest.approx(mine.score),
    )


def test_an_overdue_reassignment_counts_0_for_the_old_deputy_and_nothing_for_the_new(
    clock, committee
):
    old, new = DeputyFactory(region_code="77"), DeputyFactory(region_code="77")
    taken_away, old_own, new_own = file(old), file(old), file(new)
    answer(old_own)  # day 0: 1.0
    rate(old_own, overall=5, solved=1.0, personal=5)
    clock.advance(days=3)
    answer(new_own)  # day 3: 0.95
    rate(new_own, overall=4, solved=1.0, personal=5)
    clock.advance(days=28)  # day 31: the old deputy missed the deadline
    assign(committee, taken_away, new)
    clock.advance(days=1)  # the new deputy answers at once, in a day of their 7...
    answer(taken_away)
    rate(taken_away, overall=3, solved=0.5, personal=3)  # ...and is rated for it
    clock.advance(days=8)

    run = recompute()

    # The old deputy: 1.0 and the miss (0). The new: only their own 0.95; the appeal
    # answered for them within 7 days is outside their speed (it would have been
    # 1 − 0.5·1/7 = 0.93), though its answer's feedback is theirs.
    mu_s = (1.0 + 0.0 + 0.95) / 3
    q_old, q_new, q_taken = quality(5, 1.0, 5), quality(4, 1.0, 5), quality(3, 0.5, 3)
    mu_q = (q_old + q_new + q_taken) / 3
    s_old, q_old_shrunk = shrink(1.0, 2, mu_s), shrink(q_old, 1, mu_q)
    s_new, q_new_shrunk = shrink(0.95, 1, mu_s), shrink(q_new + q_taken, 2, mu_q)
    before, after = row(run, old), row(run, new)
    assert (before.appeals_count, before.matured_count, before.on_time_count) == (2, 2, 1)
    assert (after.appeals_count, after.matured_count, after.on_time_count) == (2, 1, 1)
    assert after.median_days == 3  # the taken-over appeal's day is not theirs either
    assert (after.speed_raw, after.feedback_voices) == (pytest.approx(0.95), 2)
    assert before.speed == pytest.approx(s_old)  # (1.0 + 6.5)/12 = 0.625
    assert after.speed == pytest.approx(s_new)  # (0.95 + 6.5)/11 = 0.6773
    assert before.quality == pytest.approx(q_old_shrunk)
    assert after.quality == pytest.approx(q_new_shrunk)
    assert before.score == pytest.approx(score(s_old, q_old_shrunk), abs=1e-4)
    assert after.score == pytest.approx(score(s_new, q_new_shrunk), abs=1e-4)
    assert (round(before.score, 2), round(after.score, 2)) == (71.78, 72.58)


def test_days_in_the_queue_never_count_for_a_deputy_only_for_the_committee(
    clock, committee, client, federal
):
    first = DeputyFactory(region_code="77", accepts_appeals=False)
    second = DeputyFactory(region_code="77", accepts_appeals=False)
    # Day 0: nobody in Moscow accepts appeals, so two wait in the committee's queue.
    waited_6, waited_9 = file(), file()
    Deputy.objects.filter(pk__in=[first.pk, second.pk]).update(accepts_appeals=True)
    first.refresh_from_db()
    second.refresh_from_db()
    clock.advance(days=6)
    assign(committee, waited_6, first)  # within the committee's 7 days
    clock.advance(days=3)
    assign(committee, waited_9, first)  # day 9: late, the committee's figure
    answer(waited_9)  # the deputy's day 0: 1.0, not 1 − 0.5·9/30
    answer(waited_6)  # the deputy's day 3: 0.95, not 1 − 0.5·9/30
    clock.advance(days=1)
    others = file(second)
    clock.advance(days=10)
    answer(others)  # day 10 of 30: 1 − 0.5·10/30
    # St Petersburg has no deputy at all: an appeal has waited there since day 20.
    stuck = file(region_code="78")
    clock.advance(days=20)

    run = recompute()

    mu_s = (1.0 + 0.95 + (1 - 0.5 * 10 / 30)) / 3
    s = shrink(1.0 + 0.95, 2, mu_s)
    q = 0.5  # nobody rated anything: the national quality falls back to the middle
    mine = row(run, first)
    assert (mine.matured_count, mine.on_time_count, mine.median_days) == (2, 2, 1.5)
    assert mine.speed_raw == pytest.approx(0.975)
    assert mine.speed == pytest.approx(s)
    assert mine.score == pytest.approx(score(s, q), abs=1e-4)
    assert round(mine.score, 2) == 71.78

    # The committee's own figures: Moscow's two waited 6 and 9 days (median 7.5, one
    # past the 7 days); St Petersburg's one waits still, 20 days so far.
    figures = selectors.queue_figures(
        since=selectors.queue_window_start(run=run, now=clock.now), today=clock.today()
    )
    moscow, spb = figures[first.region_id], figures[stuck.region_id]
    assert (moscow.entered, moscow.median_days, moscow.past_due) == (2, 7.5, 1)
    assert (moscow.waiting, moscow.waiting_past_due) == (0, 0)
    assert (spb.entered, spb.median_days, spb.past_due, spb.waiting, spb.waiting_past_due) == (
        1,
        20,
        1,
        1,
        1,
    )

    # On the federal comparison of regions, St Petersburg too, though it has no deputy.
    client.force_login(federal)
    rows = {
        r["region__code"]: r
        for r in client.get(reverse("ratings:regions_comparison")).context["rows"]
    }
    assert rows["77"]["queue"].median_days == 7.5
    assert rows["77"]["deputies"] == 2
    assert (rows["78"]["queue"].waiting_past_due, rows["78"]["deputies"]) == (1, 0)
    api = APIClient()
    api.force_authenticate(federal)
    regions = {r["region"]: r for r in api.get("/api/v1/ratings/regions/").json()["results"]}
    assert (regions["77"]["queue_median_days"], regions["77"]["queue_past_due"]) == (7.5, 1)
    assert (regions["78"]["queue_waiting"], regions["78"]["queue_waiting_past_due"]) == (1, 1)

    # And in the header of the committee's own rating page.
    client.force_login(committee)
    page = client.get(reverse("ratings:region_table"))
    assert (page.context["queue"].median_days, page.context["queue"].past_due) == (7.5, 1)
    assert 'id="queue-figures"' in page.content.decode()


def test_a_reassigned_appeal_stays_out_of_the_new_deputys_speed_even_if_answered_late(
    clock, committee
):
    old, new = DeputyFactory(region_code="77"), DeputyFactory(region_code="77")
    appeal = file(old)
    clock.advance(days=35)
    assign(committee, appeal, new)
    clock.advance(days=9)  # past the new deputy's 7 days as well
    answer(appeal)

    run = recompute()

    assert (row(run, old).matured_count, row(run, old).on_time_count) == (1, 0)
    assert (row(run, new).matured_count, row(run, new).appeals_count) == (0, 1)
    assert Appeal.objects.get().missed_by == old


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ([(4, 1)], 4),
        ([(1, 2), (9, 1)], 1),  # 1, 1, 9
        ([(0, 1), (3, 1), (3, 1), (8, 1)], 3),  # the same day split by "still waiting"
        ([(2, 1), (5, 1)], 3.5),
        ([(1, 3), (2, 1), (7, 2)], 1.5),  # 1, 1, 1, 2, 7, 7
    ],
)
def test_the_median_days_in_the_queue_are_read_off_the_histogram(histogram, median):
    from appeals import queue

    assert queue._median(histogram) == median
