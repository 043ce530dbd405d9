"""The committee's pages: the queue, and a staff view of a citizen's contacts, which is
logged."""

import pytest
from django.urls import reverse

from tests.factories import AppealFactory
from tests.helpers import assert_same_count, queries, read_region_tables

pytestmark = pytest.mark.django_db


def test_committee_queue_queries_do_not_grow(client, committee):
    client.force_login(committee)
    AppealFactory.create_batch(2, deputy=None)
    read_region_tables()  # the region comes from the per-process table, as in service
    few = queries(client, reverse("appeals:committee_queue"))
    AppealFactory.create_batch(20, deputy=None)
    assert_same_count(few, queries(client, reverse("appeals:committee_queue")))


def test_staff_views_of_a_citizens_contacts_are_logged(client, citizen, committee, deputy):
    from rest_framework.test import APIClient

    from appeals.models import ContactAccessLog

    queued = AppealFactory(deputy=None, citizen=citizen)
    assigned = AppealFactory(deputy=deputy, citizen=citizen)
    client.force_login(committee)

    page = client.get(queued.get_absolute_url()).content.decode()
    assert citizen.email in page
    assert citizen.email not in client.get(assigned.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_authenticate(committee)
    assert api.get(f"/api/v1/appeals/{queued.number}/").json()["citizen"]["email"] == citizen.email

    log = sorted(ContactAccessLog.objects.values_list("user_id", "appeal_id", "via"))
    assert log == [(committee.pk, queued.pk, "api"), (committee.pk, queued.pk, "page")]

    # The deputy who answers sees the contacts as part of the work: not logged.
    client.force_login(deputy.user)
    assert citizen.email in client.get(assigned.get_absolute_url()).content.decode()
    assert ContactAccessLog.objects.count() == 2
