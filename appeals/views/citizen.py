"""The citizen's pages: filing an appeal (a first one or a repeat), the list of their
appeals, and their personal data to download or erase."""

import secrets

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import user_update_profile
from core.decorators import personal_page
from core.errors import LimitReached
from deputies import access
from deputies.access import scope_for
from deputies.models import Region

from .. import selectors, services
from ..forms import AppealForm, EraseForm
from ..personal_data import personal_data_erase as erase
from ..personal_data import personal_data_export
from ..throttling import filing_allowed
from ._common import _page, apply_errors


@personal_page
@login_required
def appeal_create(request):
    scope = scope_for(request.user)
    if not access.may_file_appeal(scope):
        messages.error(request, _("Appeals are filed from a citizen's account."))
        return redirect("home")
    if not request.user.email_confirmed:
        return render(request, "appeals/appeal_confirm_first.html")
    repeat_of = None
    repeat_number = request.POST.get("repeat_of") or request.GET.get("repeat_of")
    if repeat_number:
        # Only the citizen's own appeal: 404 alike for a missing one and another's.
        repeat_of = selectors.appeal_own_for_repeat(scope=scope, number=repeat_number)
        refusal = services.repeat_refusal(citizen=request.user, original=repeat_of)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(repeat_of)
        region = repeat_of.region
    else:
        code = request.POST.get("region") or request.GET.get("region")
        region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        return render(
            request, "appeals/appeal_region.html", {"regions": Region.objects.order_by("code")}
        )

    form = AppealForm(
        request.POST or None,
        request.FILES or None,
        region=region,
        user=request.user,
        repeat_of=repeat_of,
        initial={"token": secrets.token_urlsafe(24)},
    )
    context = {"form": form, "region": region, "repeat_of": repeat_of}
    if request.method == "POST" and form.is_valid():
        allowed, wait = filing_allowed(request)
        if not allowed:
            form.add_error(
                None,
                ngettext(
                    "Too many appeals in a short time. "
                    "Please wait %(seconds)s second and send again.",
                    "Too many appeals in a short time. "
                    "Please wait %(seconds)s seconds and send again.",
                    wait,
                )
                % {"seconds": wait},
            )
            response = render(request, "appeals/appeal_form.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        data = form.cleaned_data
        try:
            if data.get("full_name"):
                user_update_profile(
                    user=request.user, full_name=data["full_name"], phone=request.user.phone
                )
            appeal, created = services.appeal_file(
                citizen=request.user,
                region=region,
                municipality=data["municipality"],
                topic=data["topic"],
                subject=data["subject"],
                text=data["text"],
                address=data["address"],
                chosen_deputy=data["deputy"],
                level=data.get("level", ""),
                files=data["attachments"],
                consent=data["consent"],
                idempotency_key=data["token"],
                repeat_of=repeat_of,
            )
        except ValidationError as error:
            apply_errors(form, error)
        except LimitReached as error:
            form.add_error(None, error.message)
            return render(request, "appeals/appeal_form.html", context, status=429)
        else:
            if created:
                messages.success(
                    request,
                    _("Your appeal is registered as No. %(number)s. The answer is due by %(date)s.")
                    % {"number": appeal.number, "date": appeal.deadline.strftime("%d.%m.%Y")},
                )
            return redirect(appeal)
    return render(request, "appeals/appeal_form.html", context)


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
