import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deputies import access

from .appeal import Appeal


class WebhookSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, scope):
        return self.filter(access.webhook_filter(scope))


class WebhookSubscription(models.Model):
    """An organisation account's order for appeal events, sent to its system's URL and
    signed with the secret (appeals.webhooks)."""

    class Event(models.TextChoices):
        FILED = "filed", _("An appeal was filed")
        ASSIGNED = "assigned", _("An appeal was assigned or redirected to a deputy")
        ANSWERED = "answered", _("An appeal got its final answer")
        RATED = "rated", _("The citizen rated the answer")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    url = models.URLField(_("target URL"), max_length=500)
    # Kept as given: it signs every delivery, so it cannot be hashed. Never shown again
    # after it is created, in the API or the admin.
    secret = models.CharField(_("secret"), max_length=128)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name or self.url


class WebhookDelivery(models.Model):
    """One event for one subscription, and the outbox row its sender takes: written in
    the transaction of the change it reports, sent by a Celery job."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled: the owner may no longer see the appeal")

    PING = "ping"  # a test delivery asked for through the API; no appeal

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        db_index=False,  # webhook_delivery_log_idx starts with it
        related_name="deliveries",
    )
    # The event's id for the receiver's deduplication: the same on every attempt.
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True)
    event = models.CharField(_("event"), max_length=16)
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log_idx"),
            models.Index(
                fields=["next_try_at"],
                condition=models.Q(status="pending"),
                name="webhook_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id}"
