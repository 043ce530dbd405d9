"""Webhooks for integrators: subscriptions and the outbox of their deliveries.

An organisation account (a regional committee, the central office: access.
may_manage_webhooks) subscribes a URL to appeal events. The event's writer in
appeals.events calls `appeal_event` inside the service's transaction: one delivery row
per subscription whose owner may see the appeal, so an event is sent only if its change
commits, and no request waits on a network. appeals.webhook_sender sends the rows.

Every filing asks whether anyone subscribed: the active subscriptions are a per-process
table (core.reference, a minute), so with none the question costs a dict lookup, not a
query. A subscription saved in another process is seen within the minute; who may see
what is checked again when each delivery is sent.
"""

import ipaddress
import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import reference
from core.db import insert
from deputies import access
from deputies.selectors import regions_by_id

from .models import Appeal, WebhookDelivery, WebhookSubscription

Event = WebhookSubscription.Event
# An owner's subscriptions: a regional system or two, with room for test endpoints.
MAX_SUBSCRIPTIONS = 10
SECRET_MIN_LENGTH = 16
SECRET_MAX_LENGTH = WebhookSubscription._meta.get_field("secret").max_length


def _active_subscriptions() -> dict:
    return reference.table(
        "webhook subscriptions",
        WebhookSubscription.objects.filter(active=True).select_related(
            "owner", "owner__committee_membership"
        ),
        "pk",
    )


def appeal_event(appeal: Appeal, event: str, **data) -> None:
    """Queue `event` about `appeal` for every subscriber who may see it. Call inside the
    service's transaction, after the change. `data`: the event's own details, nothing
    personal (no text, no citizen)."""
    subscriptions = _active_subscriptions()
    if not subscriptions:
        return
    matching = [
        subscription.pk
        for subscription in subscriptions.values()
        if event in subscription.events
        and access.webhook_may_receive(access.scope_for(subscription.owner), appeal)
    ]
    if not matching:
        return
    now = timezone.now()
    payload = {"appeal": appeal_summary(appeal), "data": data}
    insert(
        [
            WebhookDelivery(
                subscription_id=pk,
                event_id=uuid.uuid4(),
                event=event,
                appeal_id=appeal.pk,
                payload=payload,
                created_at=now,
                next_try_at=now,
            )
            for pk in matching
        ]
    )


def appeal_summary(appeal: Appeal) -> dict:
    """What every subscriber may know of an appeal it sees: where it stands, not what it
    says or who wrote it. The rest is read through the API, under its rules."""
    region = regions_by_id().get(appeal.region_id)
    return {
        "number": appeal.number,
        "status": appeal.status,
        "region": region.code if region else None,
        "deputy": appeal.deputy_id,
        "deadline": appeal.deadline.isoformat(),
        "url": settings.SITE_URL + reverse("api:appeal-detail", kwargs={"number": appeal.number}),
    }


# --- subscriptions --------------------------------------------------------------


def private_targets_allowed() -> bool:
    """Tests and local development deliver to 127.0.0.1; production never (its settings
    refuse the switch), so a subscription cannot make the server call inside its network."""
    return settings.WEBHOOK_ALLOW_PRIVATE_TARGETS


def target_url_errors(url: str) -> list[str]:
    """What is wrong with a target URL as far as can be told without the network: the
    scheme, credentials in it, a private address written out. Names are resolved and
    checked again on every delivery (appeals.webhook_sender)."""
    parts = urlsplit(url)
    if private_targets_allowed():
        if parts.scheme not in ("http", "https"):
            return [_("Use an http or https URL.")]
    elif parts.scheme != "https":
        return [_("Use an https URL.")]
    host = parts.hostname or ""
    if not host:
        return [_("The URL has no host.")]
    if parts.username or parts.password:
        return [_("Put no credentials in the URL: deliveries are signed with the secret.")]
    if private_targets_allowed():
        return []
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return [_("The URL must point to a public address.")]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return []
    if not is_public(address):
        return [_("The URL must point to a public address.")]
    return []


def is_public(address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def _clean(*, url, events, secret=None):
    errors = {}
    if url is not None and (problems := target_url_errors(url)):
        errors["url"] = problems
    if events is not None:
        if not events:
            errors["events"] = [_("Choose at least one event.")]
        elif set(events) - set(Event.values):
            errors["events"] = [_("Unknown event.")]
    if secret is not None and not SECRET_MIN_LENGTH <= len(secret) <= SECRET_MAX_LENGTH:
        errors["secret"] = [
            _("The secret is %(min)s to %(max)s characters long.")
            % {"min": SECRET_MIN_LENGTH, "max": SECRET_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _require_owner(owner):
    if not access.may_manage_webhooks(access.scope_for(owner)):
        raise ValidationError(_("Webhooks are for organisation accounts."))


@transaction.atomic
def webhook_subscription_create(
    *, owner, url: str, events: list[str], name: str = "", secret: str = "", active: bool = True
) -> tuple[WebhookSubscription, str | None]:
    """The subscription, and its secret if this made one up (shown to the caller once);
    a secret the caller chose is not given back."""
    _require_owner(owner)
    _clean(url=url, events=events, secret=secret or None)
    # Under the owner's row lock: two creations at once both see the count.
    type(owner).objects.select_for_update().filter(pk=owner.pk).first()
    if WebhookSubscription.objects.filter(owner=owner).count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError(
            _("An account has at most %(count)s subscriptions.") % {"count": MAX_SUBSCRIPTIONS}
        )
    made_up = None if secret else new_secret()
    subscription = WebhookSubscription.objects.create(
        owner=owner,
        name=name.strip(),
        url=url,
        secret=secret or made_up,
        events=sorted(set(events)),
        active=active,
    )
    return subscription, made_up


def webhook_subscription_update(
    *, subscription: WebhookSubscription, **changes
) -> WebhookSubscription:
    """Change any of name, url, events, secret, active."""
    _clean(url=changes.get("url"), events=changes.get("events"), secret=changes.get("secret"))
    if "events" in changes:
        changes["events"] = sorted(set(changes["events"]))
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    for field, value in changes.items():
        setattr(subscription, field, value)
    subscription.save(update_fields=[*changes, "updated_at"])
    return subscription


def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Its delivery log goes with it."""
    subscription.delete()


def webhook_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """A test delivery, queued like any event: the sender takes it within seconds."""
    now = timezone.now()
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event=WebhookDelivery.PING,
        payload={"appeal": None, "data": {"subscription": subscription.pk}},
        created_at=now,
        next_try_at=now,
    )


# --- reading --------------------------------------------------------------------


def webhook_subscription_list(*, scope):
    return WebhookSubscription.objects.visible_to(scope).order_by("id")


def webhook_subscription_get(*, scope, pk: int) -> WebhookSubscription:
    return access.get_for(scope, WebhookSubscription.objects, pk=pk)


# The log's columns: not the payload, which the log does not show.
LOG_FIELDS = [
    "event_id", "event", "status", "attempts", "next_try_at", "last_status_code",
    "last_error", "created_at", "delivered_at", "appeal__number", "subscription_id",
]  # fmt: skip


def webhook_delivery_list(*, subscription: WebhookSubscription):
    """The subscription's log, newest first, with each appeal's number."""
    return (
        WebhookDelivery.objects.filter(subscription=subscription)
        .select_related("appeal")
        .only(*LOG_FIELDS)
        .order_by("-id")
    )
