import sqlite3

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_real_variable_limit(sender, connection, **kwargs):
    # Django 5.2 assumes SQLite's old limit of 999 variables; 3.32+ allows 32,766, so
    # the recompute writes a table of up to ~1,200 deputies in one insert there too.
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 32):
        connection.features.max_query_params = 32766


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Ratings")

    def ready(self):
        connection_created.connect(_sqlite_real_variable_limit, dispatch_uid="sqlite-limit")
