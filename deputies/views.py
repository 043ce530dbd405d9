from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django_tables2 import RequestConfig

from . import selectors
from .filters import RegionDeputyFilter
from .tables import RegionTable

DEPUTIES_PER_PAGE = 30


def home(request):
    return render(request, "pages/home.html", {"regions": selectors.regions_sorted()})


def consent(request):
    return render(
        request, "pages/consent.html", {"consent_version": settings.PERSONAL_DATA_CONSENT_VERSION}
    )


def region_list(request):
    code = request.GET.get("code", "")
    if code:
        # The start page's region chooser works without JavaScript.
        return redirect("deputies:region_detail", code=selectors.region_get(code=code).code)
    regions = selectors.region_list()
    table = RegionTable(regions, order_by=request.GET.get("sort") or "code")
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "deputies/region_list.html", {"regions": regions, "table": table})


def region_detail(request, code):
    region = selectors.region_get(code=code)
    bodies = list(selectors.region_bodies(region=region))
    filters = RegionDeputyFilter(
        request.GET or None, queryset=selectors.deputy_list(region=region), bodies=bodies
    )
    page = Paginator(filters.qs, DEPUTIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"region": region, "filters": filters, "page": page}
    if request.htmx and not request.htmx.history_restore_request:
        # The filter bar and the pages swap the list alone (hx-boost, hx-select).
        return render(request, "deputies/includes/deputy_results.html", context)
    return render(request, "deputies/region_detail.html", context)


def deputy_detail(request, pk):
    return render(request, "deputies/deputy_detail.html", {"deputy": selectors.deputy_get(pk=pk)})


def deputy_photo(request, pk):
    # Photos are public, but MEDIA_ROOT also holds private attachments, so it is never
    # served as a whole: each public file goes through a view.
    deputy = selectors.deputy_get(pk=pk)
    if not deputy.photo:
        raise Http404
    return FileResponse(deputy.photo.open("rb"))
