from django.db import migrations


def load(apps, schema_editor):
    from appeals.topics import load_topics

    load_topics(apps)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
