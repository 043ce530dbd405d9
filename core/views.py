import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found

from core.api.problems import CODES, problem_response, type_uri


def _with_slash(path: str) -> str | None:
    """The address with its slash, if that one exists (APPEND_SLASH is off under /api/)."""
    if path.endswith("/"):
        return None
    try:
        resolve(f"{path}/")
    except Resolver404:
        return None
    return f"{path}/"


def not_found(request, exception=None):
    """API clients get problem details for a path no route matches; people get the page."""
    if request.path.startswith("/api/"):
        detail = _("Nothing is at this address.")
        if with_slash := _with_slash(request.path_info):
            detail = _("Nothing is at this address. Did you mean %(path)s?") % {"path": with_slash}
        return problem_response(request, status=404, code="not_found", detail=detail)
    return page_not_found(request, exception)


@csrf_exempt  # it changes nothing; a write gets the API's 405, not the CSRF page
def problem_type(request, code):
    """What a problem type means: the address a problem's `type` names (RFC 9457)."""
    if request.method not in ("GET", "HEAD"):
        detail = _("This address is only read (GET).")
        response = problem_response(request, status=405, code="method_not_allowed", detail=detail)
        response["Allow"] = "GET, HEAD"
        return response
    if code not in CODES:
        return not_found(request)
    status, title = CODES[code]
    return JsonResponse(
        {"type": type_uri(code), "code": code, "status": status, "title": str(title)},
        json_dumps_params={"ensure_ascii": False},
    )


# Seconds a client is asked to wait when the database is away (a restart takes a few).
RETRY_AFTER = 5


def server_error(request):
    """An unexpected error is a 500. A database that is restarting or unreachable is a
    temporary outage: 503 with Retry-After, rendered without touching the database."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if unavailable:
        detail = _(
            "The service is briefly unavailable. What was saved before is safe; "
            "please send again in a few seconds."
        )
    else:
        detail = _("Something went wrong on our side. We have been told about it.")
    if request.path.startswith("/api/"):
        code = "unavailable" if unavailable else "server_error"
        response = problem_response(request, status=status, code=code, detail=detail)
    else:
        page = render_to_string("error.html", {"status": status, "detail": detail})
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER)
    return response
