"""API authentication."""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


@cache
def _statement() -> tuple[str, list[str], list]:
    """The token's user, every column, found by the token's key; the user's fields in
    the order selected; and the columns selected, whose values the database driver may
    give in another type than the ORM would (SQLite's datetimes)."""
    user = get_user_model()._meta
    fields = user.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(f"u.{quote(field.column)}" for field in fields)
    # Only the models' own table and column names are put in, quoted; the key is a parameter.
    sql = " ".join([
        f"SELECT t.{quote('created')}, {columns}",
        f"FROM {quote(Token._meta.db_table)} t JOIN {quote(user.db_table)} u",
        f"ON u.{quote(user.pk.column)} = t.{quote('user_id')} WHERE t.{quote('key')} = %s",
    ])  # fmt: skip
    selected = [Token._meta.get_field("created"), *fields]
    return (
        sql,
        [field.attname for field in fields],
        [f.get_col(f.model._meta.db_table) for f in selected],
    )


@cache
def _converters(alias: str) -> list:
    """The columns whose values need converting on this database, with their converters,
    as Django's SQL compiler finds them (none on PostgreSQL; datetimes on SQLite)."""
    found = []
    for index, column in enumerate(_statement()[2]):
        database = connections[alias]
        converters = database.ops.get_db_converters(column) + column.get_db_converters(database)
        if converters:
            found.append((index, column, converters))
    return found


def _converted(row) -> list:
    """The values as the ORM gives them."""
    values = list(row)
    for index, column, converters in _converters(connection.alias):
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    return values


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication with the token and its user read by one hand-written
    SELECT: the ORM compiled DRF's `select_related` query again on every API call,
    about a ninth of a filing's CPU (docs/PERFORMANCE.md). The rules are DRF's: an
    unknown key or an inactive user is refused, with DRF's messages. Every call reads
    the database, nothing is cached, so a revoked token stops working at once.
    Measured with DRF 3.18.3 and Django 5.2.19 (1.4–1.7 M instructions of a filing against
    0.2 M); tests/api/test_perf_guards.py compares it with DRF's own lookup."""

    def authenticate_credentials(self, key):
        sql, names, _columns = _statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        row = _converted(row)
        user = get_user_model().from_db(connection.alias, names, row[1:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(
            connection.alias, ["key", "user_id", "created"], [key, user.pk, row[0]]
        )
        token.user = user
        return user, token
