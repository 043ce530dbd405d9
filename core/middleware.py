from django.conf import settings
from django.http import HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from core.api.problems import problem_response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _accepted_language(request) -> str | None:
    """The first of the site's languages the Accept-Language header names, if any."""
    supported = dict(settings.LANGUAGES)
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _quality in parse_accept_lang_header(header[:200]):
        language = tag.split("-")[0].lower()
        if language in supported:
            return language
    return None


class LanguageMiddleware:
    """Pages: Russian unless the visitor chose English with the switch. Django's
    LocaleMiddleware would follow the browser's Accept-Language; a Russian public service
    answers in Russian whatever the browser says.

    The API: the language Accept-Language asks for (ru or en), else the switch's, else
    Russian; a program has no switch, and its developer may not read Russian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = _is_api(request)
        language = _accepted_language(request) if api else None
        if language is None:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        # For this request only: what runs after it in the thread (a test, an eager
        # task) keeps its own language.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if api:
            patch_vary_headers(response, ["Accept-Language"])
        return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse(request, status: int, detail: str, code: str):
    """An answer in the form the caller reads: problem details for the API, the plain
    error page for people. It touches neither the session nor the database."""
    if _is_api(request):
        return problem_response(request, status=status, code=code, detail=detail)
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
    # Form fields are checked too: a page's hidden or choice field reaches a lookup. The
    # API reads no forms (a form body there is a 415), so its body is left unread.
    posted_form = (
        request.method == "POST" and content_type.startswith(FORM_TYPES) and not _is_api(request)
    )
    return (
        "\x00" in request.path_info
        or _has_nul(request.GET)
        or (posted_form and _has_nul(request.POST))
    )


def _headers_too_large(request) -> bool:
    """More header fields than MAX_REQUEST_HEADERS, or one longer than
    MAX_REQUEST_HEADER_SIZE bytes as sent ("Name: value" and its line end)."""
    fields = [
        (key, value)
        for key, value in request.META.items()
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
    ]
    if len(fields) > settings.MAX_REQUEST_HEADERS:
        return True
    limit = settings.MAX_REQUEST_HEADER_SIZE
    return any(len(key) + len(str(value)) + 4 > limit for key, value in fields)


class MalformedRequestMiddleware:
    """Refuses what no page or API call can use before anything reads it.

    Headers past their limits get 431: gunicorn's own limits (config/gunicorn.py) are set
    higher, so the answer is given here, in the caller's form and language. A body larger
    than the limit gets 413 from its declared length, unread: uploads up to
    MAX_UPLOAD_REQUEST_SIZE (5 files of 10 MB and the form), anything else up to
    DATA_UPLOAD_MAX_MEMORY_SIZE. A NUL character in the path, the query or a form field
    gets 400: PostgreSQL cannot store or compare it, so each lookup would be a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _headers_too_large(request):
            message = _("The request headers are too large.")
            return _refuse(request, 431, message, "headers_too_large")
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


class CommonMiddleware(DjangoCommonMiddleware):
    """Django's, without APPEND_SLASH under /api/: a client follows a 301 to the address
    with the slash as a GET, so a POST would silently become a read. An API address
    without its slash is a 404 (core.views.not_found names the right one)."""

    def should_redirect_with_slash(self, request):
        return not _is_api(request) and super().should_redirect_with_slash(request)
