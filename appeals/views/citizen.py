"""The citizen's pages: the list of their appeals, and their personal data to download
or erase. Filing lives in .filing."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.decorators import personal_page
from deputies.access import scope_for

from .. import selectors
from ..forms import EraseForm
from ..personal_data import personal_data_erase as erase
from ..personal_data import personal_data_export
from ._common import _page


@personal_page
@login_required
def appeal_list(request):
    page = _page(request, selectors.appeal_list(scope=scope_for(request.user)))
    return render(request, "appeals/appeal_list.html", {"page": page})


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
