"""A formula version previewed before it counts, and taking effect from its day."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from ratings import services
from ratings.models import RatingFormula
from tests.factories import DeputyFactory, UserFactory
from tests.helpers import ROLES, login

from .test_recompute import NOW, appeal, rate

pytestmark = pytest.mark.django_db

# (answered on day … of 30, overall and personal mark, solved) of each deputy's ten
# appeals, each rated by its own citizen: by speed A > B > C > D, by quality B > C > A > D.
PROFILES = {
    "A": (1, 3, "partly"),
    "B": (3, 5, "yes"),
    "C": (6, 4, "yes"),
    "D": (9, 2, "no"),
}


@pytest.fixture
def versions():
    """Version 2 (speed alone) is in effect; version 3 (quality alone) waits a week."""
    in_effect = RatingFormula.objects.create(
        version=2, weight_speed=Decimal("1"), weight_quality=Decimal("0")
    )
    waiting = RatingFormula.objects.create(
        version=3,
        weight_speed=Decimal("0"),
        weight_quality=Decimal("1"),
        effective_from=timezone.localdate() + timedelta(days=7),
    )
    return in_effect, waiting


@pytest.fixture
def four(deputy):
    deputies = {"A": deputy}
    for name in "BCD":
        deputies[name] = DeputyFactory(region_code="77")
    for name, (day, mark, solved) in PROFILES.items():
        for _ in range(10):
            rate(
                appeal(deputies[name], answered_on=day), overall=mark, solved=solved, personal=mark
            )
    return deputies


def test_the_what_if_gives_each_deputys_shift_and_kendalls_tau(versions, four):
    in_effect, waiting = versions

    preview = services.formula_preview(candidate=waiting, region_id=four["A"].region_id, now=NOW)

    assert preview.current == in_effect  # the version in effect, not the newest
    ranks = {row.deputy_id: (row.rank_now, row.rank_new, row.shift) for row in preview.rows}
    by_name = {name: ranks[deputy.pk] for name, deputy in four.items()}
    assert by_name == {"A": (1, 3, -2), "B": (2, 1, 1), "C": (3, 2, 1), "D": (4, 4, 0)}
    # By hand: of the six pairs, A–B and A–C swap, the other four keep their order.
    concordant, discordant = 4, 2
    assert preview.tau == pytest.approx((concordant - discordant) / 6)
    assert [row.deputy_id for row in preview.movers] == [four[n].pk for n in "ABC"]
    assert [row.deputy_id for row in preview.rows][:3] == [four[n].pk for n in "BCA"]


def test_a_version_counts_from_its_day_and_the_run_names_it(versions, four):
    in_effect, waiting = versions
    before = services.ratings_recompute(now=NOW)
    noon = datetime.combine(waiting.effective_from, time(12))
    after = services.ratings_recompute(now=timezone.make_aware(noon))

    assert before.formula == in_effect
    assert after.formula == waiting
    assert set(after.snapshots.values_list("formula_id", flat=True)) == {waiting.pk}


PREVIEW_STATUS = {
    "anonymous": 302,
    "citizen": 404,
    "other_citizen": 404,
    "deputy": 404,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,  # asks for Moscow, not its own region
    "federal": 200,
}


@pytest.fixture
def operator():
    return UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("role", [*ROLES, "operator"])
def test_the_preview_page_for_every_role(client, role, request, versions, four):
    login(client, role, request)
    response = client.get(reverse("ratings:formula_preview"), {"region": "77"})

    assert response.status_code == PREVIEW_STATUS.get(role, 200)
    if response.status_code == 200:
        preview = response.context["preview"]
        assert preview.candidate.version == 3  # the version that waits, by default
        assert 'id="preview-tau">0,333<' in response.content.decode()


def test_a_committee_previews_its_own_region_without_naming_it(client, other_committee, versions):
    client.force_login(other_committee)
    response = client.get(reverse("ratings:formula_preview"))
    assert response.context["region"].code == "78"


# --- the admin ---------------------------------------------------------------------


def formula_form(**overrides):
    return {
        "version": 4,
        "window_days": 365,
        "weight_speed": "0.6",
        "weight_quality": "0.4",
        "prior_speed": 10,
        "prior_quality": 10,
        "min_sample": 10,
        "note": "",
        "effective_from": (timezone.localdate() + timedelta(days=1)).isoformat(),
        **overrides,
    }


def test_the_admin_refuses_weights_of_0_7_and_0_7_saying_why(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("admin:ratings_ratingformula_add"),
        formula_form(weight_speed="0.7", weight_quality="0.7"),
    )

    assert response.status_code == 200
    assert not RatingFormula.objects.filter(version=4).exists()
    assert "в сумме должны давать 1" in str(response.context["adminform"].form.non_field_errors())


def test_the_admin_refuses_a_version_reaching_into_the_past_and_one_without_a_day(client, operator):
    client.force_login(operator)
    url = reverse("admin:ratings_ratingformula_add")
    past = client.post(url, formula_form(effective_from=date(2020, 1, 1).isoformat()))
    undated = client.post(url, formula_form(effective_from=""))
    saved = client.post(url, formula_form())

    assert "effective_from" in past.context["adminform"].form.errors
    assert "effective_from" in undated.context["adminform"].form.errors
    assert saved.status_code == 302
    assert RatingFormula.objects.get(version=4).effective_from > timezone.localdate()


def test_federal_staff_first_choose_a_region_and_nothing_waiting_is_said(
    client, federal, committee
):
    client.force_login(federal)
    chooser = client.get(reverse("ratings:formula_preview"))
    client.force_login(committee)
    nothing = client.get(reverse("ratings:formula_preview"))

    assert chooser.context["preview"] is None
    assert 'id="preview-region"' in chooser.content.decode()
    assert "Нет версий, которые ждут вступления в силу." in nothing.content.decode()
