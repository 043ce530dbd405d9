from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from deputies import access
from deputies.access import scope_for

from .. import selectors as ratings_selectors
from ..models import HotSpotAlert
from . import selectors, services
from .forms import DecisionForm
from .sparkline import sparkline


def _sparkline(alert):
    return sparkline(weeks=selectors.hot_spot_weeks(alert), series=alert.series)


@login_required
def hot_spots(request):
    """The alert list: a committee its region's, federal staff every region's (or the
    region they choose)."""
    scope = scope_for(request.user)
    if not access.may_read_hot_spots(scope):
        raise Http404
    code = request.GET.get("region")
    every_region = access.may_read_every_region(scope)
    region = (
        ratings_selectors.region_for(scope=scope, code=code) if code or not every_region else None
    )
    status = request.GET.get("status") or ""
    alerts = selectors.hot_spot_list(
        scope=scope, region_id=region.pk if region else None, status=status
    )
    page, rows = selectors.hot_spot_page(alerts=alerts, number=request.GET.get("page"))
    return render(
        request,
        "ratings/hot_spots.html",
        {
            "region": region,
            "regions": ratings_selectors.regions_sorted() if every_region else [],
            "status": status,
            "statuses": HotSpotAlert.Status.choices,
            "page": page,
            "rows": [(row, _sparkline(row.alert)) for row in rows],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hot_spot(request, pk):
    """One alert: its numbers, its weeks, the appeals behind it, and the decision."""
    scope = scope_for(request.user)
    alert = selectors.hot_spot_get(scope=scope, pk=pk)
    may_decide = access.may_decide_hot_spot(scope, alert)
    form = DecisionForm(request.POST or None, initial={"status": alert.status})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied  # federal staff read a region's alerts; its committee decides
        if form.is_valid():
            services.hot_spot_decide(
                scope=scope,
                user=request.user,
                alert_id=alert.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The decision is recorded."))
            return redirect(alert.get_absolute_url())
    (row,) = selectors.alert_rows([alert])
    return render(
        request,
        "ratings/hot_spot_detail.html",
        {
            "alert": alert,
            "row": row,
            "chart": _sparkline(alert),
            "appeals": selectors.hot_spot_appeals(scope=scope, alert=alert),
            "form": form if may_decide else None,
        },
    )
