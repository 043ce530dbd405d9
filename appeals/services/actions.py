"""One entry point for the appeal's actions, and what a page may offer."""

from datetime import timedelta

from django.utils import timezone

from deputies import access

from ..models import Appeal
from ._common import REDIRECT_WINDOW_DAYS, Status
from .life import (
    appeal_assign,
    appeal_extend,
    appeal_follow_up,
    appeal_redirect,
    appeal_reject,
    appeal_reply,
    appeal_supplement,
    appeal_take,
    appeal_withdraw,
)


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
