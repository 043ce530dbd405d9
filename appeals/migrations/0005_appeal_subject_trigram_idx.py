"""The dashboard's search by the subject's words (`subject__icontains`, which Django
writes as UPPER("subject"::text) LIKE UPPER(%s)) reads a trigram index on PostgreSQL:
a deputy with 20,000 appeals was searched by reading every one (about 50 ms a
statement). SQLite has no such index and scans, as before."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "appeal_subject_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON appeals_appeal "
            "USING gin ((UPPER(subject::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_appeal_deputy_answered_idx")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
