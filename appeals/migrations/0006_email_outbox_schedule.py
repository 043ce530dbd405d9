from django.db import migrations


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Appeals: send notification e-mails",
        defaults={"task": "appeals.send_notification_emails", "interval": every_minute},
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name="Appeals: send notification e-mails").delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_email_outbox")]
    operations = [migrations.RunPython(create, remove)]
