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


# Near-duplicates are counted up to this many: beyond it an answer is a template either
# way, and a template used thousands of times must not cost thousands of updates.
NEAR_CAP = 20


class AnswerScore(models.Model):
    """How formulaic one final answer is (SPEC, Insight: formulaic answers). Written after
    the answer's commit by `feedback.formulaic`; it never enters the rating's score."""

    class Reason(models.TextChoices):
        TEMPLATE = "template", _("nearly identical to other answers")
        SHORT = "short", _("very short")
        UNSPECIFIC = "unspecific", _("names nothing of the appeal")

    message = models.OneToOneField(
        "appeals.Message", on_delete=models.CASCADE, related_name="answer_score"
    )
    # Denormalised from the appeal so the per-deputy share is one indexed aggregate.
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="answer_scores"
    )
    region = models.ForeignKey("deputies.Region", on_delete=models.CASCADE, related_name="+")
    length = models.PositiveIntegerField(_("length, characters"))
    overlap = models.FloatField(_("share of the appeal's words the answer names"))
    names_number = models.BooleanField(_("names the appeal's address or numbers"))
    near_deputy = models.PositiveIntegerField(_("near-duplicates among the deputy's answers"))
    near_region = models.PositiveIntegerField(_("near-duplicates among the region's answers"))
    formulaic = models.BooleanField(_("formulaic"))
    reasons = models.JSONField(_("reasons"), default=list)
    # The answer's MinHash (128 little-endian uint32): candidates found through the bands
    # are compared on it, never by reading their texts again.
    signature = models.BinaryField(editable=False)
    answered_at = models.DateTimeField(_("answered at"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("answer score")
        verbose_name_plural = _("answer scores")
        indexes = [
            models.Index(fields=["deputy", "formulaic"], name="answerscore_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.message_id}: {self.reasons}"

    @property
    def near_shown(self) -> str:
        return f"{self.near_region}+" if self.near_region >= NEAR_CAP else str(self.near_region)


class AnswerBand(models.Model):
    """One LSH band hash of an answer's MinHash: answers sharing a band key in the region
    are the only candidates for near-duplicates, found by the index, never by a scan."""

    score = models.ForeignKey(AnswerScore, on_delete=models.CASCADE, related_name="bands")
    region = models.ForeignKey("deputies.Region", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "key"], name="answerband_lookup_idx")]

    def __str__(self):
        return f"{self.score_id}: {self.key}"
