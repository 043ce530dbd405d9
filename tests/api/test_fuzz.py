"""Schemathesis generates requests from /api/schema/ and checks that no answer is a
500 and none contradicts the schema, for an anonymous caller and signed-in citizen,
deputy, committee and federal accounts, on a small seeded database."""

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from accounts.models import User
from config.wsgi import application
from tests.helpers import token_for

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
EXAMPLES = 10
CALLERS = ["", "citizen@demo.test", "deputy@demo.test", "committee@demo.test", "federal@demo.test"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Calls go straight into the WSGI app, whose request signals would close the
    # connection that holds the test's transaction; Django's test client detaches them too.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    call_command("seed_demo", deputies=30, appeals=150, seed=3, today="2026-11-23", verbosity=0)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.mark.parametrize("email", CALLERS)
def test_api_never_fails_and_follows_its_schema(api_schema, email):
    headers = {}
    if email:
        headers["Authorization"] = f"Token {token_for(User.objects.get(email=email))}"
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Revoking may hit the caller's own token (a small id): last, so nothing is left to try.
    operations.sort(key=lambda operation: operation.path.startswith("/api/v1/auth/tokens/{"))
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # The contract: no 500, and every answer as the schema says (status, type, body).
            # Rejecting a well-typed but unknown id with 400/404 is allowed.
            case.call_and_validate(
                headers=headers, excluded_checks=[positive_data_acceptance, negative_data_rejection]
            )

        check()
