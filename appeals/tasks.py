from celery import shared_task

from . import notifications, services, webhook_sender
from .services import fingerprints, topic_model


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


@shared_task(name="appeals.retrain_topic_model")
def retrain_topic_model():
    """Nightly: a new topic model from the shipped data and the day's confirmed topics."""
    model = topic_model.topic_model_train()
    return {"version": model.version, "trained_on": model.trained_on}


@shared_task(name="appeals.fingerprint_new")
def fingerprint_new():
    return fingerprints.appeals_fingerprint_new()
