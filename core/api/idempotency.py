"""Idempotent creation through the `Idempotency-Key` header.

A client that did not hear the answer to a POST sends it again with the same key and
body: the object the first request created comes back with the first answer's status
(201), its `Location` and `Idempotent-Replayed: true`, and nothing new is made. The
same key with another body is a 409 (`idempotency_reused`). A key is kept as long as
the object it created, per caller (two callers' equal keys do not meet).

A replay is never throttled and spends no budget: the throttles run first, as usual,
and only when they refuse is the key looked up (one indexed read), so a first filing
pays nothing for this. A replay they let through gives its place back."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 60
REPLAYED = "Idempotent-Replayed"

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
    OpenApiParameter.HEADER,
    description=(
        f"Any text of 1 to {KEY_MAX_LENGTH} characters, new for each new object (a UUID "
        "will do). Sending the same key and body again returns the object created the "
        "first time with status 201, its `Location` and `Idempotent-Replayed: true`, "
        "even when the rate limit is spent; the same key with another body is a 409 "
        "(`idempotency_reused`). A key is remembered for as long as the object exists, "
        "per caller."
    ),
)


def key_from(request) -> str:
    """The request's key, blank when it has none; a key sent empty or too long is a 400
    (an empty one would make a retry file twice)."""
    key = request.headers.get(HEADER)
    if key is None:
        return ""
    key = key.strip()
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        message = _("From 1 to %(max)d characters.") % {"max": KEY_MAX_LENGTH}
        raise ValidationError({HEADER: [message]}, code="invalid_idempotency_key")
    return key


def created(response, location: str, *, replayed: bool = False):
    """The 201 answer's headers, the first time and on every replay."""
    response["Location"] = location
    if replayed:
        response[REPLAYED] = "true"
    return response


class IdempotentCreate:
    """Mixed into a create view before DRF's view class. The view defines
    `find_replay(request, key)`: the object the caller created with this key, or None.
    When the throttles refuse a POST whose key finds one, the view runs on with
    `self.replay` set and answers it; when they let a replay through, the view calls
    `self.replayed(request)` to give the place back."""

    replay = None

    def find_replay(self, request, key: str):
        raise NotImplementedError

    def check_throttles(self, request):
        # DRF's, keeping the throttles to refund them and looking the key up on refusal.
        self.checked_throttles = self.get_throttles()
        waits = [
            throttle.wait()
            for throttle in self.checked_throttles
            if not throttle.allow_request(request, self)
        ]
        if not waits:
            return
        if request.method == "POST":
            try:
                key = key_from(request)
            except ValidationError:
                key = ""  # refused as throttled; the 400 would come after the wait
            if key:
                self.replay = self.find_replay(request, key)
        if self.replay is None:
            self.throttled(request, max((w for w in waits if w is not None), default=None))

    def replayed(self, request):
        for throttle in getattr(self, "checked_throttles", ()):
            refund = getattr(throttle, "refund", None)
            if refund is not None:
                refund(request)
