from celery import shared_task

from . import notifications, services, webhook_sender
from .services import fingerprints


@shared_task(name="appeals.close_answered")
def close_answered():
    return services.appeals_close_answered()


@shared_task(name="appeals.send_reminders")
def send_reminders():
    return services.appeals_remind()


@shared_task(name="appeals.send_notification_emails")
def send_notification_emails():
    return notifications.notifications_send_pending()


@shared_task(name="appeals.send_webhooks")
def send_webhooks():
    return webhook_sender.webhooks_send_pending()


@shared_task(name="appeals.fingerprint_new")
def fingerprint_new():
    return fingerprints.appeals_fingerprint_new()
