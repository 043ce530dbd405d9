"""The code step of a staff sign-in, and setting up the authenticator app."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import otp
from .forms_otp import AuthenticatorConfirmForm, SecondFactorForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _verified(request, device):
    # A fresh session key for the now fully signed-in session.
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@login_required
def otp_verify(request):
    user, target = request.user, _next_url(request)
    if not otp.second_factor_required(user) or otp.is_verified(user):
        return redirect(target)
    if not otp.has_authenticator(user):
        return redirect(_with_next("two_factor:setup", target))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = otp.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(count)d code is left: "
                        "get new ones in the profile.",
                        "You signed in with a recovery code. %(count)d codes are left: "
                        "get new ones in the profile.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(target)
    return render(request, "registration/otp_verify.html", {"form": form, "next": target})


@never_cache
@login_required
def otp_setup(request):
    user, target = request.user, _next_url(request)
    if not otp.second_factor_required(user) or otp.is_verified(user):
        return redirect(target)
    if otp.has_authenticator(user):
        # Replacing a confirmed app goes through an administrator, not this page.
        return redirect(_with_next("two_factor:verify", target))
    device = otp.authenticator_pending(user=user)
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.authenticator_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            device.refresh_from_db()
            _verified(request, device)
            return render(
                request, "registration/otp_recovery_codes.html", {"codes": codes, "next": target}
            )
    context = {
        "form": form,
        "next": target,
        "qr": otp.authenticator_qr_svg(device),
        "secret": otp.authenticator_secret(device),
    }
    return render(request, "registration/otp_setup.html", context)


@never_cache
@login_required
@require_POST
def recovery_codes_renew(request):
    """New recovery codes for a verified staff session; the old ones stop working."""
    user = request.user
    if not otp.second_factor_required(user) or not otp.is_verified(user):
        return redirect("accounts:profile")
    codes = otp.recovery_codes_renew(user=user)
    target = resolve_url("accounts:profile")
    return render(request, "registration/otp_recovery_codes.html", {"codes": codes, "next": target})
