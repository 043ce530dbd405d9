from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.defaults import page_not_found

from deputies.selectors import region_list


def home(request):
    return render(request, "pages/home.html", {"regions": region_list()})


def consent(request):
    return render(
        request, "pages/consent.html", {"consent_version": settings.PERSONAL_DATA_CONSENT_VERSION}
    )


def not_found(request, exception=None):
    """API clients get JSON for a path no route matches; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
