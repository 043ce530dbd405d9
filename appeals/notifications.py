"""On-site notifications and their e-mails.

A notification row is written in the transaction of the change it reports; it is
also the e-mail outbox. No request waits on a mail server or a broker: with a
broker configured, a beat job sends pending letters every minute; in the embedded
default (eager Celery, no beat) they are sent right after the commit.
"""

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.db import insert

from . import selectors  # the module: selectors imports services, which import this
from .models import Notification

logger = logging.getLogger(__name__)
Kind = Notification.Kind
# Letters per batch of the sender: one transaction, one SMTP connection.
EMAIL_BATCH = 200
# How long one run of the sender (every minute) goes on taking batches: a busy hour
# queues far more than a batch a minute (600 letters a second at 300 filings a
# second), and a shorter run leaves the worker to the other jobs.
EMAIL_RUN = timedelta(seconds=20)
# A letter that keeps failing is retried for a day, then left for the operators.
EMAIL_GIVE_UP_AFTER = timedelta(days=1)


def _letter(notification: Notification):
    user = notification.user
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
    return subject, body


def notifications_send_pending(*, limit: int = EMAIL_BATCH, budget: timedelta = EMAIL_RUN) -> int:
    """Send the e-mails of pending notifications, a batch per transaction, until none
    are left or the run has taken `budget` (at least one batch); safe to run in
    parallel and twice. A mail server that fails ends the run: what it did not take
    stays queued for the next run (every minute)."""
    deadline = time.monotonic() + budget.total_seconds()
    sent = 0
    while True:
        taken, batch_sent, failed = _send_batch(limit)
        sent += batch_sent
        if failed or taken < limit or time.monotonic() >= deadline:
            return sent


# The server refused this one letter (its sender, recipient or content); the connection
# is still good for the next one.
LETTER_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@transaction.atomic
def _send_batch(limit: int) -> tuple[int, int, bool]:
    """The oldest `limit` letters not being sent by another run: how many were taken,
    how many of them went out (a person without an address or access gets none), and
    whether the mail server failed. Only letters the server accepted, or that have
    nowhere to go, leave the queue."""
    cutoff = timezone.now() - EMAIL_GIVE_UP_AFTER
    # The batch is taken by the outbox index alone, then read with its people and
    # appeals: joined in one query, PostgreSQL joined and sorted the whole queue
    # first (0.5 s with 72,000 letters waiting, each minute, under the filings).
    batch = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(emailed_at__isnull=True, created_at__gte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not batch:
        return 0, 0, False
    pending = list(
        Notification.objects.filter(pk__in=batch)
        .select_related("user", "appeal", "appeal__deputy")
        .order_by("created_at")
    )
    done, sent, failed = [], 0, False
    connection = get_connection()
    try:
        connection.open()  # one connection for the batch; refused here if the server is away
        for notification in pending:
            user = notification.user
            if user.email and user.is_active:
                subject, body = _letter(notification)
                try:
                    send_mail(
                        subject,
                        body,
                        settings.DEFAULT_FROM_EMAIL,
                        [user.email],
                        connection=connection,
                    )
                except LETTER_REFUSED as error:
                    logger.warning("Letter %s refused: %s", notification.pk, error)
                    failed = True
                    continue
                sent += 1
            done.append(notification.pk)
    except (smtplib.SMTPException, OSError) as error:
        # Connection refused or dropped: the rest waits for the next run.
        logger.warning("Mail server failed after %s letters: %s", sent, error)
        failed = True
    finally:
        connection.close()
    Notification.objects.filter(pk__in=done).update(emailed_at=timezone.now())
    return len(batch), sent, failed


def _after_commit(user_ids):
    # The header's unread counts (appeals.selectors.unread_notifications) are recounted.
    keys = [selectors.unread_key(user_id) for user_id in user_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(notifications_send_pending)


def notify(*, user, appeal, kind: str, key: str = "") -> bool:
    """Returns False when a notification with the same key was already sent."""
    if user is None:
        return False
    notification = Notification(
        user=user, appeal=appeal, kind=kind, key=key, created_at=timezone.now()
    )
    if key:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return False
    else:
        notification.save()  # unkeyed: nothing to collide with, no savepoint needed
    _after_commit([user.pk])
    return True


def notify_all(*, appeal, recipients) -> None:
    """Unkeyed notifications of one event to several people, in one insert. Recipients
    are (user id, kind): the rows need no more, so callers need not read the users."""
    now = timezone.now()
    rows = [
        Notification(user_id=user_id, appeal=appeal, kind=kind, created_at=now)
        for user_id, kind in recipients
        if user_id is not None
    ]
    insert(rows)
    _after_commit([row.user_id for row in rows])


def notifications_mark_read(*, user, appeal=None) -> int:
    """All of the person's notifications, or those about one appeal (read on its page)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if appeal is not None:
        unread = unread.filter(appeal=appeal)
    marked = unread.update(read_at=timezone.now())
    if marked:
        key = selectors.unread_key(user.pk)
        transaction.on_commit(lambda: cache.delete(key))
    return marked
