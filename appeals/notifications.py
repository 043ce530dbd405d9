"""On-site notifications and their e-mails. A keyed notification is sent at most once."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

Kind = Notification.Kind


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("user", "appeal").get(pk=notification_id)
    user = notification.user
    if not user.email or not user.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{notification.get_kind_display()}: {notification.appeal.number}"
        body = render_to_string(
            "appeals/email/notification.txt",
            {
                "notification": notification,
                "appeal": notification.appeal,
                "user": user,
                "link": settings.SITE_URL + notification.appeal.get_absolute_url(),
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


def notify(*, user, appeal, kind: str, key: str = "") -> bool:
    """Returns False when a notification with the same key was already sent."""
    if user is None:
        return False
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, appeal=appeal, kind=kind, key=key, created_at=timezone.now()
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: _send_email(notification.pk))
    return True


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
