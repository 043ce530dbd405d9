"""Webhooks as an integrator meets them: a receiver started here, on 127.0.0.1, gets
signed deliveries of appeal events; failures are retried with backoff, then given up;
each account manages only its own subscriptions and never reads a secret back."""

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals import services as appeal_services
from appeals import tasks
from appeals.models import WebhookDelivery, WebhookSubscription
from appeals.webhook_sender import BACKOFF_CAP, MAX_ATTEMPTS, webhooks_send_pending
from deputies.models import CommitteeMembership, Region
from feedback import services as feedback_services
from tests.appeals.helpers import as_scope, file_appeal
from tests.clock import Clock
from tests.factories import DeputyFactory
from tests.helpers import API_FILING, ROLES, assert_same_count, captured_queries, person

pytestmark = pytest.mark.django_db

clock = Clock.fixture()
ALL_EVENTS = ["filed", "assigned", "answered", "rated"]


# --- the receiver ------------------------------------------------------------------


class Receiver:
    """An HTTP server in a thread: records each request and answers with the next
    status of `statuses` (200 once they run out)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?from=izbiratel"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [json.loads(body)["type"] for _headers, body in self.requests]


@pytest.fixture
def receiver():
    started = Receiver()
    yield started
    started.close()


def dead_url():
    """A port nobody listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What the README tells an integrator to do."""
    fields = dict(part.split("=", 1) for part in headers["X-Izbiratel-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), fields["v1"])


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def subscribe(user, url, events=ALL_EVENTS, **extra):
    response = api_as(user).post(
        reverse("api:webhook-list"), {"url": url, "events": events, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def log(user, subscription_id, **params):
    response = api_as(user).get(
        reverse("api:webhook-deliveries", kwargs={"pk": subscription_id}), params
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- deliveries --------------------------------------------------------------------


def test_a_committee_receives_signed_deliveries_of_its_regions_appeals(
    receiver, committee, citizen
):
    # given: the Moscow committee subscribes; Moscow has no deputy yet, so a new appeal
    # waits in the committee's queue
    created = subscribe(committee, receiver.url)
    secret = created["secret"]
    appeal = file_appeal(citizen)
    deputy = DeputyFactory(region_code="77")
    # when: the committee assigns it, the deputy answers, the citizen rates the answer
    appeal_services.appeal_assign(
        scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=deputy
    )
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Отремонтируем", final=True
    )
    feedback_services.feedback_leave(
        scope=as_scope(citizen), appeal=appeal, actor=citizen,
        overall=5, solved="yes", speed=5, personal=5,
    )  # fmt: skip
    assert receiver.requests == []  # nothing is sent inside the services' transactions
    assert tasks.send_webhooks.apply().get() == 4

    # then
    assert receiver.events() == ALL_EVENTS
    for headers, body in receiver.requests:
        assert verify(secret, headers, body)
        assert headers["Content-Type"] == "application/json"
        document = json.loads(body)
        assert headers["X-Izbiratel-Delivery"] == document["id"]
        assert headers["X-Izbiratel-Event"] == document["type"]
        assert document["appeal"]["number"] == appeal.number
        assert document["appeal"]["region"] == "77"
        assert document["appeal"]["url"].endswith(f"/api/v1/appeals/{appeal.number}/")
        # the appeal's words and its author stay on the site
        assert appeal.text.encode() not in body
        assert citizen.email.encode() not in body
        assert citizen.full_name.encode() not in body
    statuses = [json.loads(body)["appeal"]["status"] for _h, body in receiver.requests]
    assert statuses == ["submitted", "assigned", "answered", "closed"]
    assert json.loads(receiver.requests[1][1])["data"] == {"via": "assignment"}
    assert not verify("another-secret-of-16", *receiver.requests[0])

    entries = log(committee, created["id"])
    assert [e["event"] for e in entries] == list(reversed(ALL_EVENTS))  # newest first
    assert {(e["status"], e["attempts"], e["last_status_code"]) for e in entries} == {
        ("delivered", 1, 200)
    }
    assert {e["appeal"] for e in entries} == {appeal.number}


def test_the_readmes_five_lines_verify_a_delivery(receiver, committee):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = readme.split("### Webhooks", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(code, namespace)  # noqa: S102 - the README's own example, run as a reader would
    created = subscribe(committee, receiver.url)
    api_as(committee).post(reverse("api:webhook-ping", kwargs={"pk": created["id"]}))
    webhooks_send_pending()

    [(headers, body)] = receiver.requests
    verified = namespace["verified"]
    assert verified(created["secret"], headers["X-Izbiratel-Signature"], body)
    assert not verified(created["secret"], headers["X-Izbiratel-Signature"], body + b" ")
    assert not verified("whsec_another", headers["X-Izbiratel-Signature"], body)


def test_events_go_to_those_who_may_see_the_appeal_and_only_for_their_events(
    receiver, committee, other_committee, federal, citizen, deputy
):
    ours = subscribe(committee, receiver.url, events=["answered"])
    spb = subscribe(other_committee, receiver.url)
    central = subscribe(federal, receiver.url, events=["filed"])
    # a redirect is an assignment too
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    colleague = DeputyFactory(region_code="77")
    appeal_services.appeal_redirect(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, to_deputy=colleague,
        reason="Округ коллеги",
    )  # fmt: skip
    appeal_services.appeal_reply(
        scope=as_scope(colleague), appeal=appeal, actor=colleague.user, text="Ответ", final=True
    )

    webhooks_send_pending()

    assert [e["event"] for e in log(committee, ours["id"])] == ["answered"]
    assert log(other_committee, spb["id"]) == []  # Moscow's appeal: not St Petersburg's
    assert [e["event"] for e in log(federal, central["id"])] == ["filed"]
    assert sorted(receiver.events()) == ["answered", "filed"]


def test_a_committee_moved_to_another_region_no_longer_receives_its_old_regions_events(
    receiver, committee, citizen, deputy
):
    created = subscribe(committee, receiver.url)
    file_appeal(citizen, chosen_deputy=deputy)
    CommitteeMembership.objects.filter(user=committee).update(region=Region.objects.get(code="78"))

    assert webhooks_send_pending() == 0

    assert receiver.requests == []
    [entry] = log(committee, created["id"])
    assert (entry["status"], entry["attempts"]) == ("cancelled", 0)


def test_a_receiver_answering_500_gets_retries_with_backoff_then_success(clock, committee):
    receiver = Receiver(statuses=[500, 503])
    try:
        created = subscribe(committee, receiver.url)
        ping = api_as(committee).post(reverse("api:webhook-ping", kwargs={"pk": created["id"]}))
        assert ping.status_code == 202
        assert ping.json()["status"] == "pending"

        webhooks_send_pending()
        [entry] = log(committee, created["id"])
        assert (entry["status"], entry["attempts"], entry["last_status_code"]) == (
            "pending", 1, 500,
        )  # fmt: skip
        assert entry["next_try_at"] == clock.advance(seconds=30).isoformat()
        clock.advance(seconds=-1)
        webhooks_send_pending()  # not yet due
        assert len(receiver.requests) == 1

        clock.advance(seconds=1)
        webhooks_send_pending()
        [entry] = log(committee, created["id"])
        assert (entry["attempts"], entry["last_status_code"]) == (2, 503)
        assert entry["next_try_at"] == clock.advance(seconds=60).isoformat()  # doubled

        webhooks_send_pending()
        [entry] = log(committee, created["id"])
        assert (entry["status"], entry["attempts"], entry["last_status_code"]) == (
            "delivered", 3, 200,
        )  # fmt: skip
        assert entry["next_try_at"] is None
        # one event, three attempts: the receiver deduplicates by its id
        ids = {headers["X-Izbiratel-Delivery"] for headers, _body in receiver.requests}
        assert ids == {entry["event_id"]}
        assert receiver.events() == ["ping", "ping", "ping"]
        webhooks_send_pending()
        assert len(receiver.requests) == 3
    finally:
        receiver.close()


def test_a_dead_receiver_is_tried_until_the_cap_and_then_marked_failed(clock, committee):
    created = subscribe(committee, dead_url())
    api_as(committee).post(reverse("api:webhook-ping", kwargs={"pk": created["id"]}))

    for _attempt in range(MAX_ATTEMPTS):
        webhooks_send_pending()
        clock.advance(seconds=BACKOFF_CAP.total_seconds())

    [entry] = log(committee, created["id"])
    assert (entry["status"], entry["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert entry["last_status_code"] is None
    assert "Connection" in entry["last_error"] or "refused" in entry["last_error"]
    assert entry["next_try_at"] is None
    webhooks_send_pending()
    assert WebhookDelivery.objects.get().attempts == MAX_ATTEMPTS


def test_an_unreachable_receiver_costs_one_try_a_run_and_keeps_its_events_in_order(
    clock, committee
):
    created = subscribe(committee, dead_url())
    for _n in range(3):
        api_as(committee).post(reverse("api:webhook-ping", kwargs={"pk": created["id"]}))

    webhooks_send_pending()

    entries = log(committee, created["id"])  # newest first
    assert [e["attempts"] for e in entries] == [0, 0, 1]
    assert {e["next_try_at"] for e in entries} == {clock.advance(seconds=30).isoformat()}
    assert {e["status"] for e in entries} == {"pending"}


def test_private_targets_are_refused_outside_tests(settings, receiver, committee):
    created = subscribe(committee, receiver.url)  # allowed while the tests' switch is on
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    client = api_as(committee)
    for url in (
        "http://crm.example.org/hook",  # not https
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "https://user:pass@crm.example.org/hook",
    ):
        response = client.post(
            reverse("api:webhook-list"), {"url": url, "events": ["filed"]}, format="json"
        )
        assert response.status_code == 400, url
        assert [error["attr"] for error in response.json()["errors"]] == ["url"], url

    # a name that resolves to a private address is refused when sending, for good
    client.post(reverse("api:webhook-ping", kwargs={"pk": created["id"]}))
    webhooks_send_pending()
    assert receiver.requests == []
    [entry] = log(committee, created["id"])
    assert (entry["status"], entry["attempts"]) == ("failed", 1)
    assert "non-public" in entry["last_error"]


# --- the API: subscriptions, secrets, authorization ----------------------------------


def test_the_secret_is_shown_once_when_made_up_and_never_returned(
    receiver, committee, admin_client
):
    client = api_as(committee)
    created = subscribe(committee, receiver.url, name="CRM")
    secret = created["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    detail = reverse("api:webhook-detail", kwargs={"pk": created["id"]})

    answers = [
        client.get(reverse("api:webhook-list")),
        client.get(detail),
        client.patch(detail, {"name": "CRM 2"}, format="json"),
        client.post(reverse("api:webhook-ping", kwargs={"pk": created["id"]})),
        client.get(reverse("api:webhook-deliveries", kwargs={"pk": created["id"]})),
        admin_client.get(reverse("admin:appeals_webhooksubscription_change", args=[created["id"]])),
    ]
    for response in answers:
        assert response.status_code in (200, 202)
        assert secret.encode() not in response.content
        assert b'"secret"' not in response.content

    # a secret the caller chose is not echoed either, on creation or change
    chosen = "my-own-secret-0123456789"
    own = subscribe(committee, receiver.url, secret=chosen)
    assert own["secret"] is None
    changed = client.patch(detail, {"secret": "a-new-secret-9876543210"}, format="json")
    assert changed.status_code == 200
    assert b"a-new-secret" not in changed.content

    # the new secret signs from now on
    webhooks_send_pending()
    headers, body = receiver.requests[0]
    assert verify("a-new-secret-9876543210", headers, body)
    assert not verify(secret, headers, body)


def test_subscriptions_are_validated_and_changed(committee, receiver):
    client = api_as(committee)
    url = reverse("api:webhook-list")
    bad = [
        {"url": receiver.url, "events": []},
        {"url": receiver.url, "events": ["closed"]},
        {"url": "not a url", "events": ["filed"]},
        {"url": receiver.url, "events": ["filed"], "secret": "short"},
        {"url": receiver.url, "events": ["filed"], "status": "active"},  # unknown field
    ]
    for body in bad:
        assert client.post(url, body, format="json").status_code == 400, body
    assert not WebhookSubscription.objects.exists()

    created = subscribe(committee, receiver.url, events=["rated", "filed", "filed"])
    assert created["events"] == ["filed", "rated"]
    detail = reverse("api:webhook-detail", kwargs={"pk": created["id"]})
    paused = client.patch(detail, {"active": False, "events": ["answered"]}, format="json")
    assert (paused.json()["active"], paused.json()["events"]) == (False, ["answered"])
    assert client.get(url, {"active": "false"}).json()["count"] == 1
    assert client.get(url, {"active": "true"}).json()["count"] == 0

    for _n in range(9):
        subscribe(committee, receiver.url)
    assert (
        client.post(url, {"url": receiver.url, "events": ["filed"]}, format="json").status_code
        == 400
    )

    assert client.delete(detail).status_code == 204
    assert client.get(detail).status_code == 404


def test_a_paused_subscription_gets_nothing(receiver, committee, citizen, deputy):
    created = subscribe(committee, receiver.url)
    api_as(committee).patch(
        reverse("api:webhook-detail", kwargs={"pk": created["id"]}),
        {"active": False},
        format="json",
    )
    file_appeal(citizen, chosen_deputy=deputy)
    webhooks_send_pending()
    assert receiver.requests == []
    assert log(committee, created["id"]) == []


OWN = {
    "anonymous": 401,
    "citizen": 404,
    "other_citizen": 404,
    "deputy": 404,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,  # another account's subscription
    "federal": 404,  # central office staff too: subscriptions are their owners'
}
CALLS = [
    ("get", "api:webhook-detail", OWN),
    ("patch", "api:webhook-detail", OWN),
    ("get", "api:webhook-deliveries", OWN),
    ("post", "api:webhook-ping", {**OWN, "committee": 202}),
    ("delete", "api:webhook-detail", {**OWN, "committee": 204}),
]
LIST = dict.fromkeys(ROLES, 404) | {
    "anonymous": 401,
    "committee": 200,
    "other_committee": 200,
    "federal": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_manages_only_its_own_subscriptions(role, request, committee, receiver):
    subscription = subscribe(committee, receiver.url)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(person(role, request))

    listed = client.get(reverse("api:webhook-list"))
    assert listed.status_code == LIST[role]
    if listed.status_code == 200:
        mine = role == "committee"
        assert [s["id"] for s in listed.json()["results"]] == ([subscription["id"]] if mine else [])
    create = client.post(
        reverse("api:webhook-list"), {"url": receiver.url, "events": ["filed"]}, format="json"
    )
    assert create.status_code == (201 if LIST[role] == 200 else LIST[role])

    for method, name, expected in CALLS:
        url = reverse(name, kwargs={"pk": subscription["id"]})
        response = getattr(client, method)(
            url, {"name": "x"} if method == "patch" else None, format="json"
        )
        assert response.status_code == expected[role], (method, name, response.content[:200])
    assert WebhookSubscription.objects.filter(pk=subscription["id"]).exists() == (
        role != "committee"
    )


def test_a_missing_subscription_and_anothers_answer_alike(committee, other_committee, receiver):
    theirs = subscribe(other_committee, receiver.url)
    client = api_as(committee)
    missing = client.get(reverse("api:webhook-detail", kwargs={"pk": theirs["id"] + 1000}))
    another = client.get(reverse("api:webhook-detail", kwargs={"pk": theirs["id"]}))
    assert missing.status_code == another.status_code == 404
    # alike but for the path each asked about
    assert {**missing.json(), "instance": ""} == {**another.json(), "instance": ""}


# --- cost ---------------------------------------------------------------------------


def test_lists_read_the_same_statements_for_more_rows(committee, receiver):
    client = api_as(committee)
    first = subscribe(committee, receiver.url)

    def deliveries_and_list():
        with captured_queries() as log_sql:
            assert (
                client.get(
                    reverse("api:webhook-deliveries", kwargs={"pk": first["id"]})
                ).status_code
                == 200
            )
        with captured_queries() as list_sql:
            assert client.get(reverse("api:webhook-list")).status_code == 200
        return len(log_sql) + len(list_sql), log_sql

    for _n in range(2):
        client.post(reverse("api:webhook-ping", kwargs={"pk": first["id"]}))
    few, few_sql = deliveries_and_list()
    for _n in range(6):
        client.post(reverse("api:webhook-ping", kwargs={"pk": first["id"]}))
    subscribe(committee, receiver.url)
    subscribe(committee, receiver.url)
    many, many_sql = deliveries_and_list()
    assert_same_count(few_sql, many_sql)
    assert few == many


@pytest.mark.perf_guard  # the subscriptions are a per-process table, like regions
def test_a_filing_asks_no_database_about_webhooks_when_nobody_subscribes(api, deputy, committee):
    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    with captured_queries() as sql:
        assert api.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
    assert '"appeals_webhook' not in sql

    # subscribed: one insert of the delivery rows, the subscriptions still from memory
    WebhookSubscription.objects.create(
        owner=committee, url="https://crm.example.org/hook", secret="s" * 20, events=["filed"]
    )
    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    with captured_queries() as sql:
        assert api.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
    assert sql.naming('"appeals_webhook') == sql.naming('INSERT INTO "appeals_webhookdelivery"')
    assert len(sql.naming('"appeals_webhook')) == 1
    assert WebhookDelivery.objects.count() == 2


def test_the_sender_is_a_beat_job():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="appeals.send_webhooks")
    assert (job.interval.every, job.interval.period) == (10, "seconds")
