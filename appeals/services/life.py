"""The appeal's life after filing: the deputy's work, the citizen's actions and the
committee's assignment (SPEC, The appeal's life)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from deputies import access
from deputies.models import Deputy

from .. import events
from ..attachments import attachments_save, validate_uploads
from ..models import Appeal, Message
from ..notifications import Kind, notify, notify_all
from ..signals import final_answer_given, rating_input_changed
from ._common import (
    DEADLINE_DAYS,
    MAX_EXTENSION_DAYS,
    REASONS_NEEDING_DETAILS,
    REASSIGNED_DAYS,
    Status,
    _locked,
    _require_assigned_deputy,
    _require_citizen,
    _require_status,
)


def _count_open(deputy_id, delta, *, assigned_now=None):
    if deputy_id:
        Deputy.objects.filter(pk=deputy_id).count_open(delta, assigned_now=assigned_now)


def _assign(appeal, deputy, now, *, restart_clock, days=DEADLINE_DAYS):
    previous = appeal.deputy_id
    appeal.deputy = deputy
    appeal.status = Status.ASSIGNED
    appeal.assigned_at = now
    appeal.taken_at = None
    if restart_clock:
        appeal.clock_started_at = now
        appeal.deadline = timezone.localdate(now) + timedelta(days=days)
        appeal.extended_days = 0
        appeal.extension_reason = ""
    if previous != deputy.pk:
        _count_open(previous, -1)
        _count_open(deputy.pk, +1, assigned_now=now)


# --- the deputy's work ------------------------------------------------------


@transaction.atomic
def appeal_take(*, scope, appeal: Appeal, actor) -> Appeal:
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(appeal, [Status.ASSIGNED], _("Only a newly assigned appeal can be taken."))
    appeal.status = Status.IN_PROGRESS
    appeal.taken_at = timezone.now()
    appeal.save(update_fields=["status", "taken_at", "updated_at"])
    events.taken(appeal, actor=actor, from_status=Status.ASSIGNED)
    return appeal


@transaction.atomic
def appeal_reply(*, scope, appeal: Appeal, actor, text: str, final: bool, files=()) -> Message:
    """An interim reply, or the final answer that moves the appeal to `answered`. After
    the final answer, until the appeal closes, a reply is a supplementary answer
    whatever `final` says: status, answered_at and so the deputy's speed stay those
    of the final answer."""
    checked = _checked_message(text, files)
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(
        appeal,
        [Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED],
        _("The appeal is no longer open: it cannot be answered."),
    )
    if appeal.status == Status.ANSWERED:
        return _supplement(appeal, actor=actor, text=text, checked=checked)
    now = timezone.now()
    if appeal.status == Status.ASSIGNED:
        appeal.status, appeal.taken_at = Status.IN_PROGRESS, now
        events.taken(appeal, actor=actor, from_status=Status.ASSIGNED)
    kind = Message.Kind.ANSWER if final else Message.Kind.INTERIM
    message = _message_add(appeal, actor=actor, kind=kind, text=text, checked=checked, now=now)
    if final:
        appeal.status, appeal.answered_at = Status.ANSWERED, now
        appeal.save(update_fields=["status", "taken_at", "answered_at", "updated_at"])
        _count_open(appeal.deputy_id, -1)
        events.answered(appeal, actor=actor, from_status=Status.IN_PROGRESS)
        notify(user=appeal.citizen, appeal=appeal, kind=Kind.ANSWERED)
        _rating_input_changed(appeal)
        final_answer_given.send(sender=Message, message_id=message.pk)
    else:
        appeal.save(update_fields=["status", "taken_at", "updated_at"])
        events.interim_reply(appeal, actor=actor, from_status=Status.IN_PROGRESS)
        notify(user=appeal.citizen, appeal=appeal, kind=Kind.NEW_MESSAGE)
    return message


@transaction.atomic
def appeal_supplement(*, scope, appeal: Appeal, actor, text: str, files=()) -> Message:
    """A supplementary answer after the final one, typically to a citizen's follow-up."""
    checked = _checked_message(text, files)
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(
        appeal,
        [Status.ANSWERED],
        _("A supplementary answer follows the final answer, until the appeal is closed."),
    )
    return _supplement(appeal, actor=actor, text=text, checked=checked)


def _message_add(appeal, *, actor, kind, text, checked, now=None) -> Message:
    """A message of the thread with its checked attachments."""
    message = Message.objects.create(
        appeal=appeal,
        author=actor,
        kind=kind,
        text=text.strip(),
        created_at=now or timezone.now(),
    )
    attachments_save(appeal=appeal, message=message, uploaded_by=actor, checked=checked)
    return message


def _supplement(appeal, *, actor, text, checked) -> Message:
    # Call inside the appeal's row lock. Nothing of the appeal changes, so no rating
    # input does either: no recompute.
    message = _message_add(
        appeal, actor=actor, kind=Message.Kind.SUPPLEMENTARY, text=text, checked=checked
    )
    events.supplementary_answer(appeal, actor=actor)
    notify(user=appeal.citizen, appeal=appeal, kind=Kind.NEW_MESSAGE)
    return message


def _rating_input_changed(appeal):
    rating_input_changed.send(sender=Appeal, region_id=appeal.region_id)


def _checked_message(text, files):
    errors = {}
    if not text or not text.strip():
        errors["text"] = _("Write the text of the message.")
    try:
        checked = validate_uploads(files)
    except ValidationError as error:
        errors["attachments"] = error.messages
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def appeal_redirect(*, scope, appeal: Appeal, actor, to_deputy: Deputy, reason: str) -> Appeal:
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(
        appeal, [Status.ASSIGNED, Status.IN_PROGRESS], _("Only an open appeal can be redirected.")
    )
    now = timezone.now()
    if not access.redirect_window_open(appeal, now=now):
        raise ApplicationError(
            _("An appeal can be redirected only within 7 days of its registration.")
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the redirect.")
    if not _can_take_over(appeal, to_deputy):
        errors["deputy"] = _("Choose another deputy of the same region who accepts appeals.")
    if errors:
        raise ValidationError(errors)
    previous, from_status = appeal.deputy_id, appeal.status
    _assign(appeal, to_deputy, now, restart_clock=True)
    appeal.save()
    events.redirected(
        appeal, actor=actor, reason=reason.strip(), from_deputy_id=previous, from_status=from_status
    )
    notify_all(
        appeal=appeal,
        recipients=[(to_deputy.user_id, Kind.NEW_APPEAL), (appeal.citizen_id, Kind.REDIRECTED)],
    )
    return appeal


def _can_take_over(appeal, deputy) -> bool:
    return access.may_take_over(deputy, appeal, timezone.localdate())


@transaction.atomic
def appeal_extend(*, scope, appeal: Appeal, actor, days: int, reason: str) -> Appeal:
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(
        appeal, [Status.ASSIGNED, Status.IN_PROGRESS], _("Only an open appeal can be extended.")
    )
    if appeal.extended_days:
        raise ApplicationError(_("The deadline can be extended only once."))
    if appeal.deadline < timezone.localdate():
        raise ApplicationError(_("The deadline has passed: it can no longer be extended."))
    errors = {}
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("An extension is from 1 to 30 days.")
    if not reason.strip():
        errors["reason"] = _("Give the reason the citizen will see.")
    if errors:
        raise ValidationError(errors)
    appeal.extended_days = days
    appeal.extension_reason = reason.strip()
    appeal.deadline = appeal.deadline + timedelta(days=days)
    appeal.save(update_fields=["extended_days", "extension_reason", "deadline", "updated_at"])
    events.extended(appeal, actor=actor, reason=appeal.extension_reason, days=days)
    notify(user=appeal.citizen, appeal=appeal, kind=Kind.EXTENDED)
    return appeal


@transaction.atomic
def appeal_reject(*, scope, appeal: Appeal, actor, reason: str, details: str = "") -> Appeal:
    appeal = _locked(appeal)
    _require_assigned_deputy(scope, appeal)
    _require_status(appeal, Appeal.OPEN_STATUSES, _("Only an open appeal can be rejected."))
    if reason not in Appeal.RejectionReason.values:
        raise ValidationError({"reason": _("Choose a ground from the law's list.")})
    if reason in REASONS_NEEDING_DETAILS and not details.strip():
        raise ValidationError(
            {"details": _("For this ground tell the citizen where to turn: the procedure or link.")}
        )
    from_status = appeal.status
    appeal.status = Status.REJECTED
    appeal.rejection_reason = reason
    appeal.rejection_details = details.strip()
    appeal.closed_at = timezone.now()
    missed = _count_missed_if_late(appeal)
    appeal.save(
        update_fields=[
            "status",
            "rejection_reason",
            "rejection_details",
            "closed_at",
            "missed_by",
            "updated_at",
        ]
    )
    _count_open(appeal.deputy_id, -1)
    events.rejected(appeal, actor=actor, from_status=from_status, missed=missed)
    notify(user=appeal.citizen, appeal=appeal, kind=Kind.REJECTED)
    if missed:
        _rating_input_changed(appeal)
    return appeal


def _count_missed_if_late(appeal) -> bool:
    """Closing an appeal without an answer after its deadline counts it as missed for the
    deputy who held it: otherwise rejecting an overdue appeal would lift their speed.
    An appeal already missed by an earlier deputy stays theirs alone. Call before
    saving; returns whether this closing counts as a miss."""
    if appeal.deputy_id is None or appeal.missed_by_id is not None:
        return False
    if appeal.deadline >= timezone.localdate(appeal.closed_at):
        return False
    appeal.missed_by_id = appeal.deputy_id
    return True


# --- the citizen's actions --------------------------------------------------


@transaction.atomic
def appeal_withdraw(*, scope, appeal: Appeal, actor, reason: str = "") -> Appeal:
    appeal = _locked(appeal)
    _require_citizen(scope, appeal)
    _require_status(appeal, Appeal.OPEN_STATUSES, _("Only an open appeal can be withdrawn."))
    from_status = appeal.status
    appeal.status = Status.WITHDRAWN
    appeal.closed_at = timezone.now()
    missed = _count_missed_if_late(appeal)
    appeal.save(update_fields=["status", "closed_at", "missed_by", "updated_at"])
    _count_open(appeal.deputy_id, -1)
    events.withdrawn(
        appeal, actor=actor, reason=reason.strip(), from_status=from_status, missed=missed
    )
    if missed:
        _rating_input_changed(appeal)
    return appeal


@transaction.atomic
def appeal_follow_up(*, scope, appeal: Appeal, actor, text: str, files=()) -> Message:
    checked = _checked_message(text, files)
    appeal = _locked(appeal)
    _require_citizen(scope, appeal)
    _require_status(
        appeal,
        [*Appeal.OPEN_STATUSES, Status.ANSWERED],
        _("The appeal is closed: file a new one instead."),
    )
    message = _message_add(
        appeal, actor=actor, kind=Message.Kind.FOLLOW_UP, text=text, checked=checked
    )
    events.follow_up(appeal, actor=actor)
    if appeal.deputy_id:
        notify(user=appeal.deputy.user, appeal=appeal, kind=Kind.NEW_MESSAGE)
    return message


# --- the committee's queue --------------------------------------------------


@transaction.atomic
def appeal_assign(*, scope, appeal: Appeal, actor, to_deputy: Deputy) -> Appeal:
    """A committee assigns an appeal of its region, only while it is unassigned or overdue.

    From the unassigned queue it is a redirect in the law's sense: the deputy's 30 days
    start at the assignment. Taken from a deputy past the deadline, it counts as missed
    for that deputy, and the new one answers within 7 days, outside their own speed.
    Either way the citizen is told the new deadline and why."""
    appeal = _locked(appeal)
    if not access.is_appeal_committee(scope, appeal):
        raise PermissionDenied(_("Only the region's committee assigns its appeals."))
    _require_status(appeal, Appeal.OPEN_STATUSES, _("Only an open appeal can be assigned."))
    now = timezone.now()
    if not access.can_assign_appeal(scope, appeal, today=timezone.localdate(now)):
        raise ApplicationError(
            _(
                "The deputy still has time to answer this appeal (until %(deadline)s): "
                "a committee may reassign an appeal only while it is unassigned or overdue."
            )
            % {"deadline": formats.date_format(appeal.deadline, "SHORT_DATE_FORMAT")}
        )
    if not _can_take_over(appeal, to_deputy):
        raise ValidationError(
            {"deputy": _("Choose another deputy of the region who accepts appeals.")}
        )
    from_status, previous = appeal.status, appeal.deputy_id
    if previous is None:
        _assign(appeal, to_deputy, now, restart_clock=True)
        appeal.left_queue_at = now
        citizen_kind = Kind.ASSIGNED_FROM_QUEUE
    else:
        if appeal.missed_by_id is None:
            appeal.missed_by_id = previous
        _assign(appeal, to_deputy, now, restart_clock=True, days=REASSIGNED_DAYS)
        citizen_kind = Kind.REASSIGNED
    appeal.save()
    events.assigned(appeal, actor=actor, from_status=from_status, previous_deputy_id=previous)
    notify_all(
        appeal=appeal,
        recipients=[(to_deputy.user_id, Kind.NEW_APPEAL), (appeal.citizen_id, citizen_kind)],
    )
    if previous is not None:
        _rating_input_changed(appeal)  # a miss for the deputy it was taken from
    return appeal
