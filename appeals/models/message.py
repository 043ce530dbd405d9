from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appeal import Appeal


class Message(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim reply")
        ANSWER = "answer", _("Final answer")
        SUPPLEMENTARY = "supplementary", _("Supplementary answer")
        FOLLOW_UP = "follow_up", _("Citizen's follow-up")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["interim", "answer", "supplementary", "follow_up"]),
                name="message_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["appeal", "created_at"], name="message_appeal_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.kind}"


def attachment_path(instance, filename):
    # The stored name never comes from the user; the original is kept in a field.
    return f"appeals/{instance.appeal_id}/{instance.token}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="attachment_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(size__lte=10 * 1024 * 1024), name="attachment_size_max_10mb"
            ),
        ]

    def __str__(self):
        return self.original_name
