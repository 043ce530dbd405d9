from django.db import migrations


def load(apps, schema_editor):
    from appeals.topics import TOPICS

    Topic = apps.get_model("appeals", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
