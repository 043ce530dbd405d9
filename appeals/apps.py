from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _search_index_ensure(using, **kwargs):
    # SQLite drops a table's triggers when a later migration rebuilds the table: the
    # FTS5 search index's are put back (and the index refilled) after every migrate.
    from django.db import connections

    from .search import sqlite_index_ensure

    sqlite_index_ensure(connections[using])


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        post_migrate.connect(_search_index_ensure, sender=self)
