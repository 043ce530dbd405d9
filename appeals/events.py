"""One small writer per kind of history entry. Call inside the service's transaction.

The system's own reasons are stored as a code in `params["why"]` (with what the
sentence needs beside it) and worded when shown, in the reader's language
(appeals.history); `reason` holds only what a person wrote: the deputy's redirect or
extension, the citizen's withdrawal.

The events integrators subscribe to (filed, assigned, answered, rated) are queued for
their webhooks here as well (appeals.webhooks), in the same transaction."""

from django.utils import timezone

from core.db import insert

from .models import Appeal, AppealEvent
from .webhooks import Event, appeal_event

Type = AppealEvent.Type


class Why:
    """The codes of `params["why"]`."""

    CHOSEN = "chosen"  # routed: the deputy the citizen chose
    DISTRICT = "district"  # routed: the deputy of the district covering the municipality
    LEAST_LOADED = "least_loaded"  # routed: the fewest open appeals in the region
    ANSWERED_FIRST = "answered_first"  # routed: a repeat, to who answered the first appeal
    NO_DEPUTY = "no_deputy"  # queued: no deputy of the region accepts appeals
    REPEAT = "repeat"  # registered: a repeat of params["first"]
    NO_FEEDBACK = "no_feedback"  # closed: 14 days after the answer without feedback
    RATED = "rated"  # closed: the citizen rated the answer


def _event(
    appeal, type_, *, actor=None, reason="", deputy=None, from_status="", to_status="", params=None
):
    return AppealEvent(
        appeal=appeal,
        type=type_,
        actor=actor,
        created_at=timezone.now(),
        from_status=from_status,
        to_status=to_status or appeal.status,
        deputy=deputy,
        reason=reason,
        params=params or {},
    )


def _write(appeal, type_, **kwargs):
    event = _event(appeal, type_, **kwargs)
    event.save()
    return event


def filed(appeal: Appeal, *, actor, why: dict, registered_why: dict | None = None):
    """Registration and routing (or queueing) of a new appeal, written in one insert.
    `why` and `registered_why`: the params of the two entries, a Why code and its
    details ({"why": Why.REPEAT, "first": "77-2026-000001"})."""
    submitted = Appeal.Status.SUBMITTED
    first = _event(appeal, Type.REGISTERED, actor=actor, to_status=submitted, params=registered_why)
    second = (
        _event(appeal, Type.ROUTED, deputy=appeal.deputy, from_status=submitted, params=why)
        if appeal.deputy_id
        else _event(appeal, Type.QUEUED, params=why)
    )
    appeal_event(appeal, Event.FILED, repeat_of=(registered_why or {}).get("first"))
    return insert([first, second])  # the busiest write of all: compiled once


def assigned(appeal: Appeal, *, actor, from_status: str, previous_deputy_id=None):
    """The committee's assignment, with the deadline it set and, for an appeal taken
    from a deputy after the deadline, whom it counts as missed for (which is also why
    it was assigned, worded from these params)."""
    params = {"deadline": appeal.deadline.isoformat()}
    if previous_deputy_id:
        params |= {"from_deputy": previous_deputy_id, "missed_by": appeal.missed_by_id}
    else:
        params["from_queue"] = True
    appeal_event(appeal, Event.ASSIGNED, via="assignment")
    return _write(
        appeal,
        Type.ASSIGNED,
        actor=actor,
        deputy=appeal.deputy,
        from_status=from_status,
        params=params,
    )


def taken(appeal: Appeal, *, actor, from_status: str):
    return _write(appeal, Type.TAKEN, actor=actor, from_status=from_status)


def interim_reply(appeal: Appeal, *, actor, from_status: str):
    return _write(appeal, Type.INTERIM_REPLY, actor=actor, from_status=from_status)


def follow_up(appeal: Appeal, *, actor):
    return _write(appeal, Type.FOLLOW_UP, actor=actor, from_status=appeal.status)


def answered(appeal: Appeal, *, actor, from_status: str):
    appeal_event(appeal, Event.ANSWERED)
    return _write(appeal, Type.ANSWERED, actor=actor, from_status=from_status)


def supplementary_answer(appeal: Appeal, *, actor):
    return _write(appeal, Type.SUPPLEMENTARY, actor=actor, from_status=appeal.status)


def repeat_filed(appeal: Appeal, *, actor, repeat: Appeal):
    """On the first appeal: the citizen disputes its answer with `repeat`."""
    return _write(
        appeal,
        Type.REPEAT_FILED,
        actor=actor,
        reason=repeat.number,
        from_status=appeal.status,
        params={"repeat": repeat.number},
    )


def redirected(appeal: Appeal, *, actor, reason: str, from_deputy_id: int, from_status: str):
    appeal_event(appeal, Event.ASSIGNED, via="redirect")
    return _write(
        appeal,
        Type.REDIRECTED,
        actor=actor,
        reason=reason,
        deputy=appeal.deputy,
        from_status=from_status,
        params={"from_deputy": from_deputy_id},
    )


def extended(appeal: Appeal, *, actor, reason: str, days: int):
    return _write(
        appeal,
        Type.EXTENDED,
        actor=actor,
        reason=reason,
        from_status=appeal.status,
        params={"days": days, "deadline": appeal.deadline.isoformat()},
    )


def _missed(appeal, missed):
    # Closed after the deadline without an answer: a miss for the deputy who held it.
    return {"missed_by": appeal.missed_by_id} if missed else {}


def rejected(appeal: Appeal, *, actor, from_status: str, missed: bool = False):
    return _write(
        appeal,
        Type.REJECTED,
        actor=actor,
        from_status=from_status,
        params={
            "reason": appeal.rejection_reason,
            "details": appeal.rejection_details,
            **_missed(appeal, missed),
        },
    )


def withdrawn(appeal: Appeal, *, actor, reason: str, from_status: str, missed: bool = False):
    return _write(
        appeal,
        Type.WITHDRAWN,
        actor=actor,
        reason=reason,
        from_status=from_status,
        params=_missed(appeal, missed),
    )


def closed(appeal: Appeal, *, actor=None, why: str, from_status: str):
    if why == Why.RATED:
        appeal_event(appeal, Event.RATED, changed=False)
    return _write(appeal, Type.CLOSED, actor=actor, from_status=from_status, params={"why": why})


def feedback_left(appeal: Appeal, *, actor, changed: bool = False):
    if changed:  # a first rating closes the appeal: `closed` sends it with that status
        appeal_event(appeal, Event.RATED, changed=True)
    return _write(
        appeal, Type.FEEDBACK, actor=actor, from_status=appeal.status, params={"changed": changed}
    )


def topic_changed(appeal: Appeal, *, actor, old_topic, new_topic):
    """The deputy's correction of the topic: both topics by slug (a slug outlives a
    renamed topic) and id."""
    return _write(
        appeal,
        Type.TOPIC_CHANGED,
        actor=actor,
        from_status=appeal.status,
        params={
            "from": old_topic.slug,
            "to": new_topic.slug,
            "from_id": old_topic.pk,
            "to_id": new_topic.pk,
        },
    )


def collective_joined(appeal: Appeal, *, actor, collective):
    return _write(
        appeal,
        Type.COLLECTIVE_JOIN,
        actor=actor,
        from_status=appeal.status,
        params={"collective": collective.pk},
    )


def collective_left(appeal: Appeal, *, actor, collective):
    return _write(
        appeal,
        Type.COLLECTIVE_LEAVE,
        actor=actor,
        from_status=appeal.status,
        params={"collective": collective.pk},
    )
