"""A PostgreSQL connection that died between two requests is replaced before the next
request uses it (Django's CONN_HEALTH_CHECKS), however soon the request comes."""

import psycopg2
import pytest
from django.db import connection

pytestmark = pytest.mark.services


def _query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def _kill_this_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_that_died_just_after_a_request_is_replaced_at_the_next(postgres):
    _query()
    connection.close_at = None  # kept between requests, as in production (CONN_MAX_AGE)
    connection.close_if_unusable_or_obsolete()  # a request a moment ago
    _query()
    _kill_this_connection()  # PostgreSQL restarted
    connection.close_if_unusable_or_obsolete()  # the next request starts
    assert _query() == 1  # no 503 for this request
