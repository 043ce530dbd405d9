from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminSite

from .otp import is_verified


class VerifiedAdminSite(OTPAdminSite):
    """The admin only for sessions that passed the code step (django-otp's OTPAdminSite),
    under the usual name, with Django's own sign-in form: the code is asked on the site's
    code step, where SecondFactorMiddleware sends an unverified session first."""

    login_form = AdminSite.login_form
    login_template = AdminSite.login_template

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        # Read from the device OTPMiddleware found, without its is_verified() helper.
        return AdminSite.has_permission(self, request) and is_verified(request.user)
