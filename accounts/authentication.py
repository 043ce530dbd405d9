"""API authentication by the named tokens of accounts.tokens."""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .tokens import api_token_digest, api_token_touch

# The token's own columns read with its user, in this order.
TOKEN_FIELDS = ["id", "user_id", "name", "created", "expires", "last_used"]


@cache
def _statement() -> tuple[str, list[str], list]:
    """The token, found by its key's digest, with its user, every column; the user's
    fields in the order selected; and the columns selected, whose values the database
    driver may give in another type than the ORM would (SQLite's datetimes)."""
    token, user = ApiToken._meta, get_user_model()._meta
    token_fields = [token.get_field(name) for name in TOKEN_FIELDS]
    fields = user.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(
        [f"t.{quote(field.column)}" for field in token_fields]
        + [f"u.{quote(field.column)}" for field in fields]
    )
    # Only the models' own table and column names are put in, quoted; the digest is a parameter.
    sql = " ".join([
        f"SELECT {columns}",
        f"FROM {quote(token.db_table)} t JOIN {quote(user.db_table)} u",
        f"ON u.{quote(user.pk.column)} = t.{quote('user_id')} WHERE t.{quote('digest')} = %s",
    ])  # fmt: skip
    selected = [*token_fields, *fields]
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
    """`Authorization: Token <key>`, DRF's header and messages, against the hashed named
    tokens of accounts.tokens. The token and its user are read by one hand-written SELECT
    by the key's SHA-256 digest (a unique index): the ORM would compile its
    `select_related` query again on every API call, about a ninth of a filing's CPU
    (docs/PERFORMANCE.md). Every call reads the database, nothing is cached, so a revoked
    or expired token, or a deactivated account, is refused at once.
    tests/test_perf_guards.py compares it with the ORM's lookup."""

    def authenticate_credentials(self, key):
        digest = api_token_digest(key)
        sql, user_names, _columns = _statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [digest])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        row = _converted(row)
        width = len(TOKEN_FIELDS)
        user = get_user_model().from_db(connection.alias, user_names, row[width:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # from_db takes the values in the model's own field order.
        values = {**dict(zip(TOKEN_FIELDS, row[:width], strict=True)), "digest": digest}
        names = [field.attname for field in ApiToken._meta.concrete_fields]
        token = ApiToken.from_db(connection.alias, names, [values[name] for name in names])
        now = timezone.now()
        if token.expires <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        token.user = user
        api_token_touch(token=token, now=now)
        return user, token
