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
