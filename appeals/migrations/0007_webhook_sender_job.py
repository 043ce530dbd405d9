from django.db import migrations

from core.beat import schedule_jobs, unschedule_jobs

# Every 10 seconds: an integrator hears of an event within seconds; a run with nothing
# due is one query on a partial index.
INTERVAL = [("Appeals: send webhooks", "appeals.send_webhooks", 10, "seconds")]


def load(apps, schema_editor):
    schedule_jobs(apps, interval=INTERVAL)


def unload(apps, schema_editor):
    unschedule_jobs(apps, names=[job[0] for job in INTERVAL])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(load, unload)]
