"""Periodic jobs are data (django-celery-beat), created by each app's data migration
so operators can change them in the admin afterwards."""

TIMEZONE = "Europe/Moscow"


def schedule_jobs(apps, *, crontab=(), interval=()):
    """crontab: (name, task, minute, hour[, day_of_week]); interval: (name, task, every,
    period). A job that already exists keeps what an operator made of it."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, *day_of_week in crontab:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week[0] if day_of_week else "*",
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})
    for name, task, every, period in interval:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": schedule})


def unschedule_jobs(apps, *, names):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()
