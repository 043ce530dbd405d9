"""Helpers shared by the page and API tests."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A valid API filing in Moscow (region 77), where the `deputy` fixture sits.
API_FILING = {"region": "77", "topic": "roads", "subject": "Яма", "text": "Яма во дворе",
              "consent": True}  # fmt: skip

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


def queries(client, url, params=None):
    """Number of statements a GET runs, and their SQL for the failure message."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), "\n".join(q["sql"] for q in ctx.captured_queries)


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
