"""Date arithmetic the ORM lacks, for both databases."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole calendar days from the first date to the second: DaysBetween(start, end)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date minus date is an integer number of days.
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        return f"({end_sql} - {start_sql})", (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        return (
            f"CAST(ROUND(julianday({end_sql}) - julianday({start_sql})) AS INTEGER)",
            (*end_params, *start_params),
        )
