"""Every change of an appeal's state happens here (SPEC, The appeal's life).

Each service checks who acts and whether the transition is legal, changes the
appeal, writes its history through `events`, keeps the deputies' open-appeal
counters, and notifies. An illegal request raises ApplicationError and changes
nothing; bad input raises ValidationError.
"""

from collections import defaultdict
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.errors import ApplicationError, LimitReached
from deputies import access
from deputies.models import CommitteeMembership, Deputy

from . import events, routing
from .attachments import attachments_save, validate_uploads
from .limits import filing_caps_check
from .models import Appeal, AppealNumberSequence, Message
from .notifications import Kind, notify, notify_all
from .signals import rating_input_changed

Status = Appeal.Status
DEADLINE_DAYS = 30
REDIRECT_WINDOW_DAYS = 7
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


# --- helpers ----------------------------------------------------------------


def _count_open(deputy_id, delta, *, assigned_now=None):
    if deputy_id:
        Deputy.objects.filter(pk=deputy_id).count_open(delta, assigned_now=assigned_now)


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
    if not (scope.is_citizen and appeal.citizen_id == scope.user_id):
        raise PermissionDenied(_("Only the author of the appeal may do this."))


def _next_number(region, when) -> str:
    """Take the region's next public number. The UPDATE's row lock is held to the end of
    the filing transaction: numbers have no gaps, and the filings of one region are
    serialised, which is what routing needs to see each other's counters."""
    year = timezone.localdate(when).year
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # Django's update() cannot return the new value; both databases can.
            cursor.execute(
                "UPDATE appeals_appealnumbersequence SET last = last + 1 "
                "WHERE region_id = %s AND year = %s RETURNING last",
                [region.pk, year],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{region.code}-{year}-{row[0]:06d}"
        # The region's first appeal of the year; another filing may be creating it too.
        with suppress(IntegrityError), transaction.atomic():
            AppealNumberSequence.objects.create(region=region, year=year, last=0)
    raise RuntimeError("the appeal number sequence could not be created")


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


# --- filing -----------------------------------------------------------------


def appeal_file(
    *,
    citizen,
    region,
    topic,
    subject: str,
    text: str,
    consent: bool,
    municipality=None,
    address: str = "",
    chosen_deputy=None,
    level: str = "",
    files=(),
    idempotency_key: str = "",
    repeat_of: Appeal | None = None,
) -> tuple[Appeal, bool]:
    """File an appeal; returns it and whether it is new. The same idempotency key
    returns the appeal it created the first time, never a second one: the unique
    constraint on (citizen, key) decides, so the common case costs no extra lookup.
    With `repeat_of` it is a repeat appeal disputing that appeal's answer."""
    errors = {}
    if citizen.role != citizen.Role.CITIZEN:
        raise PermissionDenied(_("Only citizens file appeals."))
    if not citizen.email_confirmed:
        raise ApplicationError(_("Confirm your e-mail before filing an appeal."))
    if not citizen.full_name.strip():
        errors["full_name"] = _("Appeals are not accepted anonymously: give your name.")
    if not consent:
        errors["consent"] = _("The consent to the processing of personal data is required.")
    if municipality is not None and municipality.region_id != region.pk:
        errors["municipality"] = _("This municipality is not in the chosen region.")
    if chosen_deputy is not None and (
        chosen_deputy.region_id != region.pk or not chosen_deputy.accepts_appeals
    ):
        errors["deputy"] = _("This deputy does not accept appeals in the chosen region.")
    if not subject.strip():
        errors["subject"] = _("This field is required.")
    if not text.strip():
        errors["text"] = _("This field is required.")
    if repeat_of is not None:
        errors.update(_repeat_errors(citizen=citizen, original=repeat_of, region=region))
    try:
        checked = validate_uploads(files)
    except ValidationError as error:
        errors["attachments"] = error.messages
    if errors:
        raise ValidationError(errors)

    try:
        appeal = _file(
            citizen=citizen,
            region=region,
            municipality=municipality,
            topic=topic,
            subject=subject.strip(),
            text=text.strip(),
            address=address.strip(),
            chosen_deputy=chosen_deputy,
            level=level,
            checked=checked,
            idempotency_key=idempotency_key,
            repeat_of=repeat_of,
        )
    except (IntegrityError, LimitReached):
        # The key was used before (or won a race in another request): that appeal is the
        # answer, even when the caps would refuse a new one.
        if idempotency_key:
            existing = Appeal.objects.filter(
                citizen=citizen, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing, False
        raise
    return appeal, True


@transaction.atomic
def _file(*, citizen, region, municipality, topic, subject, text, address, chosen_deputy,
          level, checked, idempotency_key, repeat_of=None) -> Appeal:  # fmt: skip
    now = timezone.now()
    number = _next_number(region, now)  # also serialises the region's routing
    same_deputy = None
    if repeat_of is not None:
        # Under the first appeal's row lock: two repeats filed at once see each other.
        repeat_of = _locked(repeat_of)
        if chosen_deputy is None and _can_take_repeat(repeat_of, repeat_of.deputy):
            same_deputy = repeat_of.deputy
    with translation.override(settings.LANGUAGE_CODE):
        route = routing.route(  # counts the appeal on the deputy it names
            now=now,
            region_id=region.pk,
            municipality=municipality,
            chosen=chosen_deputy or same_deputy,
            level=level,
        )
        if same_deputy is not None:
            route = replace(
                route,
                reason=_("routed to %(name)s: answered the appeal No. %(number)s")
                % {"name": same_deputy.full_name, "number": repeat_of.number},
            )
        registered_reason = (
            _("repeat appeal: the citizen disagrees with the answer to No. %(number)s")
            % {"number": repeat_of.number}
            if repeat_of is not None
            else ""
        )
    deputy = route.deputy
    filing_caps_check(citizen_id=citizen.pk, deputy_id=deputy.pk if deputy else None, now=now)
    appeal = Appeal(
        number=number,
        citizen=citizen,
        region=region,
        municipality=municipality,
        address=address,
        topic=topic,
        subject=subject,
        text=text,
        chosen_deputy=chosen_deputy,
        deputy=deputy,
        status=Status.ASSIGNED if deputy else Status.SUBMITTED,
        registered_at=now,
        clock_started_at=now,
        assigned_at=now if deputy else None,
        deadline=deadline_from(now),
        consent_at=now,
        consent_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        idempotency_key=idempotency_key,
        repeat_of=repeat_of,
    )
    appeal.save(force_insert=True)
    if repeat_of is not None:
        _refuse_second_repeat(repeat_of, appeal)
    appeal.filing_events = events.filed(
        appeal, actor=citizen, reason=route.reason, registered_reason=registered_reason
    )
    if repeat_of is not None:
        events.repeat_filed(repeat_of, actor=citizen, repeat=appeal)
    if checked:
        attachments_save(appeal=appeal, message=None, uploaded_by=citizen, checked=checked)
    if deputy is not None:
        notify_all(
            appeal=appeal,
            recipients=[(deputy.user_id, Kind.NEW_APPEAL), (citizen.pk, Kind.ASSIGNED)],
        )
    return appeal


# --- repeat appeals ("не согласен с ответом") ----------------------------------


def appeal_file_repeat(
    *,
    citizen,
    original: Appeal,
    text: str,
    consent: bool,
    subject: str = "",
    topic=None,
    municipality=None,
    address: str = "",
    chosen_deputy=None,
    files=(),
    idempotency_key: str = "",
) -> tuple[Appeal, bool]:
    """A repeat appeal by a citizen who disagrees with the answer to `original`: a new
    appeal of its own (number, 30-day clock, feedback) in the same region, to the
    deputy who answered unless the citizen chooses another or that deputy no longer
    accepts appeals. What is not given is taken from the first appeal."""
    return appeal_file(
        citizen=citizen,
        region=original.region,
        topic=topic or original.topic,
        subject=subject or repeat_subject(original),
        text=text,
        consent=consent,
        municipality=municipality if municipality is not None else original.municipality,
        address=address,
        chosen_deputy=chosen_deputy,
        files=files,
        idempotency_key=idempotency_key,
        repeat_of=original,
    )


def repeat_subject(original: Appeal) -> str:
    return _("Repeat appeal to No. %(number)s") % {"number": original.number}


def repeat_allowed_until(appeal: Appeal) -> date | None:
    """The last day a repeat of this appeal may be filed, or None if it has no answer."""
    return access.repeat_allowed_until(appeal)


def repeat_refusal(*, citizen, original: Appeal) -> str | None:
    """Why this citizen may not file a repeat of `original` now, or None if they may."""
    # One message for "not yours" and "missing": the first appeal's existence never leaks.
    if original.citizen_id != citizen.pk:
        return _("No such appeal among yours.")
    if access.repeat_allowed_until(original) is None:
        return _("A repeat appeal disputes an answer: this appeal has none yet.")
    if not access.can_file_repeat(access.scope_for(citizen), original, today=timezone.localdate()):
        return _(
            "A repeat appeal may be filed within 30 days of the answer; "
            "for this one they are over: file a new appeal."
        )
    return None


def _repeat_errors(*, citizen, original, region) -> dict:
    refusal = repeat_refusal(citizen=citizen, original=original)
    if refusal is not None:
        return {"repeat_of": refusal}
    if region.pk != original.region_id:
        return {"region": _("A repeat appeal goes to the region of the first one.")}
    return {}


def _can_take_repeat(original, deputy) -> bool:
    return deputy is not None and deputy.accepts_appeals and deputy.region_id == original.region_id


def _refuse_second_repeat(original, repeat):
    # Call inside the filing transaction, after the repeat's row: it is rolled back.
    earlier = (
        Appeal.objects.filter(repeat_of_id=original.pk)
        .exclude(pk=repeat.pk)
        .exclude(status=Status.WITHDRAWN)
        .values_list("number", flat=True)
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "repeat_of": _(
                    "A repeat of this appeal is already filed as No. %(number)s: "
                    "write in its correspondence."
                )
                % {"number": earlier}
            }
        )


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
    message = Message.objects.create(
        appeal=appeal,
        author=actor,
        kind=Message.Kind.ANSWER if final else Message.Kind.INTERIM,
        text=text.strip(),
        created_at=now,
    )
    attachments_save(appeal=appeal, message=message, uploaded_by=actor, checked=checked)
    if final:
        appeal.status, appeal.answered_at = Status.ANSWERED, now
        appeal.save(update_fields=["status", "taken_at", "answered_at", "updated_at"])
        _count_open(appeal.deputy_id, -1)
        events.answered(appeal, actor=actor, from_status=Status.IN_PROGRESS)
        notify(user=appeal.citizen, appeal=appeal, kind=Kind.ANSWERED)
        _rating_input_changed(appeal)
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


def _supplement(appeal, *, actor, text, checked) -> Message:
    # Call inside the appeal's row lock. Nothing of the appeal changes, so no rating
    # input does either: no recompute.
    message = Message.objects.create(
        appeal=appeal,
        author=actor,
        kind=Message.Kind.SUPPLEMENTARY,
        text=text.strip(),
        created_at=timezone.now(),
    )
    attachments_save(appeal=appeal, message=message, uploaded_by=actor, checked=checked)
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
    if now > appeal.registered_at + timedelta(days=REDIRECT_WINDOW_DAYS):
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
    message = Message.objects.create(
        appeal=appeal,
        author=actor,
        kind=Message.Kind.FOLLOW_UP,
        text=text.strip(),
        created_at=timezone.now(),
    )
    attachments_save(appeal=appeal, message=message, uploaded_by=actor, checked=checked)
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
    with translation.override(settings.LANGUAGE_CODE):  # the history is kept in one language
        if previous is None:
            _assign(appeal, to_deputy, now, restart_clock=True)
            appeal.left_queue_at = now
            citizen_kind = Kind.ASSIGNED_FROM_QUEUE
            reason = _(
                "assigned from the committee's queue: the deputy's 30 days start at the assignment"
            )
        else:
            if appeal.missed_by_id is None:
                appeal.missed_by_id = previous
            _assign(appeal, to_deputy, now, restart_clock=True, days=REASSIGNED_DAYS)
            citizen_kind = Kind.REASSIGNED
            reason = _(
                "taken from the deputy after the deadline was missed: the new deputy "
                "answers within 7 days"
            )
    appeal.save()
    events.assigned(
        appeal, actor=actor, from_status=from_status, previous_deputy_id=previous, reason=reason
    )
    notify_all(
        appeal=appeal,
        recipients=[(to_deputy.user_id, Kind.NEW_APPEAL), (appeal.citizen_id, citizen_kind)],
    )
    if previous is not None:
        _rating_input_changed(appeal)  # a miss for the deputy it was taken from
    return appeal


# --- scheduled jobs ---------------------------------------------------------


def appeals_close_answered(*, now: datetime | None = None) -> int:
    """Close appeals answered 14 days ago and never rated. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=AUTO_CLOSE_DAYS)
    closed = 0
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("14 days after the answer without feedback")
    while True:
        with transaction.atomic():
            batch = list(
                Appeal.objects.select_for_update(skip_locked=True)
                .filter(status=Status.ANSWERED, answered_at__lte=cutoff)
                .order_by("answered_at")[:500]
            )
            if not batch:
                return closed
            for appeal in batch:
                appeal.status, appeal.closed_at = Status.CLOSED, now
                events.closed(appeal, reason=reason, from_status=Status.ANSWERED)
            Appeal.objects.bulk_update(batch, ["status", "closed_at"])
            closed += len(batch)


def appeals_remind(*, today: date | None = None, now: datetime | None = None) -> dict:
    """Deadline reminders to deputies, the feedback reminder to citizens and the
    unassigned-queue reminders to committees; each keyed by the deadline, the answer or
    the day, so a second run sends nothing."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    sent = {"due_soon": 0, "overdue": 0, "feedback": 0}
    open_ = Appeal.objects.open().filter(deputy__isnull=False).select_related("deputy__user")
    for appeal in open_.filter(deadline=today + timedelta(days=5)).iterator():
        sent["due_soon"] += notify(
            user=appeal.deputy.user, appeal=appeal, kind=Kind.DUE_SOON, key=str(appeal.deadline)
        )
    # The day after the last day is the day it is missed; a few days back covers a missed run.
    missed = open_.filter(deadline__lt=today, deadline__gte=today - timedelta(days=3))
    for appeal in missed.iterator():
        sent["overdue"] += notify(
            user=appeal.deputy.user, appeal=appeal, kind=Kind.OVERDUE, key=str(appeal.deadline)
        )
    unrated = Appeal.objects.filter(
        status=Status.ANSWERED,
        answered_at__lte=now - timedelta(days=7),
        feedback__isnull=True,
    ).select_related("citizen")
    for appeal in unrated.iterator():
        sent["feedback"] += notify(
            user=appeal.citizen,
            appeal=appeal,
            kind=Kind.FEEDBACK_REMINDER,
            key=appeal.answered_at.isoformat(),
        )
    sent.update(_remind_committees(today))
    return sent


def _remind_committees(today: date) -> dict:
    """Day 3 and day 7 of an appeal in the unassigned queue, to every member of its
    region's committee. Day N is N calendar days after the registration day; a run
    missed on day 3 is made up until day 6, and day 7's reminder goes out once however
    late. Keyed by the day, so a second run sends nothing."""
    first, last = QUEUE_REMINDER_DAYS
    registered_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=first - 1), datetime.min.time())
    )
    waiting = list(  # the unassigned-queue index: the queue is short
        Appeal.objects.filter(
            deputy__isnull=True, status=Status.SUBMITTED, registered_at__lt=registered_before
        ).only("pk", "region_id", "registered_at")
    )
    members = defaultdict(list)
    for membership in CommitteeMembership.objects.filter(
        region_id__in={appeal.region_id for appeal in waiting}, user__is_active=True
    ).select_related("user"):
        members[membership.region_id].append(membership.user)
    sent = {"queue_day_3": 0, "queue_day_7": 0}
    for appeal in waiting:
        waited = (today - timezone.localdate(appeal.registered_at)).days
        day, kind = (last, Kind.QUEUE_DAY_7) if waited >= last else (first, Kind.QUEUE_DAY_3)
        for user in members[appeal.region_id]:
            sent[kind] += notify(user=user, appeal=appeal, kind=kind, key=f"day{day}")
    return sent


def can_act(scope, appeal) -> dict:
    """What the page may offer this scope on this appeal; the services still decide."""
    deputy = access.is_appeal_deputy(scope, appeal)
    citizen = scope.is_citizen and appeal.citizen_id == scope.user_id
    open_ = appeal.status in Appeal.OPEN_STATUSES
    in_work = appeal.status in (Status.ASSIGNED, Status.IN_PROGRESS)
    return {
        "take": deputy and appeal.status == Status.ASSIGNED,
        "reply": deputy and in_work,
        "supplement": deputy and appeal.status == Status.ANSWERED,
        "repeat": access.can_file_repeat(scope, appeal, today=timezone.localdate()),
        "redirect": deputy
        and in_work
        and timezone.now() <= appeal.registered_at + timedelta(days=REDIRECT_WINDOW_DAYS),
        "extend": deputy
        and in_work
        and not appeal.extended_days
        and appeal.deadline >= timezone.localdate(),
        "reject": deputy and open_,
        "withdraw": citizen and open_,
        "follow_up": citizen and appeal.status in (*Appeal.OPEN_STATUSES, Status.ANSWERED),
        "assign": access.can_assign_appeal(scope, appeal, today=timezone.localdate()),
        "read_text": access.can_read_appeal_text(scope, appeal),
    }


def appeal_act(*, action: str, scope, appeal: Appeal, actor, data: dict):
    """Run one of the appeal's actions from validated input. The page and the API both
    come through here, so an action means the same thing wherever it is asked for."""
    files = data.get("attachments", ())
    common = {"scope": scope, "appeal": appeal, "actor": actor}
    calls = {
        "take": lambda: appeal_take(**common),
        "reply": lambda: appeal_reply(
            **common, text=data["text"], final=data.get("final", True), files=files
        ),
        "follow_up": lambda: appeal_follow_up(**common, text=data["text"], files=files),
        "supplement": lambda: appeal_supplement(**common, text=data["text"], files=files),
        "redirect": lambda: appeal_redirect(
            **common, to_deputy=data["deputy"], reason=data["reason"]
        ),
        "extend": lambda: appeal_extend(**common, days=data["days"], reason=data["reason"]),
        "reject": lambda: appeal_reject(
            **common, reason=data["reason"], details=data.get("details", "")
        ),
        "withdraw": lambda: appeal_withdraw(**common, reason=data.get("reason", "")),
        "assign": lambda: appeal_assign(**common, to_deputy=data["deputy"]),
    }
    return calls[action]()
