"""Signed-in people for the bench scripts, as the sign-in would make them but without
paying the deliberately slow password hash, and the appeals citizens file. Import after
`django.setup()`."""

import json
import random
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from accounts.otp import second_factor_required
from accounts.tokens import api_token_digest
from appeals.models import Topic
from bench.server import HTTPS
from deputies.models import Region


def filing_citizens():
    """Citizens the site lets file: active, named, e-mail confirmed."""
    return (
        User.objects.filter(role=User.Role.CITIZEN, is_active=True, full_name__gt="")
        .exclude(email_confirmed_at=None)
        .order_by("pk")
    )


BENCH_TOKEN_NAME = "bench"  # noqa: S105 (a name, not a secret)


def tokens_for(users) -> dict[int, str]:
    """A new API token for each user, named "bench", replacing the last run's: only a
    digest is kept, so a key cannot be read back. Two statements for any number."""
    ids = {user.pk for user in users}
    ApiToken.objects.filter(user_id__in=ids, name=BENCH_TOKEN_NAME).delete()
    now = timezone.now()
    keys = {pk: secrets.token_urlsafe(32) for pk in ids}
    ApiToken.objects.bulk_create(
        ApiToken(user_id=pk, name=BENCH_TOKEN_NAME, digest=api_token_digest(key), created=now,
                 expires=now + timedelta(days=30))
        for pk, key in keys.items()
    )  # fmt: skip
    return keys


def session_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor_required(user):
        # As after the code step: django-otp keeps the verifying device in the session.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


class Filings:
    """Valid API filings by 200 citizens who may file, the same sequence for a seed."""

    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.tokens = list(tokens_for(filing_citizens()[:200]).values())
        self.regions = list(Region.objects.values_list("code", flat=True))
        self.topics = list(Topic.objects.filter(is_active=True).values_list("slug", flat=True))

    def next(self) -> tuple[str, str]:
        """The next filing: its author's token and its JSON body."""
        body = {
            "region": self.rng.choice(self.regions),
            "topic": self.rng.choice(self.topics),
            "subject": "Нагрузочный тест: яма во дворе",
            "text": "Прошу отремонтировать асфальт во дворе дома 12, яма уже полгода.",
            "consent": True,
        }
        return self.rng.choice(self.tokens), json.dumps(body)

    @staticmethod
    def headers(token: str) -> dict:
        """As the TLS proxy passes a filing on, with a fresh Idempotency-Key."""
        return {**HTTPS, "Authorization": f"Token {token}", "Idempotency-Key": uuid.uuid4().hex}

    def file_in_process(self, client):
        """File the next one through Django's test client: its author's token and the
        201 response (not decoded: the benches count what the server spends)."""
        token, body = self.next()
        response = client.post(
            "/api/v1/appeals/",
            data=body,
            content_type="application/json",
            headers=self.headers(token),
        )
        assert response.status_code == 201, response.content[:300]
        return token, response
