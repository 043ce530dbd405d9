"""Date arithmetic the ORM lacks, for both databases: as an ORM function (DaysBetween)
and as text for the recompute's raw statement (days_between_sql, local_date_sql)."""

from django.db import connection
from django.db.models import Func, IntegerField
from django.utils import timezone


def days_between_sql(start: str, end: str, vendor: str) -> str:
    """Whole calendar days from the date `start` to the date `end` (SQL expressions)."""
    if vendor == "sqlite":
        return f"CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)"
    return f"({end} - {start})"  # PostgreSQL: date minus date is an integer number of days


def local_date_sql(column: str, *, name: str) -> tuple[str, dict]:
    """The calendar day of a timestamp column in the current time zone, written as
    TruncDate writes it for this database, with its parameters named `name_0`, … so
    that it fits a statement with named parameters."""
    sql, params = connection.ops.datetime_cast_date_sql(
        column, (), timezone.get_current_timezone_name()
    )
    names = [f"{name}_{index}" for index in range(len(params))]
    pieces = sql.split("%s")
    named = pieces[0] + "".join(
        f"%({key})s{piece}" for key, piece in zip(names, pieces[1:], strict=True)
    )
    return named, dict(zip(names, params, strict=True))


class DaysBetween(Func):
    """Whole calendar days from the first date to the second: DaysBetween(start, end)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        sql = days_between_sql(start_sql, end_sql, connection.vendor)
        return sql, (*end_params, *start_params)
