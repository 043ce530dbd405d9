from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appeal import Appeal


class Notification(models.Model):
    """An on-site notification; the same event also goes out by e-mail.

    `key` makes a reminder idempotent: a job that runs twice finds its row and sends
    nothing the second time.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Your appeal was assigned to a deputy")
        REDIRECTED = "redirected", _("Your appeal was redirected")
        EXTENDED = "extended", _("The deadline of your appeal was extended")
        ANSWERED = "answered", _("Your appeal was answered")
        REJECTED = "rejected", _("Your appeal was rejected")
        FEEDBACK_REMINDER = "feedback_reminder", _("Please rate the answer")
        NEW_APPEAL = "new_appeal", _("A new appeal for you")
        NEW_MESSAGE = "new_message", _("A new message in the appeal")
        DUE_SOON = "due_soon", _("An appeal is due in 5 days")
        OVERDUE = "overdue", _("An appeal is overdue")
        ASSIGNED_FROM_QUEUE = (
            "assigned_from_queue",
            _("Your appeal was assigned to a deputy from the queue"),
        )
        REASSIGNED = "reassigned", _("Your appeal was handed to another deputy")
        QUEUE_DAY_3 = "queue_day_3", _("An appeal has waited 3 days for a deputy")
        QUEUE_DAY_7 = "queue_day_7", _("An appeal has waited 7 days for a deputy: assign it today")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # notification_user_idx starts with it
        related_name="notifications",
    )
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The notification table is also the e-mail outbox: null until the letter is sent.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "appeal", "kind", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"

    @staticmethod
    def unread_key(user_id: int) -> str:
        """The cache key of the person's unread count (appeals.selectors)."""
        return f"unread-notifications:{user_id}"
