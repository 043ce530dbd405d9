"""Hot-path inserts without the ORM compiling the same statement each time.

Kept because it pays for itself: the filing's history and notification rows through
`insert` cost about 1 M fewer instructions of a filing's 8–9 M than `bulk_create`
(docs/PERFORMANCE.md). Measured with Django 5.2; `tests/test_db.py` (marked
`perf_guard`) checks the rows equal `bulk_create`'s, so an upgrade that changes how
Django prepares values shows there. Remove it when `bulk_create` caches its SQL.
"""

from functools import cache

from django.db import connection


@cache
def _insert_statement(model, rows: int) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(field for field in meta.concrete_fields if field is not meta.auto_field)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only the model's own table and column names are put in, quoted; values are parameters.
    sql = " ".join([
        f"INSERT INTO {quote(meta.db_table)} ({columns})",
        "VALUES " + ", ".join([row] * rows),
    ])  # fmt: skip
    return sql, fields


def insert(instances: list) -> list:
    """Write new instances of one model in one INSERT, as `bulk_create` does, for rows
    nobody reads back in the same request: the instances get no primary key and stay
    unsaved to Django (saving one again would insert it again). Django compiles
    `bulk_create`'s statement on every call, about 0.5 M instructions for each of a
    filing's two; it depends only on the model and the number of rows, so it is built
    once. The values are prepared as Django prepares them (each field's `pre_save`
    and `get_db_prep_save`). No save signals are sent, as with `bulk_create`."""
    if not instances:
        return instances
    sql, fields = _insert_statement(type(instances[0]), len(instances))
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for instance in instances
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return instances
