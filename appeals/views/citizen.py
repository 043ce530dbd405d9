"""The citizen's pages: the list of their appeals, and their personal data to download
or erase. Filing lives in .filing."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.decorators import personal_page
from deputies.access import scope_for

from .. import selectors
from ..filters import MyAppealsFilter
from ..forms import EraseForm
from ..personal_data import personal_data_erase as erase
from ..personal_data import personal_data_export
from ._common import PER_PAGE
from .citizen_table import MyAppealsTable


@personal_page
@login_required
def appeal_list(request):
    """My appeals: a table searched by number or words and filtered by status, each row
    with its days left and a mark when a reply waits unread."""
    scope = scope_for(request.user)
    filters = MyAppealsFilter(
        request.GET or None, queryset=selectors.my_appeal_list(scope=scope), scope=scope
    )
    table = MyAppealsTable(filters.qs, query=filters.search_query, scope=scope)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    searched = filters.is_bound and any(filters.form.data.get(name) for name in filters.filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/appeal_list.html",
        {
            "filter": filters,
            "table": table,
            "searched": searched,
            "query_string": query.urlencode(),
        },
    )


@personal_page
@login_required
def personal_data_download(request):
    data = personal_data_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="izbiratel-my-data.json"'
    return response


@personal_page
@login_required
def personal_data_erase(request):
    form = EraseForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase(scope=scope_for(request.user), user=request.user)
        logout(request)
        messages.success(request, _("Your personal data is erased. Thank you for using Izbiratel."))
        return redirect("home")
    return render(request, "appeals/personal_data_erase.html", {"form": form})
