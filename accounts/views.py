from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clients import client_ip
from core.decorators import personal_page

from . import services, tokens
from .forms import ApiTokenForm, ProfileForm, SignUpForm
from .models import User
from .tables import ApiTokenTable

ACCESSIBLE_COOKIE = "a11y"

# Where each role starts its work; named by URL name, so accounts imports no other app.
HOME_BY_ROLE = {
    User.Role.CITIZEN: "appeals:appeal_list",
    User.Role.DEPUTY: "appeals:dashboard",
    User.Role.COMMITTEE: "ratings:region_table",
    User.Role.FEDERAL: "ratings:regions_comparison",
    User.Role.ADMIN: "admin:index",
}


def home_url_for(user) -> str:
    """The page a signed-in user lands on when no safe `next` was asked for."""
    return reverse(HOME_BY_ROLE.get(user.role, "accounts:profile"))


def _base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"],
            base_url=_base_url(request),
            client=client_ip(request),
        )
        # The same answer whether the address was new or taken: its owner learns which.
        messages.success(
            request, _("We sent a letter to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
        return redirect("accounts:signup_done")
    return render(request, "registration/signup.html", {"form": form})


def sign_up_done(request):
    return render(request, "registration/signup_done.html")


def confirm_email(request, token):
    try:
        services.user_confirm_email(token=token)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your e-mail is confirmed."))
    return redirect("accounts:profile" if request.user.is_authenticated else "login")


@login_required
@require_POST
def resend_confirmation(request):
    if not request.user.email_confirmed:
        services.user_resend_confirmation(
            user=request.user, base_url=_base_url(request), client=client_ip(request)
        )
        # The same words when the mail limit held the letter back.
        messages.success(request, _("We sent a new confirmation link."))
    return redirect("accounts:profile")


@login_required
def signed_in(request):
    """LOGIN_REDIRECT_URL: the sign-in view has already preferred a safe `next`."""
    return redirect(home_url_for(request.user))


def _profile_page(request, *, form=None, token_form=None):
    user = request.user
    form = form or ProfileForm(initial={"full_name": user.full_name, "phone": user.phone})
    context = {
        "form": form,
        "token_form": token_form or ApiTokenForm(),
        "tokens": ApiTokenTable(tokens.api_token_list(user=user)),
    }
    return render(request, "accounts/profile.html", context)


@personal_page
@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "phone": user.phone}
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    return _profile_page(request, form=form)


@require_POST
def toggle_accessible_mode(request):
    """Large type and high contrast; kept in a cookie so it survives signing out."""
    enable = request.POST.get("enable") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        ACCESSIBLE_COOKIE,
        "1" if enable else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


@personal_page
@login_required
@require_POST
def issue_token(request):
    """A new named token; the person's other tokens stay. The same service as the API's
    sign-in for a token (accounts.tokens), without the password: the session has it."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = tokens.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown once: only its owner ever sees the key.
            return render(request, "accounts/token_issued.html", {"token": token, "key": key})
    return _profile_page(request, token_form=form)


@login_required
@require_POST
def revoke_token(request, pk):
    tokens.api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("The API token is revoked."))
    return redirect("accounts:profile")
