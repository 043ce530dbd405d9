"""Helpers shared by the page and API tests."""

import time
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

# A valid API filing in Moscow (region 77), where the `deputy` fixture sits.
API_FILING = {"region": "77", "topic": "roads", "subject": "Яма", "text": "Яма во дворе",
              "consent": True}  # fmt: skip


def error_fields(response) -> set[str]:
    """The fields a 400 problem-details answer names (core/api/problems.py)."""
    assert response["Content-Type"] == "application/problem+json"
    return {error["attr"] for error in response.json()["errors"]}


ROLES = [
    "anonymous",
    "citizen",
    "other_citizen",
    "deputy",
    "other_deputy",
    "committee",
    "other_committee",
    "federal",
]


def person(role, request):
    """The account of a role fixture (a deputy fixture is a Deputy; its account is .user)."""
    found = request.getfixturevalue(role)
    return getattr(found, "user", found)


def login(client, role, request):
    if role != "anonymous":
        client.force_login(person(role, request))


class Statements:
    """The SQL statements a block ran. `len()` counts them; `fragment in statements` looks
    inside each one's text; printed, they are numbered one per line."""

    def __init__(self, sql=()):
        self.sql = list(sql)

    def __len__(self):
        return len(self.sql)

    def __iter__(self):
        return iter(self.sql)

    def __contains__(self, fragment):
        return any(fragment in statement for statement in self.sql)

    def naming(self, fragment):
        """The statements whose text holds `fragment` (a quoted table name, say)."""
        return [statement for statement in self.sql if fragment in statement]

    def __str__(self):
        return "\n".join(f"{n}. {statement}" for n, statement in enumerate(self.sql, 1))

    __repr__ = __str__  # so a failed `assert ... in statements` shows the SQL


@contextmanager
def captured_queries():
    """The statements run inside the block, filled in when it ends."""
    statements = Statements()
    with CaptureQueriesContext(connection) as ctx:
        yield statements
    statements.sql = [query["sql"] for query in ctx.captured_queries]


def queries(client, url, params=None, *, cold=True):
    """The statements a GET of `url` runs, by default with the cache empty (every cached
    fragment and count read again, so both runs of a comparison do the same); it must
    answer 200."""
    if cold:
        cache.clear()
    with captured_queries() as statements:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return statements


def assert_same_count(few, many):
    """A list must not read more statements for more rows (STYLE: build N rows, count,
    build more, count again). On failure both runs' SQL is shown, to find the extra one."""
    __tracebackhide__ = True
    if len(few) != len(many):
        pytest.fail(
            f"{len(few)} statements for few rows, {len(many)} for many.\n"
            f"--- few rows:\n{few}\n--- many rows:\n{many}"
        )


def wait_until(predicate, timeout, what):
    """Poll `predicate` until it returns something true (which is returned), or fail
    after `timeout` seconds naming `what` was awaited. For effects of other processes
    (a worker's run, a relayed outbox row); the poll is short so the wait is as well."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def raw_connection():
    """A second connection to the test database, outside Django: another process's view."""
    import psycopg2

    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )


@contextmanager
def recompute_lock_held_elsewhere():
    """On PostgreSQL a live run is one whose connection holds the advisory lock."""
    from ratings.services import RUN_LOCK_KEY

    if connection.vendor != "postgresql":
        yield
        return
    other = raw_connection()
    try:
        other.cursor().execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_KEY])
        yield
    finally:
        other.close()


def read_region_tables():
    """Read the per-process region tables (core.reference), as a process in service
    has within the minute; saving a region in a test clears them."""
    from deputies.selectors import regions_by_code, regions_by_id

    regions_by_code()
    regions_by_id()


def token_for(user, name="tests") -> str:
    """A new API token's key for `user`, made by the service the API and profile use."""
    from accounts.tokens import api_token_create

    return api_token_create(user=user, name=name)[1]


def token_api(user, name="tests"):
    """An APIClient that sends a new token of `user`."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, name)}")
    return client
