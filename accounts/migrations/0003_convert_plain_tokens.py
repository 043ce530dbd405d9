"""The plain tokens of rest_framework.authtoken (one per person, no expiry) become named,
hashed tokens that expire 90 days after this migration, so programs using them keep
working meanwhile; then the plain table is dropped, keys and all, and the app's migration
records with it (it is no longer installed; installed again, it starts afresh)."""

import hashlib
from datetime import UTC, timedelta

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

PLAIN_TABLE = "authtoken_token"
NAME = "profile"  # the profile page made the one token a person could have
DAYS = 90


def convert(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TABLE not in connection.introspection.table_names():
        return  # a new installation: there never were plain tokens
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {PLAIN_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    converted = []
    for key, user_id, created in rows:
        if isinstance(created, str):  # SQLite gives text
            created = parse_datetime(created)
        if timezone.is_naive(created):
            created = timezone.make_aware(created, UTC)
        converted.append(
            ApiToken(
                user_id=user_id,
                name=NAME,
                digest=hashlib.sha256(key.encode()).hexdigest(),
                created=created,
                expires=now + timedelta(days=DAYS),
            )
        )
    ApiToken.objects.bulk_create(converted, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(PLAIN_TABLE)}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
