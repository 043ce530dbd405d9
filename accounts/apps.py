from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, in INSTALLED_APPS in its place: its site asks for the
    second factor (accounts/admin_site.py)."""

    default = False  # not the config of the accounts app
    default_site = "accounts.admin_site.VerifiedAdminSite"
