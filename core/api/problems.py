"""Errors under /api/ as RFC 9457 problem details (`application/problem+json`).

Every error answer of the API has one shape, whoever gives it (a DRF view through
core.api.exceptions, a middleware, Django's 404 and 500 handlers):

    {"type": ".../api/problems/not_found/", "title": "Not found", "status": 404,
     "detail": "...", "code": "not_found", "instance": "/api/v1/...",
     "errors": [{"code": "not_found", "detail": "...", "attr": null}]}

`code` is the stable machine code (the catalogue below); `errors` is
drf-standardized-errors' list, one item per field error for a 400 (`attr` names the
field), one item otherwise. The text is in the request's language (ru, or en asked for
with Accept-Language). Building a body needs neither DRF nor the database."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

MEDIA_TYPE = "application/problem+json"

# code → (status, title). A code names a kind of problem and never changes meaning;
# its title is the same for every occurrence (RFC 9457, 3.1.3).
CODES = {
    "validation_error": (400, _("The request has invalid data")),
    "parse_error": (400, _("The request body cannot be read")),
    "bad_request": (400, _("Bad request")),
    "not_authenticated": (401, _("Sign-in required")),
    "authentication_failed": (401, _("Sign-in failed")),
    "permission_denied": (403, _("Not allowed")),
    "csrf_failed": (403, _("CSRF token missing or wrong")),
    "not_found": (404, _("Not found")),
    "method_not_allowed": (405, _("Method not allowed")),
    "not_acceptable": (406, _("Not acceptable")),
    "conflict": (409, _("Not allowed in the current state")),
    "idempotency_reused": (409, _("Idempotency key used for another request")),
    "too_large": (413, _("Request body too large")),
    "unsupported_media_type": (415, _("Unsupported media type")),
    "throttled": (429, _("Too many requests")),
    "limit_reached": (429, _("Limit reached")),
    # Too many wrong passwords for one account from one address (django-axes): the
    # token sign-in refuses even the right one until the pause ends.
    "locked_out": (429, _("Sign-in paused")),
    "headers_too_large": (431, _("Request headers too large")),
    "server_error": (500, _("Server error")),
    "unavailable": (503, _("Service briefly unavailable")),
}

CODE_CHOICES = [(code, code) for code in sorted(CODES)]

# A status whose code is not in the catalogue is titled by its status.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    431: "headers_too_large",
    500: "server_error",
    503: "unavailable",
}


def type_uri(code: str) -> str:
    """The problem type: an absolute address of its description (RFC 9457, 3.1.1)."""
    return f"{settings.SITE_URL.rstrip('/')}/api/problems/{code}/"


def problem(
    *, status: int, code: str, detail: str, errors: list | None = None, instance: str = ""
) -> dict:
    # A code outside the catalogue (none today) takes its status's type and title.
    kind = code if code in CODES else STATUS_CODES.get(status, "server_error")
    body = {
        "type": type_uri(kind),
        "title": str(CODES[kind][1]),
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body["errors"] = (
        errors if errors is not None else [{"code": code, "detail": str(detail), "attr": None}]
    )
    return body


def problem_response(request, *, status: int, code: str, detail: str, headers=None):
    """A problem answered outside DRF (middleware, Django's error handlers)."""
    return JsonResponse(
        problem(status=status, code=code, detail=detail, instance=request.path),
        status=status,
        content_type=MEDIA_TYPE,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )
