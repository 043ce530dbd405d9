"""One entry point for the appeal's actions; what a page may offer is
deputies.access.appeal_actions."""

from ..models import Appeal
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
        "correct_topic": lambda: appeal_correct_topic(**common, topic=data["topic"]),
    }
    return calls[action]()
