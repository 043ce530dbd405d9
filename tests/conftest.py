import os

import pytest

from accounts.models import User

from .factories import (
    AppealFactory,
    CitizenFactory,
    CommitteeUserFactory,
    DeputyFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle histories and pending-recompute marks must not leak between tests.
    from django.core.cache import cache

    from core import reference

    cache.clear()
    reference.clear()  # rows of a rolled-back test must not be found in the next


@pytest.fixture
def citizen(db):
    return CitizenFactory(email="citizen@example.org")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(email="other.citizen@example.org")


@pytest.fixture
def api(citizen):
    """The API as the `citizen` fixture, signed in."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(citizen)
    return client


@pytest.fixture
def deputy(db):
    return DeputyFactory(region_code="77", user__email="deputy@example.org")


@pytest.fixture
def other_deputy(db):
    return DeputyFactory(region_code="77", user__email="other.deputy@example.org")


@pytest.fixture
def committee(db):
    return CommitteeUserFactory(region_code="77", email="committee@example.org")


@pytest.fixture
def other_committee(db):
    return CommitteeUserFactory(region_code="78", email="committee.spb@example.org")


@pytest.fixture
def federal(db):
    return UserFactory(role=User.Role.FEDERAL, email="federal@example.org")


@pytest.fixture
def appeal(citizen, deputy):
    return AppealFactory(citizen=citizen, deputy=deputy)


def _need(what, available):
    """Skip locally when a service is missing; fail where the run says it must be there."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required in this run (REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def postgres(db):
    from django.db import connection

    _need("PostgreSQL", connection.vendor == "postgresql")
    return connection


@pytest.fixture
def redis_client(settings):
    import redis

    url = settings.REDIS_URL
    client = None
    if url:
        try:
            client = redis.Redis.from_url(url, socket_timeout=2)
            client.ping()
        except redis.RedisError:
            client = None
    _need("Redis (REDIS_URL)", client is not None)
    return client


@pytest.fixture
def reference_data(db):
    """Transactional tests may start after another one flushed the database."""
    from django.apps import apps

    from appeals.topics import load_topics
    from deputies.data.loader import load_regions

    load_regions(apps)
    load_topics(apps)
