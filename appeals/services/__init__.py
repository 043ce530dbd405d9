"""Every change of an appeal's state happens here (SPEC, The appeal's life).

Each service checks who acts and whether the transition is legal, changes the
appeal, writes its history through `events`, keeps the deputies' open-appeal
counters, and notifies. An illegal request raises ApplicationError and changes
nothing; bad input raises ValidationError.

filing: first and repeat appeals; life: what happens to an appeal after it is filed;
jobs: the scheduled closing and reminders; actions: one entry point for the pages and
the API. Callers import from here.
"""

from ._common import (
    AUTO_CLOSE_DAYS,
    DEADLINE_DAYS,
    MAX_EXTENSION_DAYS,
    QUEUE_DAYS,
    QUEUE_REMINDER_DAYS,
    REASONS_NEEDING_DETAILS,
    REASSIGNED_DAYS,
    REDIRECT_WINDOW_DAYS,
    Status,
    deadline_from,
)
from .actions import appeal_act
from .filing import (
    appeal_file,
    appeal_file_repeat,
    filing_matches,
    repeat_allowed_until,
    repeat_refusal,
    repeat_subject,
)
from .jobs import appeals_close_answered, appeals_remind
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
from .topics import appeal_correct_topic

__all__ = [
    "AUTO_CLOSE_DAYS",
    "DEADLINE_DAYS",
    "MAX_EXTENSION_DAYS",
    "QUEUE_DAYS",
    "QUEUE_REMINDER_DAYS",
    "REASONS_NEEDING_DETAILS",
    "REASSIGNED_DAYS",
    "REDIRECT_WINDOW_DAYS",
    "Status",
    "appeal_act",
    "appeal_assign",
    "appeal_correct_topic",
    "appeal_extend",
    "appeal_file",
    "appeal_file_repeat",
    "appeal_follow_up",
    "appeal_redirect",
    "appeal_reject",
    "appeal_reply",
    "appeal_supplement",
    "appeal_take",
    "appeal_withdraw",
    "appeals_close_answered",
    "appeals_remind",
    "deadline_from",
    "filing_matches",
    "repeat_allowed_until",
    "repeat_refusal",
    "repeat_subject",
]
