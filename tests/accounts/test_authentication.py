"""A signed-in request reads its user together with their deputy or committee row,
and still follows a change of that row at the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _sql(call):
    with CaptureQueriesContext(connection) as ctx:
        assert call().status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_deputys_page_reads_the_user_and_the_deputy_in_one_query(client, deputy):
    client.force_login(deputy.user)
    sql = [s for s in _sql(lambda: client.get(reverse("consent"))) if "django_session" not in s]
    assert len(sql) == 1, sql
    assert '"deputies_deputy"' in sql[0] and '"deputies_committeemembership"' in sql[0]


def test_a_token_call_reads_the_token_user_and_role_in_one_query(committee):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=committee).key}")
    sql = _sql(lambda: api.get(reverse("api:region-list")))
    assert sum('"deputies_committeemembership"' in s for s in sql) == 1, sql


def test_a_committee_member_moved_out_of_the_region_loses_it_at_the_next_request(client, committee):
    client.force_login(committee)
    assert client.get(reverse("ratings:region_table")).status_code == 200
    committee.committee_membership.delete()
    assert client.get(reverse("ratings:region_table")).status_code == 404
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get(reverse("api:region-list")).status_code == 401
