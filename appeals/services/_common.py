"""What the appeal services share: the law's periods and the guards every action takes."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from deputies import access

from ..models import Appeal

Status = Appeal.Status
DEADLINE_DAYS = 30
REDIRECT_WINDOW_DAYS = access.REDIRECT_WINDOW_DAYS
MAX_EXTENSION_DAYS = 30
AUTO_CLOSE_DAYS = 14
# The committee clears its unassigned queue within 7 days of registration, reminded on
# day 3 and day 7.
QUEUE_DAYS = 7
QUEUE_REMINDER_DAYS = (3, QUEUE_DAYS)
# A deputy who takes over an overdue appeal from the committee answers within 7 days.
REASSIGNED_DAYS = 7
# Grounds after which the citizen must be told where to go: how to appeal a court
# decision, or the link to the public answer.
REASONS_NEEDING_DETAILS = {
    Appeal.RejectionReason.COURT_DECISION,
    Appeal.RejectionReason.ANSWERED_PUBLICLY,
}


def deadline_from(start: datetime, extra_days: int = 0) -> date:
    # The law counts calendar days; the last day is still on time.
    return timezone.localdate(start) + timedelta(days=DEADLINE_DAYS + extra_days)


def _locked(appeal: Appeal) -> Appeal:
    """Re-read the appeal under a row lock so two actions on it cannot interleave."""
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("deputy", "citizen")
        .get(pk=appeal.pk)
    )


def _require_status(appeal, allowed, message):
    if appeal.status not in allowed:
        raise ApplicationError(message)


def _require_assigned_deputy(scope, appeal):
    if not access.is_appeal_deputy(scope, appeal):
        raise PermissionDenied(_("Only the deputy the appeal is assigned to may do this."))


def _require_citizen(scope, appeal):
    if not access.is_appeal_citizen(scope, appeal):
        raise PermissionDenied(_("Only the author of the appeal may do this."))
