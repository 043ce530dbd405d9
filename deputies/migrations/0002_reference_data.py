from django.db import migrations


def load(apps, schema_editor):
    from deputies.data.loader import load_regions

    load_regions(apps)


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
