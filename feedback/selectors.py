"""What the rating pages read of the formulaic-answer scores (SPEC, Insight)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from .models import AnswerScore

EXAMPLES = 3


@dataclass
class FormulaicShare:
    answers: int = 0
    formulaic: int = 0
    examples: list = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.formulaic / self.answers if self.answers else None


def formulaic_share(*, deputy_id: int, since: datetime | None = None) -> FormulaicShare:
    """The deputy's final answers since `since`, how many are formulaic, and the latest
    few formulaic ones with their reasons: two queries whatever the number of answers."""
    scores = AnswerScore.objects.filter(deputy_id=deputy_id)
    if since is not None:
        scores = scores.filter(answered_at__gte=since)
    counts = scores.aggregate(answers=Count("pk"), formulaic=Count("pk", filter=Q(formulaic=True)))
    if not counts["formulaic"]:
        return FormulaicShare(answers=counts["answers"])
    examples = list(
        scores.filter(formulaic=True)
        .select_related("message__appeal")
        .only("reasons", "near_region", "length", "message__text", "message__appeal__number")
        .order_by("-answered_at", "-pk")[:EXAMPLES]
    )
    for example in examples:
        example.reason_labels = [AnswerScore.Reason(r).label for r in example.reasons]
    return FormulaicShare(counts["answers"], counts["formulaic"], examples)
