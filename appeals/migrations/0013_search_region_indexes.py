"""A committee's search reads its region's postings only: a GIN index on (region,
number-and-subject vector), region_id through btree_gin. With it the planner ORs two
bitmaps, this index's and the unassigned appeals' partial index (whose texts a
committee may read, each tested), instead of reading a word's matches in the whole
vector's index across the country (310–400 ms at 1 M appeals for a word of texts).
Built in the migration's transaction: a plain CREATE INDEX, not CONCURRENTLY (writes
to appeals wait for the build, about a minute at 1 M appeals)."""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEX = "appeal_search_region_idx"


# What 0010 built and no query reads now: the whole vector's index (a committee's
# readable texts are tested row by row, like a deputy's), and the head vector's alone
# (the new index serves a search of every region by its second column as well).
OLD = {
    "appeal_search_idx": "gin (search_vector)",
    "appeal_search_head_idx": "gin (search_head)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON appeals_appeal "
            "USING gin (region_id, search_head)"
        )
        for name in OLD:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in OLD.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON appeals_appeal USING {columns}"
            )
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0012_collective")]

    operations = [BtreeGinExtension(), migrations.RunPython(create, drop)]
