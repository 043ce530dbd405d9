from django.db import migrations

from core.beat import schedule_jobs, unschedule_jobs

# Every 30 seconds: a formulaic answer shows on the drill-down within a minute; a run
# with nothing new is one query on the primary keys.
INTERVAL = [("Feedback: score new final answers", "feedback.score_new_answers", 30, "seconds")]


def load(apps, schema_editor):
    schedule_jobs(apps, interval=INTERVAL)


def unload(apps, schema_editor):
    unschedule_jobs(apps, names=[job[0] for job in INTERVAL])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_answer_scores"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
