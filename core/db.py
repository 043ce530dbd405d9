"""Hot-path writes without the ORM compiling the same statement each time."""

import contextlib
from contextvars import ContextVar
from functools import cache

from django.db import connection
from django.db.models.signals import post_save, pre_save

# The statements of the innermost `batched()` block, or None outside one.
_pending: ContextVar[list | None] = ContextVar("pending_inserts", default=None)


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


@cache
def _create_statement(model) -> tuple[str, tuple]:
    sql, fields = _insert_statement(model, 1)
    return f"{sql} RETURNING {connection.ops.quote_name(model._meta.pk.column)}", fields


def create(instance):
    """Save a new instance as `Model.save()` would, with one INSERT … RETURNING built once
    per model instead of compiled on each call (the filing's appeal row). A model with
    parents or with save signal receivers goes through `save()`, which those need. The
    instance gets its primary key and counts as saved."""
    model = type(instance)
    if model._meta.parents or pre_save.has_listeners(model) or post_save.has_listeners(model):
        instance.save(force_insert=True)
        return instance
    sql, fields = _create_statement(model)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def insert(instances: list) -> list:
    """Write new instances of one model in one INSERT, as `bulk_create` does, for rows
    nobody reads back in the same request: the instances get no primary key and stay
    unsaved to Django (saving one again would insert it again). Django compiles
    `bulk_create`'s statement on every call, about 0.2 ms of a filing for each of its
    two; it depends only on the model and the number of rows, so it is built once. The
    values are prepared as Django prepares them (each field's `pre_save` and
    `get_db_prep_save`), when this is called. Inside `batched()` the row is written
    when the block ends."""
    if not instances:
        return instances
    sql, fields = _insert_statement(type(instances[0]), len(instances))
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for instance in instances
        for field in fields
    ]
    pending = _pending.get()
    if pending is None:
        _execute([(sql, params)])
    else:
        pending.append((sql, params))
    return instances


@contextlib.contextmanager
def batched():
    """Hold back the `insert` calls made inside the block and write them when it ends,
    in one round trip to PostgreSQL: each statement sent is a round trip, which costs
    the database about as much CPU as a small INSERT itself (docs/PERFORMANCE.md). Use
    it inside the transaction, for rows nothing in the block reads. If the block
    raises, nothing is written."""
    pending = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _execute(pending)


def _execute(statements: list[tuple[str, list]]):
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg2 binds on the client, so several statements go as one query.
            cursor.execute(
                "; ".join(sql for sql, _params in statements),
                [value for _sql, params in statements for value in params],
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
