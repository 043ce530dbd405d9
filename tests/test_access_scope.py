"""The scope of a request is read through the user's own relations: once per request,
kept for the view, and following a change of membership at the next request."""

import pytest
from django.urls import reverse

from tests.helpers import queries

pytestmark = pytest.mark.django_db


@pytest.mark.perf_guard  # the request's scope is read once and kept for the view
def test_the_dashboard_reads_the_deputy_once(client, deputy):
    client.force_login(deputy.user)
    deputy_reads = queries(client, reverse("appeals:dashboard")).naming('FROM "deputies_deputy"')
    assert len(deputy_reads) == 1, deputy_reads


def test_a_committee_member_moved_out_of_the_region_loses_it_at_the_next_request(client, committee):
    client.force_login(committee)
    assert client.get(reverse("ratings:region_table")).status_code == 200
    committee.committee_membership.delete()
    assert client.get(reverse("ratings:region_table")).status_code == 404
