from django.conf import settings
from django.utils import translation


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
