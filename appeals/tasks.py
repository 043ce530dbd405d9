from celery import shared_task

from . import services


@shared_task(name="appeals.close_answered")
def close_answered():
    return services.appeals_close_answered()


@shared_task(name="appeals.send_reminders")
def send_reminders():
    return services.appeals_remind()
