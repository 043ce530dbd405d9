from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from . import selectors

DEPUTIES_PER_PAGE = 50


def home(request):
    return render(request, "pages/home.html", {"regions": selectors.region_list()})


def consent(request):
    return render(
        request, "pages/consent.html", {"consent_version": settings.PERSONAL_DATA_CONSENT_VERSION}
    )


def region_list(request):
    code = request.GET.get("code", "")
    if code:
        # The start page's region chooser works without JavaScript.
        return redirect("deputies:region_detail", code=selectors.region_get(code=code).code)
    return render(request, "deputies/region_list.html", {"regions": selectors.region_list()})


def region_detail(request, code):
    region = selectors.region_get(code=code)
    bodies = list(selectors.region_bodies(region=region))
    body_id = request.GET.get("body")
    body_id = int(body_id) if body_id and body_id.isdigit() else None
    query = request.GET.get("q", "").strip()[:100]
    deputies = selectors.deputy_list(region=region, body_id=body_id, query=query)
    page = Paginator(deputies, DEPUTIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/region_detail.html",
        {"region": region, "bodies": bodies, "body_id": body_id, "query": query, "page": page},
    )


def deputy_detail(request, pk):
    return render(request, "deputies/deputy_detail.html", {"deputy": selectors.deputy_get(pk=pk)})


def deputy_photo(request, pk):
    # Photos are public, but MEDIA_ROOT also holds private attachments, so it is never
    # served as a whole: each public file goes through a view.
    deputy = selectors.deputy_get(pk=pk)
    if not deputy.photo:
        raise Http404
    return FileResponse(deputy.photo.open("rb"))
