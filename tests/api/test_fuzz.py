"""Schemathesis runs against a live server as an integrator's tester would: every check
(a 500, an answer outside the schema, a schema-valid request refused, an invalid one
accepted, an unsupported method not answered 405, ...) through every phase (the schema's
examples, the coverage of each parameter's edges, random fuzzing, and the stateful phase
that follows the schema's links), as a citizen, a deputy and a region's committee, on a
small seeded database. Any failure fails the test with schemathesis' own report.

It runs in CI's PostgreSQL pass, against the database the site runs on (about 80 s a
role); the SQLite pass skips it, as it does the other tests that need PostgreSQL."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.settings import api_settings

from accounts import tokens
from accounts.models import User
from appeals.models import Appeal, Topic, WebhookDelivery
from deputies.models import Deputy, Municipality, Region

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Cases per operation in the fuzzing and stateful phases: with the coverage phase (about
# 30 deterministic cases per operation) a role's run is some 800 requests.
EXAMPLES = 5
# The citizen (who files) and the deputy (who acts on appeals): a run takes over two
# minutes and CI has 20 in all; the committee's endpoints are in the API matrix
# (tests/api/test_matrix.py) and the generated client's journey.
ROLES = ["citizen@demo.test", "deputy@demo.test"]
# The reference lists answer everyone alike: tested once, as the citizen.
PUBLIC_TAGS = "^(regions|municipalities|bodies|deputies|topics)$"
# A body naming another object (a deputy, a municipality, the appeal a repeat disputes)
# is well formed whatever the id, but the server refuses one that is missing or not
# eligible (another region's deputy, one not accepting appeals) with a 400 on that field:
# schemathesis cannot know which ids qualify, so a 400 there is an acceptable answer.
NAMES_OTHER_OBJECTS = ["appeals_create", "appeals_assign", "appeals_redirect"]
# Likewise a well-formed e-mail and password are refused (400) unless they are someone's,
# and a webhook's target that is a URI but no address to deliver to (a host name longer
# than DNS allows; in production, plain http or a private address).
NOT_IN_THE_SCHEMA = ["auth_token_create", "webhooks_create", "webhooks_partial_update"]


def schemathesis_config(path: Path) -> Path:
    """Real identifiers for the parameters that name objects, so the cases reach the
    views' logic instead of stopping at a 404."""

    def first(model, field="pk"):
        return list(model.objects.order_by("pk").values_list(field, flat=True)[:40])

    dictionaries = {
        "appeals": first(Appeal, "number"),
        "regions": sorted(Region.objects.values_list("code", flat=True)),
        "topics": sorted(Topic.objects.filter(is_active=True).values_list("slug", flat=True)),
        "deputies": first(Deputy),
        "municipalities": first(Municipality),
    }
    # A cursor is valid only as the server wrote it into `next` (for the same ordering);
    # a made-up one is rightly a 400 (tests/api/test_pages.py), so the cases send
    # the first page's: none.
    dictionaries["cursors"] = [""]
    lines = ["[dictionaries]"]
    lines += [
        f"{name} = {{ values = {json.dumps(values)} }}" for name, values in dictionaries.items()
    ]
    lines += [
        "",
        "[parameters]",
        '"path.number" = { dictionary = "appeals" }',
        '"path.code" = { dictionary = "regions" }',
        '"body.region" = { dictionary = "regions" }',
        '"body.topic" = { dictionary = "topics" }',
        '"body.deputy" = { dictionary = "deputies", probability = 0.8 }',
        '"body.municipality" = { dictionary = "municipalities", probability = 0.8 }',
        '"query.cursor" = { dictionary = "cursors" }',
        "",
        "[[operations]]",
        f"include-operation-id = {json.dumps(NAMES_OTHER_OBJECTS)}",
        "checks.positive_data_acceptance.expected-statuses = "
        '["2xx", "400", "401", "403", "404", "409", "429"]',
        "",
        "[[operations]]",
        f"include-operation-id = {json.dumps(NOT_IN_THE_SCHEMA)}",
        "checks.positive_data_acceptance.expected-statuses = "
        '["2xx", "400", "401", "403", "404", "429"]',
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def seeded(reference_data, settings, monkeypatch):
    call_command("seed_demo", deputies=30, appeals=150, seed=3, today="2026-11-23", verbosity=0)
    # The run is thousands of requests from one client: the budgets are not under test.
    settings.FILING_DAILY_LIMIT = settings.FILING_DEPUTY_DAILY_LIMIT = 1_000_000
    for scope in api_settings.DEFAULT_THROTTLE_RATES:
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/min")


@pytest.fixture
def keeps_its_token(monkeypatch):
    """The run's token, which the run cannot revoke: `DELETE /auth/tokens/{id}/` stays
    in the run (other ids, another's token's 404), but given the run's own id (the
    tokens list links to it) it answers 204 and revokes nothing, or every later request
    would be a 401."""

    def make(user) -> str:
        token, key = tokens.api_token_create(user=user, name="schemathesis")
        revoke = tokens.api_token_revoke

        def api_token_revoke(*, user, token_id):
            if token_id != token.pk:
                revoke(user=user, token_id=token_id)

        monkeypatch.setattr(tokens, "api_token_revoke", api_token_revoke)
        return key

    return make


@pytest.mark.parametrize("email", ROLES)
def test_schemathesis_finds_nothing(
    postgres, seeded, keeps_its_token, live_server, tmp_path, email
):
    token = keeps_its_token(User.objects.get(email=email))
    config = schemathesis_config(tmp_path / "schemathesis.toml")
    public = [] if email.startswith("citizen") else ["--exclude-tag-regex", PUBLIC_TAGS]
    done = subprocess.run(
        [
            Path(sys.executable).parent / "schemathesis", "--no-color",
            "--config-file", config,
            "run", f"{live_server.url}/api/schema/?format=json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", str(EXAMPLES),
            "--seed", "20",
            "--workers", "1",
            "--header", f"Authorization: Token {token}",
            "--request-timeout", "30",
            *public,
        ],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "failures" not in report.splitlines()[-1], report
    # Webhooks the run subscribed only queue deliveries (the sender is a beat job, not
    # running here): nothing went out to the addresses it made up.
    assert not WebhookDelivery.objects.exclude(attempts=0).exists()
