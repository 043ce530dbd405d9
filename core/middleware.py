from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Russian unless the visitor chose English with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Russian
    public service answers in Russian whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse(request, status: int, detail: str, code: str):
    """An answer in the form the caller reads: a JSON problem for the API, the plain
    error page for people. It touches neither the session nor the database."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    page = render_to_string("error.html", {"status": status, "detail": detail})
    return HttpResponse(page, status=status)


def _declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in items) for key, items in values.lists())


def _carries_nul(request, content_type: str) -> bool:
    # Form fields are checked too: a page's hidden or choice field reaches a lookup.
    posted_form = request.method == "POST" and content_type.startswith(FORM_TYPES)
    return (
        "\x00" in request.path_info
        or _has_nul(request.GET)
        or (posted_form and _has_nul(request.POST))
    )


class MalformedRequestMiddleware:
    """Refuses what no page or API call can use before anything reads it.

    A body larger than the limit gets 413 from its declared length, unread: uploads up
    to MAX_UPLOAD_REQUEST_SIZE (5 files of 10 MB and the form), anything else up to
    DATA_UPLOAD_MAX_MEMORY_SIZE. A NUL character in the path, the query or a form field
    gets 400: PostgreSQL cannot store or compare it, so each lookup would be a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            limit = settings.MAX_UPLOAD_REQUEST_SIZE
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return _refuse(request, 413, _("The request is too large."), "too_large")
        if _carries_nul(request, content_type):
            message = _("The request has a character that is not allowed.")
            return _refuse(request, 400, message, "bad_request")
        return self.get_response(request)


class RetryAfterMiddleware:
    """Every page that answers 429 says when to come back (RFC 9110, 10.2.3).

    A view that knows its own wait sets `Retry-After` itself (the filing form); any other
    429 page is the sign-in lock of django-axes, which lasts its cool-off time at most.
    The API's throttles set the header through DRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            from axes.helpers import get_cool_off  # axes reads its settings when imported

            cool_off = get_cool_off(request)
            response["Retry-After"] = str(round(cool_off.total_seconds()) if cool_off else 60)
        return response
