"""Reference data read on every filing (regions, topics): small tables that change
rarely, in the admin. Each process keeps them in memory for a minute instead of
asking the database twice per filing; a change saved in this process is seen at
once, one saved elsewhere within the minute."""

import time

from django.db.models.signals import post_delete, post_save

TTL_SECONDS = 60
_tables: dict[str, tuple[float, dict]] = {}


def table(name: str, queryset, key: str) -> dict:
    """The rows of `queryset` by `key`, read at most once a minute per process and
    cleared whenever a row of its model is saved or deleted in this process.
    `queryset` may be a function returning it: built only when the table is read."""
    now = time.monotonic()
    cached = _tables.get(name)
    if cached is None or cached[0] <= now:
        if callable(queryset):
            queryset = queryset()
        _clear_on_change(queryset.model)
        cached = (now + TTL_SECONDS, {getattr(row, key): row for row in queryset.all()})
        _tables[name] = cached
    return cached[1]


def clear(**_signal) -> None:
    _tables.clear()


def _clear_on_change(model) -> None:
    # Idempotent (dispatch_uid): connected when a table of the model is first read, so
    # no caller has to remember it.
    post_save.connect(clear, sender=model, dispatch_uid=f"reference-save-{model._meta.label}")
    post_delete.connect(clear, sender=model, dispatch_uid=f"reference-delete-{model._meta.label}")
