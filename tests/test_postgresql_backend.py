"""config.postgresql: the connection health check at most once a second, and a
connection that died is still replaced."""

import time

import psycopg2
import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.services


def _as_at_a_request_start(idle: float):
    """What Django does when a request starts, `idle` seconds after the last check."""
    connection.health_check_done = False
    connection.health_checked_at = time.monotonic() - idle


def _query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


@pytest.fixture
def checks(postgres, monkeypatch):
    made = []
    is_usable = postgres.is_usable
    monkeypatch.setattr(postgres, "is_usable", lambda: made.append(1) or is_usable())
    return made


def test_a_busy_connection_is_checked_once_a_second_not_at_every_request(checks):
    _as_at_a_request_start(idle=5)
    _query()
    assert len(checks) == 1
    for _ in range(3):  # requests right after it
        connection.health_check_done = False
        _query()
    assert len(checks) == 1
    _as_at_a_request_start(idle=1.5)
    _query()
    assert len(checks) == 2


def _kill_this_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    settings = connection.get_connection_params()
    other = psycopg2.connect(**settings)
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_that_died_while_idle_is_replaced_before_it_is_used(postgres):
    _kill_this_connection()
    _as_at_a_request_start(idle=5)
    assert _query() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_that_died_within_the_second_fails_once_then_is_replaced(postgres):
    _kill_this_connection()
    _as_at_a_request_start(idle=0.1)
    with pytest.raises(OperationalError):
        _query()  # the site answers this request 503
    connection.close_if_unusable_or_obsolete()  # at the request's end
    _as_at_a_request_start(idle=0.1)
    assert _query() == 1
