from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appeal import Appeal


class ContactAccessLog(models.Model):
    """Each time committee or central-office staff are shown a citizen's contacts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="contact_views")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewed_at = models.DateTimeField(_("viewed at"))
    via = models.CharField(_("via"), max_length=10)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("contact access")
        verbose_name_plural = _("contact access log")
        indexes = [models.Index(fields=["appeal", "-viewed_at"], name="contact_log_appeal_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.appeal_id}"
