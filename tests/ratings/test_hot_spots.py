"""Hot spots through the database: the job, the pages, the decision, the digest."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Topic
from deputies.models import Municipality
from ratings.hotspots.services import hot_spot_decide, hot_spots_compute, hot_spots_digest
from ratings.models import HotSpotAlert
from tests.factories import AppealFactory, CitizenFactory, CommitteeUserFactory
from tests.helpers import assert_same_count, login, queries

TODAY = date(2026, 11, 25)  # a Wednesday; its week starts on Monday 23 November
WEEK = date(2026, 11, 23)


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def district():
    """A Moscow district: its appeals count in its okrug, as in the topic analytics."""
    return Municipality.objects.get(region__code="77", name="Академический район")


def file(n, *, day, topic, place, citizen=None):
    """`n` appeals (one citizen each unless `citizen` is given), set-based."""
    citizens = [citizen] * n if citizen else CitizenFactory.create_batch(n)
    for i, who in enumerate(citizens):
        AppealFactory(
            citizen=who,
            deputy=None,
            topic=topic,
            municipality=place,
            registered_at=at(day, 8 + i % 10),
            # 20 characters at most, as the column holds on PostgreSQL
            number=f"77-H-{day:%m%d}-{topic.pk % 100:02d}{i % 1000:03d}{who.pk % 10**5:05d}",
        )


def baseline(*, topic, place, per_week=2, weeks=12):
    """A steady few people a week, from the same few citizens (so it stays cheap)."""
    people = CitizenFactory.create_batch(per_week)
    for k in range(1, weeks + 1):
        for who in people:
            file(1, day=WEEK - timedelta(weeks=k) + timedelta(days=1), topic=topic, place=place,
                 citizen=who)  # fmt: skip


@pytest.fixture
def roof(db):
    return Topic.objects.get(slug="housing-roof")


@pytest.fixture
def spike(roof):
    """Two people a week for twelve weeks, then twelve different people this week."""
    place = district()
    baseline(topic=roof, place=place)
    file(12, day=WEEK, topic=roof, place=place)
    hot_spots_compute(today=TODAY)
    return place


def test_a_rise_of_many_people_is_an_alert_in_the_okrug_for_the_subtopic_and_its_top_topic(
    spike, roof
):
    alerts = {(a.topic_id, a.week): a for a in HotSpotAlert.objects.all()}
    okrug = spike.parent
    sub, top = alerts[(roof.pk, WEEK)], alerts[(roof.parent_id, WEEK)]
    assert sub.municipality == okrug and top.municipality == okrug
    assert sub.region.code == "77"
    assert sub.count == 12 and sub.baseline == pytest.approx(2)
    assert sub.series[-1] == 12 and sub.series[:-1] == [2] * 12
    assert sub.status == HotSpotAlert.Status.NEW


def test_a_serial_filers_twenty_copies_are_no_alert(roof):
    place = district()
    baseline(topic=roof, place=place)
    file(20, day=WEEK, topic=roof, place=place, citizen=CitizenFactory())

    hot_spots_compute(today=TODAY)

    assert not HotSpotAlert.objects.exists()
    assert Appeal.objects.filter(registered_at__gte=at(WEEK, 0)).count() == 20


def test_appeals_without_a_citizen_count_each(roof):
    place = district()
    baseline(topic=roof, place=place)
    file(12, day=WEEK, topic=roof, place=place)
    Appeal.objects.filter(registered_at__gte=at(WEEK, 0)).update(citizen=None)

    hot_spots_compute(today=TODAY)

    assert HotSpotAlert.objects.get(topic=roof).count == 12


def test_a_second_run_keeps_the_decision_and_refreshes_the_numbers(spike, roof, committee):
    alert = HotSpotAlert.objects.get(topic=roof)
    hot_spot_decide(scope=_scope(committee), user=committee, alert_id=alert.pk,
                    status="confirmed", note="Крыши после ливня")  # fmt: skip
    file(3, day=WEEK + timedelta(days=1), topic=roof, place=spike)

    hot_spots_compute(today=TODAY)

    alert.refresh_from_db()
    assert alert.status == "confirmed" and alert.note == "Крыши после ливня"
    assert alert.count == 15
    assert HotSpotAlert.objects.count() == 2


def _scope(user):
    from deputies.access import scope_for

    return scope_for(user)


# --- pages -----------------------------------------------------------------------

ROLES_LIST = {
    "anonymous": 302,
    "citizen": 404,
    "deputy": 404,
    "committee": 200,
    "other_committee": 200,  # their own region's list, without this alert
    "federal": 200,
    "admin_user": 200,  # an administrator sees what federal staff see
}


@pytest.mark.parametrize(("role", "status"), ROLES_LIST.items())
def test_the_alert_list_for_every_role(client, request, spike, role, status):
    login(client, role, request)
    response = client.get(reverse("ratings:hot_spots"))
    assert response.status_code == status
    if status == 200:
        shown = "Юго-Западный административный округ" in response.content.decode()
        assert shown == (role != "other_committee")


ROLES_DETAIL = {
    "anonymous": 302,
    "citizen": 404,
    "other_citizen": 404,
    "deputy": 404,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,
    "federal": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "status"), ROLES_DETAIL.items())
def test_an_alert_and_its_appeals_for_every_role(client, request, spike, roof, role, status):
    alert = HotSpotAlert.objects.get(topic=roof)
    login(client, role, request)
    response = client.get(alert.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert page.count(">77-H-1123-") == 12  # the week's appeals, not the baseline's
        assert "один случай из 127\xa0200" in page  # 12 people where 2 is usual: p ≈ 7.9e-6
        assert ("hot-spot-decision-form" in page) == (role == "committee")


DECIDE = {
    "anonymous": 302,
    "citizen": 404,
    "deputy": 404,
    "committee": 302,
    "other_committee": 404,
    "federal": 403,  # reads every region's alerts; the region's committee decides
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "status"), DECIDE.items())
def test_confirming_or_dismissing_for_every_role(client, request, spike, roof, role, status):
    alert = HotSpotAlert.objects.get(topic=roof)
    login(client, role, request)
    response = client.post(alert.get_absolute_url(), {"status": "dismissed", "note": "Ремонт"})
    assert response.status_code == status
    alert.refresh_from_db()
    decided = role == "committee"
    assert (alert.status == "dismissed") == decided
    if decided:
        assert alert.note == "Ремонт" and alert.decided_by == request.getfixturevalue(role)
        assert alert.decided_at is not None


def test_small_counts_show_as_under_five(client, committee, roof):
    place = district()
    baseline(topic=roof, place=place, per_week=1)
    file(10, day=WEEK, topic=roof, place=place)
    hot_spots_compute(today=TODAY)
    client.force_login(committee)

    page = client.get(reverse("ratings:hot_spots")).content.decode()

    assert "&lt;5" in page  # the baseline of one person a week, and its weeks
    assert ">1<" not in page


def _alerts(n, *, region_code="77", week=WEEK, **fields):
    places = list(Municipality.objects.filter(region__code=region_code)[:n])
    topic = Topic.objects.get(slug="housing-roof")
    HotSpotAlert.objects.bulk_create(
        HotSpotAlert(region=p.region, municipality=p, topic=topic, week=week, count=12,
                     baseline=2.0, p_value=1e-6, score=6.0, series=[2] * 12 + [12], **fields)
        for p in places
    )  # fmt: skip


def test_the_alert_list_reads_the_same_statements_for_more_alerts(client, committee):
    client.force_login(committee)
    _alerts(2, decided_by=committee, status="confirmed")
    client.get(reverse("ratings:hot_spots"))  # the per-process region table, read once
    few = queries(client, reverse("ratings:hot_spots"))
    _alerts(10, week=WEEK - timedelta(weeks=1), decided_by=committee, status="dismissed")
    many = queries(client, reverse("ratings:hot_spots"))
    assert many.naming('"ratings_hotspotalert"') and HotSpotAlert.objects.count() == 12
    assert_same_count(few, many)


def test_federal_staff_filter_by_region(client, federal):
    _alerts(1)
    _alerts(1, region_code="78")
    client.force_login(federal)
    everyone = client.get(reverse("ratings:hot_spots")).content.decode()
    moscow = client.get(reverse("ratings:hot_spots"), {"region": "77"}).content.decode()
    assert everyone.count('class="card mb-2 hot-spot"') == 2
    assert moscow.count('class="card mb-2 hot-spot"') == 1


def test_the_menu_leads_a_committee_to_its_hot_spots(client, committee):
    client.force_login(committee)
    page = client.get(reverse("ratings:topic_analytics")).content.decode()
    assert reverse("ratings:hot_spots") in page


# --- the digest ------------------------------------------------------------------


def test_the_weekly_digest_lists_the_new_alert_to_the_regions_committee(
    spike, committee, other_committee
):
    colleague = CommitteeUserFactory(region_code="77", email="colleague@example.org")

    sent = hot_spots_digest()

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([committee.email, colleague.email])
    letter = mail.outbox[0]
    assert "Горячие точки недели" in letter.subject
    assert "Юго-Западный административный округ" in letter.body
    assert "Кровля" in letter.body
    alert = HotSpotAlert.objects.get(topic__slug="housing-roof")
    assert f"/ratings/hot-spots/{alert.pk}/" in letter.body
    # Run twice, sent once.
    assert hot_spots_digest() == 0


def test_the_digest_is_in_english_where_the_site_is(spike, committee, settings):
    settings.LANGUAGE_CODE = "en"
    hot_spots_digest()
    (letter,) = mail.outbox
    assert letter.subject.startswith("Hot spots of the week")
    assert "Roofs and leaks, week from 11/23/2026: 12 people, usually <5" in letter.body


def test_the_jobs_are_scheduled_daily_and_on_monday_and_run_through_celery(spike, committee):
    from django_celery_beat.models import PeriodicTask

    from ratings import tasks

    jobs = {job.task: job.crontab for job in PeriodicTask.objects.select_related("crontab")}
    assert jobs["ratings.hot_spots"].day_of_week == "*"
    assert jobs["ratings.hot_spots_digest"].day_of_week == "1"
    assert tasks.hot_spots.apply().get() in (0, 2)  # today's weeks (the spike's, or later)
    assert HotSpotAlert.objects.count() == 2
    assert tasks.hot_spots_digest.apply().get() == 1
    assert tasks.hot_spots_digest.apply().get() == 0


def test_the_odds_read_as_words():
    from ratings.hotspots.selectors import chance

    assert chance(0.0004) == "один случай из 2\xa0500"
    assert chance(1e-9) == "меньше одного случая на миллион"
