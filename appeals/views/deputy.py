"""The deputy's dashboard: their queue with its filters and counters."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.decorators import personal_page
from deputies import access
from deputies.access import scope_for

from .. import search, selectors
from ..filters import DeputyQueueFilter
from ..tables import DeputyQueueTable
from ._common import _page


@personal_page
@login_required
def dashboard(request):
    scope = scope_for(request.user)
    if not access.may_use_dashboard(scope):
        raise Http404
    deputy = request.user.deputy
    now = timezone.now()
    today = timezone.localdate(now)
    filters = DeputyQueueFilter(
        request.GET,
        queryset=selectors.deputy_appeals(deputy_id=deputy.pk),
        region_id=deputy.region_id,
        scope=scope,
        today=today,
    )
    # The page's ids first, from an index carrying the filters' columns (the count and
    # a deep page then skip index entries, not appeals), then its 25 rows by id.
    ids = filters.qs.values_list("pk", flat=True)
    if filters.searching:
        # A search's matches are found and ranked through the search index: read them
        # once, the count their number and the page a slice (one statement, not two).
        ids = list(ids)
    page = _page(request, ids)
    rows = selectors.deputy_appeals_by_ids(deputy_id=deputy.pk, ids=list(page.object_list))
    if filters.searching:
        pieces = search.fragments(rows, filters.search_query, scope=scope)
        for appeal in rows:
            appeal.search_fragment = pieces.get(appeal.pk, "")
    page.object_list = rows
    new_messages = selectors.appeals_with_new_messages(appeal_ids=[a.pk for a in rows])

    def table():
        # Called by the template only when the cached rows miss.
        return DeputyQueueTable(
            rows, new_messages=new_messages, today=today, order_by=filters.order, request=request
        )

    query = request.GET.copy()
    query.pop("page", None)
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return render(
        request,
        "appeals/dashboard.html",
        {
            "deputy": deputy,
            "counters": selectors.deputy_counters(deputy_id=deputy.pk, today=today),
            "answered_this_month": selectors.deputy_answered_since(
                deputy_id=deputy.pk, since=month_start
            ),
            "filters": filters,
            "quick": _quick_view(filters),
            "more_filters": any(
                request.GET.get(name) for name in ("topic", "municipality", "overdue", "due_soon")
            ),
            "form": filters.form,
            "page": page,
            "table": table,
            "new_messages": new_messages,
            "query_string": query.urlencode(),
            # The rendered rows are reused while none of what they show has changed;
            # "overdue" depends on the day as well, the links on the query.
            "rows_state": [
                (
                    a.pk,
                    a.status,
                    a.deadline,
                    a.topic_id,
                    a.municipality_id,
                    a.subject,
                    a.address,
                    a.pk in new_messages,
                    getattr(a, "search_fragment", ""),
                )
                for a in rows
            ],
            "today": today,
        },
    )


def _quick_view(filters) -> dict:
    """Which counter card shows what the queue below lists (its link's own filter)."""
    data = filters.form.cleaned_data if filters.is_valid() else {}
    others = any(data.get(name) for name in ("q", "topic", "municipality"))
    status = data.get("status") or "open"
    return {
        "new": not others and status == "assigned" and not data.get("overdue"),
        "in_progress": not others and status == "in_progress" and not data.get("overdue"),
        "due_soon": not others and status == "open" and bool(data.get("due_soon")),
        "overdue": not others and status == "open" and bool(data.get("overdue")),
    }
