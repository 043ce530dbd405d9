"""A citizen's personal data: everything they gave us, as a download, and its erasure.

Erasure keeps the rows the statistics and the rating count (appeals, their dates,
region, topic, deputy and status; feedback scores) and blanks everything that
identifies the person or says what they wrote. The account row stays as an
anonymous shell, so one citizen stays one voice in the rating.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.tokens import api_tokens_revoke_all

from . import services, staging
from .history import event_reason
from .models import (
    Appeal,
    AppealBand,
    AppealEvent,
    AppealFingerprint,
    Attachment,
    ContactAccessLog,
    Message,
    Notification,
)
from .signals import personal_data_collected, personal_data_erased

# Every field of any model, ours or a library's, that can hold a person's e-mail, name,
# phone, address or own words, and what erasure does with it. A test holds every model
# to this list: a new field named like personal data is listed here or in NOT_PERSONAL.
PERSONAL_FIELDS = {
    "accounts.User": ("email", "full_name", "phone"),  # anonymised, the row stays
    "accounts.ApiToken": ("name",),  # named by the person; the tokens are deleted
    "appeals.Appeal": ("subject", "text", "address", "extension_reason", "rejection_details"),
    "appeals.Message": ("text",),
    "appeals.Attachment": ("original_name", "file"),  # deleted with the stored file
    "appeals.AppealEvent": ("reason", "params"),  # free-text reasons, rejection details
    "appeals.AppealFingerprint": ("address_key",),  # deleted, with the text's signature
    "feedback.Feedback": ("comment",),
    # Sign-in logs: what was typed as the e-mail, with the address and browser.
    "axes.AccessAttempt": ("username", "ip_address", "user_agent", "get_data", "post_data"),
    "axes.AccessFailureLog": ("username", "ip_address", "user_agent"),
    "axes.AccessLog": ("username", "ip_address", "user_agent"),
    "admin.LogEntry": ("object_repr", "change_message"),  # names the changed object
}
# Fields named like personal data that hold none of a citizen's, and why.
NOT_PERSONAL = {
    "auth.Permission": ("name", "codename"),  # Django's permission names
    "auth.Group": ("name",),  # operators' group names
    "django_celery_beat.PeriodicTask": ("name", "description"),  # job names
    "deputies.Region": ("name", "name_en"),  # reference data
    "deputies.Municipality": ("name", "name_en"),
    "deputies.Body": ("name", "name_en"),
    "deputies.District": ("name", "name_en"),
    "deputies.Deputy": ("full_name",),  # a person in public office, shown publicly
    "appeals.Topic": ("name", "name_en"),
    "appeals.Appeal": ("rejection_reason",),  # a code from the law's list
    # Staff second-factor devices: the site names them ("authenticator", "recovery
    # codes"); citizens have none.
    "otp_totp.TOTPDevice": ("name",),
    "otp_static.StaticDevice": ("name",),
    # An organisation's label for its webhook subscription ("CRM of the committee"):
    # owned by committee and central-office accounts, never citizens.
    "appeals.WebhookSubscription": ("name",),
    # Besides these, sessions (sessions.Session) hold only the account's id and a hash of
    # its password: erasure makes the password unusable, so Django ends every session.
}

# History entries whose reason was typed by a person (the citizen or the deputy) and may
# name the citizen; the others are the law's or the system's wording.
FREE_TEXT_REASONS = (
    AppealEvent.Type.WITHDRAWN,
    AppealEvent.Type.REDIRECTED,
    AppealEvent.Type.EXTENDED,
)


def personal_data_export(*, user) -> dict:
    appeals = (
        Appeal.objects.filter(citizen=user)
        .select_related("region", "municipality", "topic", "deputy")
        .prefetch_related("messages", "attachments", "events__deputy")
        .order_by("registered_at")
    )
    extra = {}
    for _receiver, parts in personal_data_collected.send(sender=Appeal, user=user):
        for appeal_id, fields in parts.items():
            extra.setdefault(appeal_id, {}).update(fields)
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "email_confirmed_at": user.email_confirmed_at.isoformat()
            if user.email_confirmed_at
            else None,
        },
        "appeals": [
            {
                "number": a.number,
                "region": a.region.display_name,
                "municipality": a.municipality.display_name if a.municipality else None,
                "address": a.address,
                "topic": a.topic.display_name,
                "subject": a.subject,
                "text": a.text,
                "status": a.status,
                "deputy": a.deputy.full_name if a.deputy else None,
                "registered_at": a.registered_at.isoformat(),
                "deadline": a.deadline.isoformat(),
                "consent": {"at": a.consent_at.isoformat(), "version": a.consent_version},
                "messages": [
                    {"kind": m.kind, "text": m.text, "at": m.created_at.isoformat()}
                    for m in a.messages.all()
                ],
                "attachments": [f.original_name for f in a.attachments.all()],
                "history": [
                    {"type": e.type, "at": e.created_at.isoformat(), "reason": event_reason(e, a)}
                    for e in a.events.all()
                ],
                **extra.get(a.pk, {}),
            }
            for a in appeals
        ],
        "notifications": [
            {"kind": n.kind, "appeal": n.appeal.number, "at": n.created_at.isoformat()}
            for n in Notification.objects.filter(user=user).select_related("appeal")
        ],
    }


@transaction.atomic
def personal_data_erase(*, scope, user) -> None:
    # Open appeals are withdrawn first: nobody is left to answer.
    for appeal in Appeal.objects.open().filter(citizen=user):
        services.appeal_withdraw(scope=scope, appeal=appeal, actor=user, reason="")
    appeals = Appeal.objects.filter(citizen=user)
    files = list(Attachment.objects.filter(appeal__in=appeals))
    for attachment in files:
        attachment.file.delete(save=False)
    Attachment.objects.filter(pk__in=[a.pk for a in files]).delete()
    staging.erase(user_id=user.pk)  # files of a filing checked but never sent
    Message.objects.filter(appeal__in=appeals).update(text="")
    _admin_log_erase(user=user, appeals=appeals)
    appeals.update(
        subject="—",
        text="",
        address="",
        search_lemmas="",  # the text's words must not stay findable
        rejection_details="",
        extension_reason="",
    )
    # What duplicate detection derived from the text and the address goes with them.
    AppealFingerprint.objects.filter(appeal__in=appeals).delete()
    AppealBand.objects.filter(appeal__in=appeals).delete()
    # The history keeps what happened and when; the free-text reasons go.
    events = AppealEvent.objects.filter(appeal__in=appeals)
    events.filter(type__in=FREE_TEXT_REASONS).update(reason="")
    # A rejection keeps its ground (the law's wording), not the deputy's explanation.
    rejections = list(events.filter(type=AppealEvent.Type.REJECTED).only("pk", "params"))
    for event in rejections:
        event.params = {"reason": event.params.get("reason", "")}
    AppealEvent.objects.bulk_update(rejections, ["params"])
    personal_data_erased.send(sender=Appeal, user=user)
    # The outbox too: a letter not yet sent is not sent.
    Notification.objects.filter(user=user).delete()
    unread = Notification.unread_key(user.pk)
    transaction.on_commit(lambda: cache.delete(unread))
    ContactAccessLog.objects.filter(citizen=user).delete()
    _sign_in_log_erase(email=user.email)
    User = get_user_model()
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@erased.invalid",
        full_name="",
        phone="",
        is_active=False,
        # Unusable: nobody signs in as an erased person, and Django ends the person's
        # other sessions at their next request, their password hash having changed.
        password=make_password(None),
    )
    api_tokens_revoke_all(user=user)


def _sign_in_log_erase(*, email: str) -> None:
    """django-axes keeps the e-mail typed at sign-in (in any case) with the address."""
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


def _admin_log_erase(*, user, appeals) -> None:
    """The admin's history names the objects it changed (a user by name or e-mail, an
    appeal by its subject): the entries stay, their names go."""
    pairs = [(get_user_model(), [user.pk]), (Appeal, list(appeals.values_list("pk", flat=True)))]
    for model, pks in pairs:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).update(object_repr="—", change_message="")
