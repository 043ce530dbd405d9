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
        from appeals.signals import rating_input_changed

        connection_created.connect(_sqlite_real_variable_limit, dispatch_uid="sqlite-limit")
        rating_input_changed.connect(_recompute_region, dispatch_uid="ratings-recompute")


def _recompute_region(sender, region_id, **kwargs):
    from .triggers import region_changed

    region_changed(region_id=region_id)
