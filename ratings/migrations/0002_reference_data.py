from decimal import Decimal

from django.db import migrations

from core.beat import schedule_jobs, unschedule_jobs

CRONTAB = [("Ratings: nightly full recompute", "ratings.recompute_nightly", "30", "2")]
INTERVAL = [
    (
        "Ratings: recompute after answers and feedback (outbox)",
        "ratings.recompute_due",
        15,
        "seconds",
    ),
]


def load(apps, schema_editor):
    apps.get_model("ratings", "RatingFormula").objects.get_or_create(
        version=1,
        defaults={
            "window_days": 365,
            "weight_speed": Decimal("0.5"),
            "weight_quality": Decimal("0.5"),
            "prior_speed": 10,
            "prior_quality": 10,
            "min_sample": 10,
            "note": "Defaults of the specification.",
        },
    )
    schedule_jobs(apps, crontab=CRONTAB, interval=INTERVAL)


def unload(apps, schema_editor):
    unschedule_jobs(apps, names=[job[0] for job in CRONTAB + INTERVAL])


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(load, unload)]
