"""The committee's queue: the region's unassigned and overdue appeals, and assigning
them to a deputy. Federal staff read any region's queue without assigning. And the
search over the region's appeals (federal staff: every region's, or one they name)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decorators import personal_page
from core.errors import ApplicationError
from deputies import access
from deputies import selectors as deputy_selectors
from deputies.access import scope_for
from deputies.names import dative
from deputies.selectors import region_for

from .. import queue, search, selectors, services
from ..forms import AssignForm
from ..queue import QueueRow
from ._common import _page

__all__ = ["QueueRow", "committee_queue", "committee_search"]


@personal_page
@login_required
def committee_queue(request):
    """The region's unassigned and overdue appeals, each with why it waits and, for the
    committee, the deputies it may go to; a POST assigns one and comes back here."""
    scope = scope_for(request.user)
    if request.method == "POST":
        if not access.may_clear_queue(scope):
            raise Http404
        assignees = selectors.committee_assignees(region_id=scope.region_id)
        return _committee_assign(request, scope, assignees)
    region = region_for(scope=scope, code=request.GET.get("region"))
    if not access.may_read_queue(scope, region.pk):
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    page = _page(request, selectors.committee_queue(region_id=region.pk, today=today))
    assignees = list(selectors.committee_assignees(region_id=region.pk))
    page.object_list = queue.queue_rows(
        page.object_list,
        today=today,
        region_accepts=any(deputy.accepts_appeals for deputy in assignees),
    )
    figures = queue.queue_figures(
        since=queue.queue_figures_window_start(now=now), today=today, region_id=region.pk
    ).get(region.pk, queue.QueueFigures())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/committee_queue.html",
        {
            "region": region,
            "page": page,
            "query_string": query.urlencode(),
            "assignees": assignees,
            "assigns": access.may_clear_queue(scope),
            "some_not_accepting": any(not deputy.accepts_appeals for deputy in assignees),
            "queue_days": selectors.COMMITTEE_QUEUE_DAYS,
            "figures": figures,
            "window_days": queue.FIGURES_WINDOW_DAYS,
        },
    )


def _committee_assign(request, scope, assignees):
    appeal = selectors.appeal_get_for(scope=scope, number=request.POST.get("appeal", ""))
    form = AssignForm(request.POST, deputies=assignees)
    if not form.is_valid():
        messages.error(request, _("Choose a deputy of the region to assign the appeal to."))
        return redirect("appeals:committee_queue")
    deputy = form.cleaned_data["deputy"]
    try:
        services.appeal_assign(scope=scope, appeal=appeal, actor=request.user, to_deputy=deputy)
    except ApplicationError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Appeal No. %(number)s is assigned to %(name)s.")
            % {"number": appeal.number, "name": dative(deputy.full_name)},
        )
    return redirect("appeals:committee_queue")


@personal_page
@login_required
def committee_search(request):
    """The region's appeals found by number or words, best first, each with the words
    marked where the committee may read them."""
    scope = scope_for(request.user)
    if not access.may_search_regions(scope):
        raise Http404
    code = request.GET.get("region") or None
    # A committee its own region; federal staff the one they name, or every region.
    own = access.home_region_id(scope) is not None
    region = region_for(scope=scope, code=code) if code or own else None
    words = (request.GET.get("q") or "").strip()[: search.MAX_QUERY]
    page = None
    if words:
        parsed = search.parse(words)
        found = search.search(
            selectors.appeal_search_list(scope=scope, region_id=region.pk if region else None),
            parsed,
            scope=scope,
        )
        page = _page(request, found)
        pieces = search.fragments(page.object_list, parsed, scope=scope)
        for appeal in page.object_list:
            appeal.search_fragment = pieces.get(appeal.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/committee_search.html",
        {
            "region": region,
            "regions": deputy_selectors.regions_sorted()
            if access.may_read_every_region(scope)
            else [],
            "words": words,
            "page": page,
            "query_string": query.urlencode(),
        },
    )
