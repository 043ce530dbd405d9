from django.db import migrations

from core.beat import schedule_jobs, unschedule_jobs

CRONTAB = [
    ("Appeals: close answered appeals after 14 days", "appeals.close_answered", "15", "3"),
    ("Appeals: deadline and feedback reminders", "appeals.send_reminders", "0", "9"),
]
INTERVAL = [
    ("Appeals: send notification e-mails", "appeals.send_notification_emails", 1, "minutes"),
]


def load(apps, schema_editor):
    from appeals.topics import load_topics

    load_topics(apps)
    schedule_jobs(apps, crontab=CRONTAB, interval=INTERVAL)


def unload(apps, schema_editor):
    unschedule_jobs(apps, names=[job[0] for job in CRONTAB + INTERVAL])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(load, unload)]
