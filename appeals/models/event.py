from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appeal import Appeal


class AppealEvent(models.Model):
    """Append-only history of an appeal; written only by appeals.events."""

    class Type(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Routed")
        QUEUED = "queued", _("Waiting in the committee's queue")
        ASSIGNED = "assigned", _("Assigned")
        TAKEN = "taken", _("Taken into work")
        INTERIM_REPLY = "interim_reply", _("Interim reply")
        FOLLOW_UP = "follow_up", _("Citizen's follow-up")
        ANSWERED = "answered", _("Answered")
        SUPPLEMENTARY = "supplementary", _("Supplementary answer")
        REPEAT_FILED = "repeat_filed", _("Repeat appeal filed")
        REDIRECTED = "redirected", _("Redirected")
        EXTENDED = "extended", _("Deadline extended")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FEEDBACK = "feedback", _("Feedback left")
        TOPIC_CHANGED = "topic_changed", _("Topic corrected")
        CLOSED = "closed", _("Closed")
        COLLECTIVE_JOIN = "collective_join", _("Joined a collective appeal")
        COLLECTIVE_LEAVE = "collective_leave", _("Left the collective appeal")

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, db_index=False, related_name="events"
    )  # event_appeal_idx starts with it
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"))
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        indexes = [models.Index(fields=["appeal", "created_at"], name="event_appeal_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.type}"
