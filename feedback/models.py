from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Feedback(models.Model):
    class Solved(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="feedback"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="feedbacks"
    )
    # Denormalised from the appeal so the rating aggregates feedback without a join.
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="feedbacks"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    solved = models.CharField(_("was the problem solved"), max_length=8, choices=Solved.choices)
    speed = models.PositiveSmallIntegerField(_("how fast it felt"))
    personal = models.PositiveSmallIntegerField(_("how personal and attentive"))
    comment = models.TextField(_("comment"), blank=True)
    # False when the author is deputy or committee staff: such feedback never counts.
    counts = models.BooleanField(_("counts toward the rating"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=5), name="feedback_overall_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(speed__gte=1, speed__lte=5), name="feedback_speed_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(personal__gte=1, personal__lte=5), name="feedback_personal_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(solved__in=["yes", "partly", "no"]), name="feedback_solved_valid"
            ),
        ]
        indexes = [models.Index(fields=["deputy", "created_at"], name="feedback_deputy_idx")]

    def __str__(self):
        return f"{self.appeal_id}: {self.overall}"
