import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import User
from appeals.models import Appeal, AppealEvent, AppealNumberSequence, Message
from demo.seeder import consistency_problems
from deputies.models import Deputy, District, Municipality
from feedback.models import Feedback

pytestmark = pytest.mark.django_db

SMALL = {"deputies": 120, "appeals": 1500, "seed": 7, "today": "2026-11-23", "verbosity": 0}


def snapshot():
    return list(
        Appeal.objects.order_by("number").values_list(
            "number", "status", "deputy__full_name", "citizen__email", "deadline"
        )
    )


def test_a_small_seed_creates_consistent_data_in_every_state():
    call_command("seed_demo", **SMALL)

    assert Deputy.objects.count() == 120
    assert Appeal.objects.count() == 1500
    assert consistency_problems() == []
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert statuses == set(Appeal.Status.values)
    # Every appeal has its history, answered ones their answer, some are rated.
    assert AppealEvent.objects.filter(type="registered").count() == 1500
    answered = Appeal.objects.filter(status__in=["answered", "closed"]).count()
    assert Message.objects.filter(kind="answer").count() == answered
    assert 0 < Feedback.objects.count() < answered
    # Demo logins exist for every role.
    for email, role in [
        ("citizen@demo.test", "citizen"),
        ("deputy@demo.test", "deputy"),
        ("committee@demo.test", "committee"),
        ("federal@demo.test", "federal"),
        ("admin@demo.test", "admin"),
    ]:
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password("demo-password-2026")


def test_every_region_has_deputies_real_places_and_a_quiet_one_fills_the_committee_queue():
    call_command("seed_demo", **SMALL)

    assert not Deputy.objects.values("region").annotate(n=Count("pk")).filter(n=0).exists()
    assert Deputy.objects.values("region").distinct().count() == 89
    unassigned = Appeal.objects.filter(deputy__isnull=True)
    assert unassigned.filter(region__code="87").exists()
    # An appeal waits in the queue only where no deputy accepts appeals.
    accepting = set(Deputy.objects.accepting().values_list("region_id", flat=True))
    assert not unassigned.filter(region_id__in=accepting).exists()
    # Its committee can clear the queue: the region's deputies have working accounts,
    # they just take no appeals automatically.
    assert User.objects.filter(email="committee-87@demo.test", role="committee").exists()
    quiet = Deputy.objects.filter(region__code="87")
    assert quiet.able_to_act().exists()
    assert not quiet.filter(accepts_appeals=True).exists()

    # Appeals come from the smallest real places; districts cover St Petersburg's 18.
    used = Municipality.objects.filter(appeals__isnull=False).distinct()
    assert not used.filter(children__isnull=False).exists()
    assert used.filter(region__code="78", kind="intracity").exists()
    spb = District.objects.filter(body__region__code="78")
    covered = Municipality.objects.filter(districts__in=spb)
    assert set(covered.values_list("kind", flat=True)) == {"district"}
    assert covered.count() == 18


def test_numbers_follow_the_region_and_year_and_the_sequence_continues_after_them():
    call_command("seed_demo", **SMALL)

    appeal = Appeal.objects.select_related("region").order_by("registered_at").first()
    assert appeal.number.startswith(f"{appeal.region.code}-{appeal.registered_at.year}-")
    for seq in AppealNumberSequence.objects.select_related("region"):
        prefix = f"{seq.region.code}-{seq.year}-"
        last = Appeal.objects.filter(number__startswith=prefix).order_by("-number").first()
        assert last.number == f"{prefix}{seq.last:06d}"


def test_the_same_seed_gives_the_same_data():
    call_command("seed_demo", **SMALL)
    first = snapshot()
    call_command("seed_demo", flush=True, **SMALL)
    assert snapshot() == first
    call_command("seed_demo", flush=True, **{**SMALL, "seed": 8})
    assert snapshot() != first


def test_seeding_twice_without_flush_is_refused_and_if_empty_is_a_no_op():
    call_command("seed_demo", **SMALL)
    with pytest.raises(CommandError):
        call_command("seed_demo", **SMALL)
    call_command("seed_demo", if_empty=True, **SMALL)
    assert Appeal.objects.count() == 1500


def test_deputy_open_counters_match_the_appeals():
    call_command("seed_demo", **SMALL)
    deputy = Deputy.objects.order_by("-open_appeals").first()
    assert deputy.open_appeals == deputy.appeals.filter(status__in=Appeal.OPEN_STATUSES).count()
    assert deputy.open_appeals > 0


def test_the_consistency_check_notices_broken_data():
    call_command("seed_demo", **SMALL)
    appeal = Appeal.objects.filter(deputy__isnull=False).first()
    stranger = Deputy.objects.exclude(region=appeal.region).first()
    Appeal.objects.filter(pk=appeal.pk).update(deputy=stranger)
    Deputy.objects.filter(pk=stranger.pk).update(open_appeals=999)

    problems = consistency_problems()
    assert "appeal routed to a deputy of another region" in problems
    assert "deputy open-appeal counter out of date" in problems
