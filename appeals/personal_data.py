"""A citizen's personal data: everything they gave us, as a download, and its erasure.

Erasure keeps the rows the statistics and the rating count (appeals, their dates,
region, topic, deputy and status; feedback scores) and blanks everything that
identifies the person or says what they wrote. The account row stays as an
anonymous shell, so one citizen stays one voice in the rating.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Appeal, AppealEvent, Attachment, Message, Notification

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
        .select_related("region", "municipality", "topic", "deputy", "feedback")
        .prefetch_related("messages", "attachments", "events")
        .order_by("registered_at")
    )
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
                "region": a.region.name,
                "municipality": a.municipality.name if a.municipality else None,
                "address": a.address,
                "topic": a.topic.name,
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
                    {"type": e.type, "at": e.created_at.isoformat(), "reason": e.reason}
                    for e in a.events.all()
                ],
                "feedback": _feedback(a),
            }
            for a in appeals
        ],
        "notifications": [
            {"kind": n.kind, "appeal": n.appeal.number, "at": n.created_at.isoformat()}
            for n in Notification.objects.filter(user=user).select_related("appeal")
        ],
    }


def _feedback(appeal):
    feedback = getattr(appeal, "feedback", None)  # RelatedObjectDoesNotExist is an AttributeError
    if feedback is None:
        return None
    return {
        "overall": feedback.overall,
        "solved": feedback.solved,
        "speed": feedback.speed,
        "personal": feedback.personal,
        "comment": feedback.comment,
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
    Message.objects.filter(appeal__in=appeals).update(text="")
    appeals.update(subject="—", text="", address="", rejection_details="", extension_reason="")
    # The history keeps what happened and when; the free-text reasons go.
    AppealEvent.objects.filter(appeal__in=appeals, type__in=FREE_TEXT_REASONS).update(reason="")
    user.feedbacks.update(comment="")
    Notification.objects.filter(user=user).delete()
    User = get_user_model()
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@erased.invalid",
        full_name="",
        phone="",
        is_active=False,
        password=make_password(None),  # unusable: nobody signs in as an erased person
    )
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
