"""The deputy's dashboard: their queue with its filters and counters."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.decorators import personal_page
from deputies import access
from deputies.access import scope_for

from .. import selectors
from ..forms import QueueFilterForm
from ._common import _page


@personal_page
@login_required
def dashboard(request):
    scope = scope_for(request.user)
    if not access.may_use_dashboard(scope):
        raise Http404
    deputy = request.user.deputy
    form = QueueFilterForm(request.GET or None, region_id=deputy.region_id)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.deputy_queue(
        deputy_id=deputy.pk,
        status=filters.get("status") or "",
        topic_id=filters["topic"].pk if filters.get("topic") else None,
        municipality_id=filters["municipality"].pk if filters.get("municipality") else None,
        overdue=filters.get("overdue", False),
        ordering=filters.get("ordering") or "deadline",
    )
    query = request.GET.copy()
    query.pop("page", None)
    page = _page(request, queue)
    return render(
        request,
        "appeals/dashboard.html",
        {
            "deputy": deputy,
            "counters": selectors.deputy_counters(deputy_id=deputy.pk),
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            # The rendered rows are reused while none of what they show has changed;
            # "overdue" depends on the day as well.
            "rows_state": [
                (a.pk, a.status, a.deadline, a.topic_id, a.municipality_id)
                for a in page.object_list
            ],
            "today": timezone.localdate(),
        },
    )
