"""The committee's queue says why each appeal waits and offers every deputy who can act."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from appeals.models import Appeal
from tests.factories import AppealFactory, CommitteeUserFactory, DeputyFactory, region

pytestmark = pytest.mark.django_db

QUEUE = "appeals:committee_queue"


@pytest.fixture
def quiet_region(client):
    """Region 87: its deputies have accounts but none takes appeals automatically."""
    committee = CommitteeUserFactory(region_code="87", email="committee-87@example.org")
    client.force_login(committee)
    return {
        "working": DeputyFactory(region_code="87", accepts_appeals=False, full_name="Тынель Анна"),
        "no_account": DeputyFactory(
            region_code="87", accepts_appeals=False, user=None, full_name="Кымыл Иван"
        ),
        "inactive": DeputyFactory(
            region_code="87",
            accepts_appeals=False,
            user__is_active=False,
            full_name="Ранаутагин Олег",
        ),
        "elsewhere": DeputyFactory(region_code="77", full_name="Орлов Пётр"),
    }


def test_the_queue_says_why_an_unassigned_appeal_waits_and_how_long(client, quiet_region):
    AppealFactory(deputy=None, region=region("87"), registered_at=timezone.now() - timedelta(2))

    response = client.get(reverse(QUEUE))

    [row] = response.context["page"].object_list
    assert (row.why, row.days_waiting, row.days_left) == (
        gettext("No deputy of the region accepts appeals"),
        2,
        5,
    )
    body = response.content.decode()
    assert row.why in body
    assert 'id="not-accepting-note"' in body


def test_the_queue_says_how_long_ago_the_deputy_s_deadline_passed(client, quiet_region):
    deputy = quiet_region["working"]
    AppealFactory(
        deputy=deputy,
        registered_at=timezone.now() - timedelta(days=33),
        deadline=timezone.localdate() - timedelta(days=3),
    )

    response = client.get(reverse(QUEUE))

    [row] = response.context["page"].object_list
    expected = ngettext(
        "The deputy's deadline passed %(days)s day ago",
        "The deputy's deadline passed %(days)s days ago",
        3,
    ) % {"days": 3}
    assert (row.why, row.days_waiting, row.days_left) == (expected, 3, 4)


def test_the_queue_offers_every_deputy_of_the_region_who_can_act(client, quiet_region):
    AppealFactory(deputy=None, region=region("87"))

    response = client.get(reverse(QUEUE))

    assert response.context["assignees"] == [quiet_region["working"]]
    body = response.content.decode()
    assert "Тынель Анна" in body
    assert all(name not in body for name in ["Кымыл Иван", "Ранаутагин Олег", "Орлов Пётр"])


def test_the_committee_assigns_from_the_queue_to_a_deputy_not_taking_appeals_automatically(
    client, quiet_region
):
    appeal = AppealFactory(deputy=None, region=region("87"))
    deputy = quiet_region["working"]

    response = client.post(
        reverse(QUEUE), {"appeal": appeal.number, "deputy": deputy.pk}, follow=True
    )

    appeal.refresh_from_db()
    assert (appeal.deputy, appeal.status) == (deputy, Appeal.Status.ASSIGNED)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert appeal.number in response.content.decode()  # in the message
    assert not response.context["page"].object_list  # the queue is clear


@pytest.mark.parametrize("who", ["no_account", "inactive", "elsewhere"])
def test_the_committee_cannot_assign_to_a_deputy_who_cannot_act(client, quiet_region, who):
    appeal = AppealFactory(deputy=None, region=region("87"))

    response = client.post(
        reverse(QUEUE), {"appeal": appeal.number, "deputy": quiet_region[who].pk}, follow=True
    )

    appeal.refresh_from_db()
    assert appeal.deputy is None
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_committee_cannot_assign_another_region_s_appeal(client, quiet_region):
    other = AppealFactory(deputy=None, region=region("77"))

    response = client.post(
        reverse(QUEUE), {"appeal": other.number, "deputy": quiet_region["working"].pk}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.deputy is None


@pytest.mark.parametrize("role", ["citizen", "deputy", "federal"])
def test_only_a_committee_uses_the_queue(client, role):
    users = {
        "citizen": lambda: User.objects.create_user("c@example.org", "x", role="citizen"),
        "deputy": lambda: DeputyFactory(region_code="87").user,
        "federal": lambda: User.objects.create_user("f@example.org", "x", role="federal"),
    }
    client.force_login(users[role]())

    assert client.get(reverse(QUEUE)).status_code == 404
    assert client.post(reverse(QUEUE), {"appeal": "x", "deputy": "1"}).status_code == 404


def test_an_appeal_filed_before_a_deputy_began_accepting_says_so(client, quiet_region):
    AppealFactory(deputy=None, region=region("87"))
    DeputyFactory(region_code="87", full_name="Новый Депутат")  # accepts appeals from now on

    response = client.get(reverse(QUEUE))

    [row] = response.context["page"].object_list
    assert row.why == gettext("No deputy of the region accepted appeals when it was filed")
    assert [d.full_name for d in response.context["assignees"]] == ["Новый Депутат", "Тынель Анна"]


def test_the_appeal_page_offers_the_committee_the_same_deputies(client, quiet_region):
    appeal = AppealFactory(deputy=None, region=region("87"))
    deputy = quiet_region["working"]

    page = client.get(appeal.get_absolute_url())
    choices = list(page.context["assign_form"].fields["deputy"].queryset)
    response = client.post(
        reverse("appeals:appeal_assign", args=[appeal.number]), {"deputy": deputy.pk}
    )

    assert choices == [deputy]
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.deputy == deputy


def test_a_deputy_redirects_only_to_deputies_who_take_appeals(client):
    holder = DeputyFactory(region_code="87")
    DeputyFactory(region_code="87", accepts_appeals=False, full_name="Тынель Анна")
    taker = DeputyFactory(region_code="87")
    appeal = AppealFactory(deputy=holder)
    client.force_login(holder.user)

    page = client.get(appeal.get_absolute_url())

    assert list(page.context["redirect_form"].fields["deputy"].queryset) == [taker]
