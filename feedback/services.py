"""Feedback on an answered appeal (SPEC, Feedback). Leaving it closes the appeal; it
can be changed for 7 days; feedback by deputy or committee accounts never counts."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import events
from appeals.models import Appeal
from appeals.signals import rating_input_changed
from core.errors import ApplicationError
from deputies import access

from .models import Feedback

CHANGE_WINDOW = timedelta(days=access.FEEDBACK_CHANGE_DAYS)


def feedback_counts_for(user) -> bool:
    return access.feedback_counts(user)


def feedback_can_leave(*, scope, appeal: Appeal) -> bool:
    return access.may_leave_feedback(scope, appeal, now=timezone.now())


def _validate(overall, solved, speed, personal):
    errors = {}
    for name, value in (("overall", overall), ("speed", speed), ("personal", personal)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Choose from 1 to 5.")
    if solved not in Feedback.Solved.values:
        errors["solved"] = _("Choose yes, partly or no.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feedback_leave(
    *, scope, appeal: Appeal, actor, overall: int, solved: str, speed: int, personal: int,
    comment: str = "",
) -> Feedback:  # fmt: skip
    _validate(overall, solved, speed, personal)
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("deputy").get(pk=appeal.pk)
    )
    if not access.is_appeal_citizen(scope, appeal):
        raise PermissionDenied(_("Only the author of the appeal rates the answer."))
    now = timezone.now()
    feedback = Feedback.objects.filter(appeal=appeal).first()
    values = {
        "overall": overall,
        "solved": solved,
        "speed": speed,
        "personal": personal,
        "comment": comment.strip(),
        "updated_at": now,
    }
    if feedback is not None:
        if now > feedback.created_at + CHANGE_WINDOW:
            raise ApplicationError(_("Feedback can be changed for 7 days only."))
        for field, value in values.items():
            setattr(feedback, field, value)
        feedback.save(update_fields=list(values))
        events.feedback_left(appeal, actor=actor, changed=True)
    else:
        if appeal.status != Appeal.Status.ANSWERED:
            raise ApplicationError(_("An appeal can be rated once it has its final answer."))
        feedback = Feedback.objects.create(
            appeal=appeal,
            citizen=actor,
            deputy=appeal.deputy,
            counts=feedback_counts_for(actor),
            created_at=now,
            **values,
        )
        events.feedback_left(appeal, actor=actor)
        appeal.status, appeal.closed_at = Appeal.Status.CLOSED, now
        appeal.save(update_fields=["status", "closed_at", "updated_at"])
        events.closed(appeal, actor=actor, why=events.Why.RATED, from_status=Appeal.Status.ANSWERED)
    _after_rating_input(appeal)
    return feedback


def _after_rating_input(appeal):
    rating_input_changed.send(sender=Feedback, region_id=appeal.region_id)
