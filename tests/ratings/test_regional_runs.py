"""An answer or a feedback recomputes its region only (SPEC, The rating: "a debounced
recompute of one deputy's region"), against the national means of the last full run;
other regions keep their table, and the history stays one point a day."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings import services
from ratings.models import RatingRun, RatingSnapshot, RecomputeRequest
from tests.factories import CommitteeUserFactory, DeputyFactory
from tests.helpers import assert_same_count, captured_queries

from .test_recompute import appeal, rate

pytestmark = pytest.mark.django_db


def request_recompute(*regions):
    now = timezone.now()
    for region in regions:
        RecomputeRequest.objects.create(region=region, requested_at=now, due_at=now)


def test_a_regions_run_touches_only_that_region_and_uses_the_national_means():
    moscow, kazan = DeputyFactory(region_code="77"), DeputyFactory(region_code="16")
    for _ in range(12):
        appeal(moscow, answered_on=25, days_ago=40)
        appeal(kazan, answered_on=3, days_ago=40)
    full = services.ratings_recompute()
    for _ in range(12):
        rate(appeal(moscow, answered_on=1, days_ago=20), overall=5, solved="yes", personal=5)
    request_recompute(moscow.region)

    regional = services.ratings_recompute_due()

    assert regional.region == moscow.region and regional.trigger == "event"
    assert set(regional.snapshots.values_list("deputy_id", flat=True)) == {moscow.pk}
    assert (regional.national_speed, regional.national_quality) == (
        full.national_speed,
        full.national_quality,
    )
    assert RatingRun.objects.current(moscow.region_id) == regional
    assert RatingRun.objects.current(kazan.region_id) == full
    assert RatingRun.objects.current() == full  # the comparison of regions stays whole
    new = RatingSnapshot.objects.get(run=regional, deputy=moscow)
    assert new.appeals_count == 24
    assert new.previous_score == RatingSnapshot.objects.get(run=full, deputy=moscow).score


def test_the_committee_of_each_region_sees_its_newest_table(client):
    moscow, kazan = DeputyFactory(region_code="77"), DeputyFactory(region_code="16")
    appeal(moscow, answered_on=2)
    full = services.ratings_recompute()
    appeal(moscow, answered_on=3)
    request_recompute(moscow.region)
    regional = services.ratings_recompute_due()

    client.force_login(CommitteeUserFactory(region_code="77"))
    assert client.get(reverse("ratings:region_table")).context["run"] == regional
    client.force_login(CommitteeUserFactory(region_code="16"))
    assert client.get(reverse("ratings:region_table")).context["run"] == full
    assert kazan.pk in [
        row.deputy_id for row in client.get(reverse("ratings:region_table")).context["rows"]
    ]


def test_without_a_full_run_yet_the_first_event_run_is_full():
    DeputyFactory(region_code="77")
    DeputyFactory(region_code="16")
    request_recompute(*{d.region for d in DeputyFactory._meta.model.objects.all()})
    run = services.ratings_recompute_due()
    assert run.region is None
    assert run.snapshots.count() == 2
    assert not RecomputeRequest.objects.filter(done_at__isnull=True).exists()


def test_many_regions_waiting_make_one_full_run():
    codes = [f"{n:02d}" for n in range(1, 13)]
    deputies = [DeputyFactory(region_code=code) for code in codes]
    services.ratings_recompute()
    request_recompute(*[d.region for d in deputies])
    run = services.ratings_recompute_due()
    assert run.region is None
    assert RatingRun.objects.filter(trigger="event").count() == 1
    assert set(RecomputeRequest.objects.values_list("run", flat=True)) == {run.pk}


def test_the_same_days_earlier_event_runs_of_a_region_are_pruned():
    deputy = DeputyFactory(region_code="77")
    appeal(deputy, answered_on=2)
    full = services.ratings_recompute()
    runs = []
    for _ in range(3):
        request_recompute(deputy.region)
        runs.append(services.ratings_recompute_due())
    assert list(RatingRun.objects.filter(trigger="event")) == [runs[-1]]
    assert RatingRun.objects.filter(pk=full.pk).exists()  # full runs are history
    assert RatingSnapshot.objects.filter(run__in=runs[:-1]).count() == 0


def test_a_regions_run_makes_the_same_statements_for_few_and_many_deputies():
    def statements(n):
        deputies = [DeputyFactory(region_code="77") for _ in range(n)]
        for deputy in deputies:
            appeal(deputy, answered_on=2, days_ago=10 + n)
        services.ratings_recompute(now=timezone.now() - timedelta(minutes=n))
        request_recompute(deputies[0].region)
        services.ratings_recompute_due()  # so each measured run prunes one earlier run
        request_recompute(deputies[0].region)
        with captured_queries() as sql:
            services.ratings_recompute_due()
        return sql

    assert_same_count(statements(3), statements(40))
