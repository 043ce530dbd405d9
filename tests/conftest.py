import os
import time

import django.test
import pytest
from django.http import HttpRequest

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


def authenticator_for(user):
    """The account's confirmed authenticator app, set up now if it has none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device, *, fresh=True):
    """The code the app shows now; `fresh`: one the device has not accepted yet (the next
    time step's, which it also accepts), so two sign-ins within 30 s both pass."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if fresh and totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


class Client(django.test.Client):
    """Django's test client, but `force_login` signs staff in as after the code step: the
    account gets an authenticator app if it has none, and the session is marked verified
    through django-otp's own `login`, as the code step does. Tests of the code step itself
    use django.test.Client."""

    def _login(self, user, backend=None):
        super()._login(user, backend)
        from accounts.otp import second_factor_required

        if second_factor_required(user):
            from django_otp import login as otp_login

            request = HttpRequest()
            request.session, request.user = self.session, user
            otp_login(request, authenticator_for(user))
            request.session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's, signed in verified like `client`."""
    client = Client()
    client.force_login(admin_user)
    return client


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
    from importlib import import_module

    from django.apps import apps

    from appeals.topics import load_tree
    from deputies.data.loader import load_places, load_regions

    load_regions(apps)
    load_places(apps)
    load_tree(apps)
    shipped = import_module("appeals.migrations.0010_search").SYNONYMS
    Synonym = apps.get_model("appeals", "Synonym")
    Synonym.objects.bulk_create(
        [Synonym(word=a, synonym=b) for a, b in shipped], ignore_conflicts=True
    )
