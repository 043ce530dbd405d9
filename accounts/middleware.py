from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from .otp import is_verified, second_factor_required

# What a staff account may reach between the password and the code: the code step
# itself, signing out or in again, and the language and large-type switches.
OPEN_BEFORE_CODE = frozenset({
    "two_factor:verify",
    "two_factor:setup",
    "accounts:accessibility",
    "login",
    "logout",
    "set_language",
})  # fmt: skip


class SecondFactorMiddleware:
    """A staff session that has not passed the code step is sent to it from every page,
    the admin included; to the API it is no session at all (an API token still works: one
    is only created from a verified session). Citizens pass untouched.

    After django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or is_verified(user):
            return None
        match = request.resolver_match
        if match.view_name in OPEN_BEFORE_CODE:
            return None
        if "api" in match.namespaces:
            request.user = AnonymousUser()
            return None
        target = reverse("two_factor:verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
