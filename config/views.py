from django.conf import settings
from django.shortcuts import render

from deputies.selectors import region_list


def home(request):
    return render(request, "pages/home.html", {"regions": region_list()})


def consent(request):
    return render(
        request, "pages/consent.html", {"consent_version": settings.PERSONAL_DATA_CONSENT_VERSION}
    )
