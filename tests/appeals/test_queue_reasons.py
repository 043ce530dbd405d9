"""The committee's queue on the design system: what the data tells of why an overdue
appeal waits, the committee's own figures as cards, the assign control for each
appeal, a constant number of queries, and federal staff reading any region's queue
without assigning."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from appeals import events
from appeals.models import Appeal
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory, region
from tests.helpers import assert_same_count, queries, read_region_tables

pytestmark = pytest.mark.django_db

QUEUE = "appeals:committee_queue"


def overdue(deputy, days=3, **kwargs):
    return AppealFactory(
        deputy=deputy,
        registered_at=timezone.now() - timedelta(days=30 + days),
        deadline=timezone.localdate() - timedelta(days=days),
        **kwargs,
    )


def row_of(response, appeal):
    [row] = [row for row in response.context["page"].object_list if row.appeal.pk == appeal.pk]
    return row


def test_the_queue_says_when_the_deputys_account_is_inactive(client, committee):
    deputy = DeputyFactory(region_code="77", user__is_active=False)
    appeal = overdue(deputy)
    client.force_login(committee)

    row = row_of(client.get(reverse(QUEUE)), appeal)

    assert row.details == [gettext("The deputy's account is inactive: nobody reads the appeal.")]
    assert row.why == ngettext(
        "The deputy's deadline passed %(days)s day ago",
        "The deputy's deadline passed %(days)s days ago",
        3,
    ) % {"days": 3}


def test_the_queue_says_the_deputy_no_longer_takes_appeals(client, committee):
    appeal = overdue(DeputyFactory(region_code="77", accepts_appeals=False))
    client.force_login(committee)

    row = row_of(client.get(reverse(QUEUE)), appeal)

    assert row.details == [gettext("The deputy no longer takes appeals.")]


def test_the_queue_tells_redirects_extension_and_an_earlier_reassignment(
    client, committee, deputy, other_deputy
):
    appeal = overdue(deputy, extended_days=10, missed_by=other_deputy)
    for _ in range(2):
        events.redirected(
            appeal, actor=None, reason="Округ коллеги", from_deputy_id=other_deputy.pk,
            from_status="assigned",
        )  # fmt: skip
    plain = overdue(deputy)
    client.force_login(committee)

    response = client.get(reverse(QUEUE))

    assert row_of(response, appeal).details == [
        gettext("Already reassigned once after a missed deadline: the deputy had 7 days."),
        ngettext("Redirected %(count)s time.", "Redirected %(count)s times.", 2) % {"count": 2},
        ngettext(
            "The deadline was extended by %(days)s day.",
            "The deadline was extended by %(days)s days.",
            10,
        )
        % {"days": 10},
    ]
    assert row_of(response, plain).details == []
    body = response.content.decode()
    assert "Перенаправлялось 2 раза." in body
    assert "Срок продлевался на 10 дней." in body


def test_the_queue_marks_what_waits_past_the_committees_7_days(client, committee, deputy):
    late = AppealFactory(deputy=None, registered_at=timezone.now() - timedelta(days=9))
    fresh = AppealFactory(deputy=None, registered_at=timezone.now() - timedelta(days=2))
    client.force_login(committee)

    response = client.get(reverse(QUEUE))

    assert row_of(response, late).past_due and not row_of(response, fresh).past_due
    body = response.content.decode()
    assert body.count("queue-item-late") == 1
    assert "дольше 7 дней" in body
    assert "В очереди 9 дней" in body and "осталось 5 дней" in body


def test_the_committees_own_figures_stand_as_cards(client, committee, deputy):
    AppealFactory(deputy=None, registered_at=timezone.now() - timedelta(days=9))
    AppealFactory(deputy=None, registered_at=timezone.now() - timedelta(days=1))
    overdue(deputy)
    client.force_login(committee)

    response = client.get(reverse(QUEUE))

    figures = response.context["figures"]
    assert (figures.waiting, figures.waiting_past_due, figures.median_days) == (2, 1, 5)
    body = response.content.decode()
    cards = body[body.index('id="queue-figures"') : body.index("</section>")]
    assert 'id="queue-total">3<' in cards
    assert 'id="queue-waiting-late">1<' in cards
    assert 'id="queue-median">5<' in cards
    assert "stat-card-alert" in cards


def test_every_appeal_has_its_own_labelled_assign_control(client, committee, deputy):
    first = AppealFactory(deputy=None)
    second = overdue(deputy)
    client.force_login(committee)

    body = client.get(reverse(QUEUE)).content.decode()

    for appeal in (first, second):
        assert f'<label class="form-label" for="assign-{appeal.pk}">' in body
        assert f'id="assign-{appeal.pk}" class="form-select"' in body
    # An overdue appeal is not offered back to the deputy who missed it.
    form = body[body.index(f'id="assign-{second.pk}"') :]
    assert f'value="{deputy.pk}"' not in form[: form.index("</select>")]


def test_the_queue_reads_as_many_statements_for_3_appeals_as_for_30(client, committee):
    def pile(n):
        for index in range(n):
            holder = DeputyFactory(region_code="77", user__is_active=bool(index % 2))
            appeal = overdue(holder, citizen=CitizenFactory(), extended_days=index % 3)
            events.redirected(
                appeal, actor=None, reason="—", from_deputy_id=holder.pk, from_status="assigned"
            )
            AppealFactory(deputy=None, citizen=CitizenFactory())

    client.force_login(committee)
    pile(2)
    read_region_tables()
    few = queries(client, reverse(QUEUE))
    pile(15)
    assert_same_count(few, queries(client, reverse(QUEUE)))


@pytest.fixture
def federal_user(db):
    return User.objects.create_user("federal.queue@example.org", "x", role="federal")


def test_federal_staff_read_any_regions_queue_without_assigning(client, federal_user):
    waiting = AppealFactory(deputy=None, region=region("87"))
    client.force_login(federal_user)

    response = client.get(reverse(QUEUE), {"region": "87"})

    assert response.status_code == 200
    assert [row.appeal for row in response.context["page"].object_list] == [waiting]
    body = response.content.decode()
    assert 'id="read-only-note"' in body
    assert 'name="deputy"' not in body and "csrfmiddlewaretoken" not in body.split("<main")[1]
    assert f"{reverse('ratings:region_table')}?region=87" in body
    assert f"{reverse('ratings:topic_analytics')}?region=87" in body
    # Without a region there is nothing to show; assigning stays the committee's.
    assert client.get(reverse(QUEUE)).status_code == 404
    assert client.get(reverse(QUEUE), {"region": "00"}).status_code == 404
    post = client.post(reverse(QUEUE), {"appeal": waiting.number, "deputy": "1"})
    assert post.status_code == 404
    assert Appeal.objects.get(pk=waiting.pk).deputy is None


@pytest.mark.parametrize("role", ["committee", "deputy", "citizen"])
def test_nobody_else_reads_another_regions_queue(client, role, committee, deputy, citizen):
    client.force_login({"committee": committee, "deputy": deputy.user, "citizen": citizen}[role])
    assert client.get(reverse(QUEUE), {"region": "87"}).status_code == 404
