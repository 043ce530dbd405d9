import pytest
from django.utils import timezone

from appeals import routing
from appeals.history import event_reason
from appeals.models import Appeal, AppealEvent
from deputies.models import Body, District, Municipality
from tests.factories import CitizenFactory, DeputyFactory
from tests.helpers import captured_queries

from .helpers import file_appeal

pytestmark = pytest.mark.django_db


def routed_reason(appeal):
    return event_reason(appeal.events.get(type__in=["routed", "queued"]), appeal)


def test_the_chosen_deputy_gets_the_appeal(citizen):
    DeputyFactory(region_code="77")
    chosen = DeputyFactory(region_code="77", full_name="Орлов Пётр Ильич")

    appeal = file_appeal(citizen, chosen_deputy=chosen)

    assert appeal.deputy == chosen
    assert appeal.status == Appeal.Status.ASSIGNED
    assert routed_reason(appeal) == "направлено депутату Орлову Петру Ильичу по выбору гражданина"


def test_the_district_deputy_gets_an_appeal_from_the_municipality(citizen):
    DeputyFactory(region_code="77")  # less busy, but not the district's
    district_deputy = DeputyFactory(region_code="77", open_appeals=5)
    place = Municipality.objects.create(region=district_deputy.region, name="Тверской район")
    district = District.objects.create(body=district_deputy.body, name="Округ № 1", number=1)
    district.municipalities.add(place)
    district_deputy.district = district
    district_deputy.save()

    appeal = file_appeal(citizen, municipality=place)

    assert appeal.deputy == district_deputy
    assert "Тверской район" in routed_reason(appeal)


def test_otherwise_the_least_loaded_deputy_ties_to_the_longest_unassigned(citizen):
    busy = DeputyFactory(region_code="77", open_appeals=3)
    first = DeputyFactory(region_code="77")
    second = DeputyFactory(region_code="77")

    appeals = [file_appeal(citizen) for _ in range(4)]

    # Both idle deputies take one each, in creation order (never assigned = longest ago),
    # then again each, before the busy one gets anything.
    assert [a.deputy for a in appeals] == [first, second, first, second]
    busy.refresh_from_db()
    assert busy.open_appeals == 3


def test_level_restricts_the_automatic_choice(citizen):
    DeputyFactory(region_code="16")
    council = Body.objects.get(region__code="16", level=Body.Level.MUNICIPAL)
    municipal = DeputyFactory(region_code="16", body=council, open_appeals=9)

    appeal = file_appeal(citizen, region_code="16", level=Body.Level.MUNICIPAL)

    assert appeal.deputy == municipal


def test_deputies_not_accepting_appeals_are_skipped(citizen):
    DeputyFactory(region_code="77", accepts_appeals=False)
    active = DeputyFactory(region_code="77", open_appeals=50)
    assert file_appeal(citizen).deputy == active


def test_without_an_active_deputy_the_appeal_waits_for_the_committee(citizen):
    DeputyFactory(region_code="87", accepts_appeals=False)

    appeal = file_appeal(citizen, region_code="87")

    assert appeal.deputy is None
    assert appeal.status == Appeal.Status.SUBMITTED
    assert AppealEvent.objects.filter(appeal=appeal, type="queued").exists()


def test_deputies_of_another_region_are_never_chosen(citizen):
    DeputyFactory(region_code="78")
    appeal = file_appeal(citizen, region_code="77")
    assert appeal.deputy is None


def test_open_counters_follow_the_appeals(citizen):
    deputy = DeputyFactory(region_code="77")
    file_appeal(citizen)
    file_appeal(CitizenFactory())
    deputy.refresh_from_db()
    assert deputy.open_appeals == 2
    assert deputy.last_assigned_at is not None


@pytest.mark.perf_guard  # routing reads and counts the deputy with one UPDATE … RETURNING
def test_the_automatic_choice_picks_and_counts_the_deputy_in_one_statement(citizen):
    """Routing runs on every filing: one statement reads and updates the deputies."""
    deputy = DeputyFactory(region_code="77")
    file_appeal(CitizenFactory())  # the region's number sequence exists

    with captured_queries() as sql:
        appeal = file_appeal(citizen)

    touching = sql.naming("deputies_deputy")
    assert len(touching) == 1, touching
    assert touching[0].lstrip().startswith("UPDATE")
    deputy.refresh_from_db()
    assert (appeal.deputy, deputy.open_appeals) == (deputy, 2)
    assert appeal.deputy.full_name == deputy.full_name


def test_a_deputy_whose_account_is_deactivated_gets_no_routed_appeals(citizen):
    gone = DeputyFactory(region_code="77", user__is_active=False)
    working = DeputyFactory(region_code="77", open_appeals=40)

    appeal = file_appeal(citizen)

    assert appeal.deputy == working
    gone.refresh_from_db()
    assert gone.open_appeals == 0


def test_a_deputy_linked_to_a_non_deputy_account_gets_no_routed_appeals(citizen):
    DeputyFactory(region_code="87", user__role="citizen")

    appeal = file_appeal(citizen, region_code="87")

    assert appeal.deputy is None
    assert AppealEvent.objects.filter(appeal=appeal, type="queued").exists()


def test_the_district_deputy_without_a_working_account_is_passed_over(citizen):
    district_deputy = DeputyFactory(region_code="77", user__is_active=False)
    place = Municipality.objects.create(region=district_deputy.region, name="Тверской район")
    district = District.objects.create(body=district_deputy.body, name="Округ № 1", number=1)
    district.municipalities.add(place)
    district_deputy.district = district
    district_deputy.save()
    other = DeputyFactory(region_code="77", open_appeals=7)

    appeal = file_appeal(citizen, municipality=place)

    assert appeal.deputy == other
    assert "Тверской район" not in routed_reason(appeal)


def test_a_chosen_deputy_deactivated_after_the_choice_is_routed_around(citizen):
    chosen = DeputyFactory(region_code="77")
    working = DeputyFactory(region_code="77", open_appeals=3)
    chosen.user.is_active = False
    chosen.user.save(update_fields=["is_active"])

    result = routing.route(
        now=timezone.now(), region_id=chosen.region_id, municipality=None, chosen=chosen
    )

    assert result.deputy == working
    chosen.refresh_from_db()
    assert chosen.open_appeals == 0
