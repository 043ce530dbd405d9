import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    """API clients get JSON for a path no route matches; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


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
        response = JsonResponse({"detail": detail}, status=status)
    else:
        page = render_to_string("error.html", {"status": status, "detail": detail})
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER)
    return response
