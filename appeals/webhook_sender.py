"""Sending webhook deliveries (the outbox appeals.webhooks writes).

A Celery beat job runs `webhooks_send_pending` every few seconds. Rows are taken by a
short transaction that moves their next try past a lease, so two runs never send the
same row, and a worker that dies mid-batch leaves its rows to the next run after the
lease; then they are sent in threads with short timeouts, no transaction open.

Each delivery is a POST of JSON, signed: `X-Izbiratel-Signature: t=<unix time>,v1=<hex
HMAC-SHA256 of "<t>." + body with the subscription's secret>`. A 2xx is delivered;
anything else is tried again after 30 s, 1, 2, 4 … minutes, at most an hour apart,
and after MAX_ATTEMPTS it is failed. A target resolving to a private, loopback or
link-local address is refused for good (SSRF), unless settings allow it (tests).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from deputies import access

from .models import WebhookDelivery
from .webhooks import is_public, private_targets_allowed

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status

BATCH = 50
# One run of the sender (every 10 s) goes on taking batches for this long.
RUN = timedelta(seconds=8)
# A taken row is left alone this long: longer than a batch can take (at worst 50 slow
# answers of one receiver in one thread, each at most TIMEOUT seconds per step).
LEASE = timedelta(minutes=15)
THREADS = 8
# Seconds for the connection and for each read: a receiver acknowledges, then works.
TIMEOUT = 5
MAX_ATTEMPTS = 10
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
RESPONSE_READ = 1024  # bytes of the receiver's answer kept for the log
USER_AGENT = "Izbiratel-Webhooks/1"


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 30 s, doubled each time, capped."""
    return min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_CAP)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def body_of(delivery: WebhookDelivery) -> bytes:
    """The same bytes on every attempt: only the signature's time changes."""
    document = {
        "id": str(delivery.event_id),
        "type": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        **delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


class Retry(Exception):
    """The try failed; a later one may succeed (a timeout, a refused connection)."""


class Refused(Exception):
    """The target may never be called (a private address): failed at once."""


@dataclass
class Outcome:
    status_code: int | None = None
    error: str = ""
    final: bool = False  # no further tries, whatever the attempts left


def webhooks_send_pending(*, limit: int = BATCH, budget: timedelta = RUN) -> int:
    """Send due deliveries, a batch at a time, until none are due or the run has taken
    `budget` (at least one batch). Returns how many were delivered."""
    deadline = time.monotonic() + budget.total_seconds()
    delivered = 0
    while True:
        taken = _claim(limit)
        if taken:
            delivered += _send(taken)
        if len(taken) < limit or time.monotonic() >= deadline:
            return delivered


@transaction.atomic
def _claim(limit: int) -> list[int]:
    now = timezone.now()
    pks = list(
        WebhookDelivery.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING, next_try_at__lte=now)
        .order_by("next_try_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if pks:
        WebhookDelivery.objects.filter(pk__in=pks).update(next_try_at=now + LEASE)
    return pks


def _send(pks: list[int]) -> int:
    deliveries = list(
        WebhookDelivery.objects.filter(pk__in=pks)
        .select_related("subscription__owner__committee_membership", "appeal")
        .order_by("id")
    )
    timestamp = int(timezone.now().timestamp())
    queues = defaultdict(list)  # subscription id: its requests, oldest first
    for delivery in deliveries:
        reason = _cancel_reason(delivery)
        if reason:
            delivery.status, delivery.last_error, delivery.next_try_at = (
                Status.CANCELLED,
                reason,
                None,
            )
            continue
        body = body_of(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Izbiratel-Event": delivery.event,
            "X-Izbiratel-Delivery": str(delivery.event_id),
            "X-Izbiratel-Signature": signature(delivery.subscription.secret, timestamp, body),
        }
        url = delivery.subscription.url
        queues[delivery.subscription_id].append((delivery, url, body, headers))
    outcomes = _post_all(queues)
    finished = timezone.now()
    delivered = 0
    stalled = {}  # subscription id: when its receiver, unreachable, is tried again
    for delivery in deliveries:
        if delivery.status == Status.CANCELLED:
            continue
        outcome = outcomes[delivery.pk]
        if outcome is None:  # not tried: an earlier row found the receiver unreachable
            delivery.next_try_at = stalled[delivery.subscription_id]
            continue
        delivered += _record(delivery, outcome, finished)
        if outcome.status_code is None and delivery.status == Status.PENDING:
            stalled[delivery.subscription_id] = delivery.next_try_at
    WebhookDelivery.objects.bulk_update(
        deliveries,
        ["status", "attempts", "next_try_at", "last_status_code", "last_error", "delivered_at"],
    )
    return delivered


def _post_all(queues: dict) -> dict:
    """Each subscription's requests in one thread, in order: a receiver hears of an
    appeal's events in the order they happened (unless a retry comes between). After a
    receiver is found unreachable its further rows are not tried in this run (None), so
    one dead receiver costs one timeout a run, not one per row. The threads only wait
    on the network; the rows are read and written by the caller."""
    allow_private = private_targets_allowed()

    def send_in_order(queue):
        results, unreachable = [], False
        for delivery, *request in queue:
            outcome = None if unreachable else post(*request, allow_private=allow_private)
            unreachable = unreachable or (outcome.status_code is None and not outcome.final)
            results.append((delivery.pk, outcome))
        return results

    outcomes = {}
    if queues:
        with ThreadPoolExecutor(max_workers=min(THREADS, len(queues))) as pool:
            for results in pool.map(send_in_order, queues.values()):
                outcomes.update(results)
    return outcomes


def _record(delivery, outcome: Outcome, now) -> int:
    """Write an attempt's outcome on its row; 1 if it was delivered."""
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:300]
    if outcome.status_code is not None and 200 <= outcome.status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_try_at = Status.DELIVERED, now, None
        return 1
    if outcome.final or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_try_at = Status.FAILED, None
    else:
        delivery.next_try_at = now + backoff(delivery.attempts)
    return 0


def _cancel_reason(delivery) -> str:
    """Who may see what is decided again now: the owner's region or role may have
    changed since the event, or the subscription been paused."""
    subscription = delivery.subscription
    if not subscription.active:
        return "subscription paused"
    owner = subscription.owner
    if not owner.is_active:
        return "owner account inactive"
    scope = access.scope_for(owner)
    if delivery.appeal_id is None:  # a ping
        return "" if access.may_manage_webhooks(scope) else "owner may not use webhooks"
    if not access.webhook_may_receive(scope, delivery.appeal):
        return "owner may no longer see the appeal"
    return ""


# --- one HTTP request -------------------------------------------------------------


def post(url: str, body: bytes, headers: dict, *, allow_private: bool) -> Outcome:
    """POST and say how it went; never raises for a network failure."""
    try:
        return Outcome(status_code=_post(url, body, headers, allow_private=allow_private))
    except Refused as error:
        return Outcome(error=str(error), final=True)
    except (Retry, OSError, http.client.HTTPException) as error:
        name = type(error).__name__
        return Outcome(error=f"{name}: {error}" if str(error) else name)


def _post(url, body, headers, *, allow_private) -> int:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = resolve(parts.hostname or "", port, allow_private=allow_private)
    connection_class = http.client.HTTPSConnection if secure else http.client.HTTPConnection
    connection = connection_class(parts.hostname, port, timeout=TIMEOUT)
    # Connect to the address checked above, not to a second lookup of the name, which
    # could answer differently (DNS rebinding); TLS still checks the name.
    connection._create_connection = lambda _address, timeout, source: socket.create_connection(
        (address, port), timeout, source
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ)
        return response.status
    finally:
        connection.close()


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to; every address the name has must be public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Retry(f"name not resolved: {error}") from error
    addresses = [info[4][0] for info in found]
    if not allow_private:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise Refused(f"refused: {host} resolves to a non-public address")
    return addresses[0]
