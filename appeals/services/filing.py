"""Filing an appeal: first and repeat appeals, public numbers, idempotency and the caps."""

from contextlib import suppress
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, LimitReached
from deputies import access

from .. import events, routing
from ..attachments import attachments_save, validate_uploads
from ..events import Why
from ..limits import filing_caps_check
from ..models import Appeal, AppealNumberSequence
from ..notifications import Kind, notify_all
from ..search import document as search_document
from ..search import vocabulary_add as search_vocabulary_add
from ._common import Status, _locked, deadline_from
from .fingerprints import after_filing


def _next_number(region, when) -> str:
    """Take the region's next public number. The UPDATE's row lock is held to the end of
    the filing transaction: numbers have no gaps, and the filings of one region are
    serialised, which is what routing needs to see each other's counters."""
    year = timezone.localdate(when).year
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # Django's update() cannot return the new value; both databases can.
            cursor.execute(
                "UPDATE appeals_appealnumbersequence SET last = last + 1 "
                "WHERE region_id = %s AND year = %s RETURNING last",
                [region.pk, year],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{region.code}-{year}-{row[0]:06d}"
        # The region's first appeal of the year; another filing may be creating it too.
        with suppress(IntegrityError), transaction.atomic():
            AppealNumberSequence.objects.create(region=region, year=year, last=0)
    raise RuntimeError("the appeal number sequence could not be created")


def appeal_file(
    *,
    citizen,
    region,
    topic,
    subject: str,
    text: str,
    consent: bool,
    municipality=None,
    address: str = "",
    chosen_deputy=None,
    level: str = "",
    files=(),
    idempotency_key: str = "",
    repeat_of: Appeal | None = None,
) -> tuple[Appeal, bool]:
    """File an appeal; returns it and whether it is new. The same idempotency key
    returns the appeal it created the first time, never a second one: the unique
    constraint on (citizen, key) decides, so the common case costs no extra lookup.
    With `repeat_of` it is a repeat appeal disputing that appeal's answer."""
    errors = {}
    if not access.may_file_appeal(access.scope_for(citizen)):
        raise PermissionDenied(_("Only citizens file appeals."))
    if not citizen.email_confirmed:
        raise ApplicationError(_("Confirm your e-mail before filing an appeal."))
    if not citizen.full_name.strip():
        errors["full_name"] = _("Appeals are not accepted anonymously: give your name.")
    if not consent:
        errors["consent"] = _("The consent to the processing of personal data is required.")
    if municipality is not None and municipality.region_id != region.pk:
        errors["municipality"] = _("This municipality is not in the chosen region.")
    if chosen_deputy is not None and (
        chosen_deputy.region_id != region.pk or not chosen_deputy.accepts_appeals
    ):
        errors["deputy"] = _("This deputy does not accept appeals in the chosen region.")
    if not subject.strip():
        errors["subject"] = _("This field is required.")
    if not text.strip():
        errors["text"] = _("This field is required.")
    if repeat_of is not None:
        errors.update(_repeat_errors(citizen=citizen, original=repeat_of, region=region))
    try:
        checked = validate_uploads(files)
    except ValidationError as error:
        errors["attachments"] = error.messages
    if errors:
        raise ValidationError(errors)

    try:
        appeal = _file(
            citizen=citizen,
            region=region,
            municipality=municipality,
            topic=topic,
            subject=subject.strip(),
            text=text.strip(),
            address=address.strip(),
            chosen_deputy=chosen_deputy,
            level=level,
            checked=checked,
            idempotency_key=idempotency_key,
            repeat_of=repeat_of,
        )
    except (IntegrityError, LimitReached):
        # The key was used before (or won a race in another request): that appeal is the
        # answer, even when the caps would refuse a new one.
        if idempotency_key:
            existing = Appeal.objects.filter(
                citizen=citizen, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing, False
        raise
    return appeal, True


def filing_matches(
    appeal: Appeal,
    *,
    region,
    topic,
    subject: str,
    text: str,
    municipality=None,
    address: str = "",
    chosen_deputy=None,
    repeat_of: Appeal | None = None,
) -> bool:
    """Whether `appeal` is what `appeal_file` would have made of these values: a replay
    with the same idempotency key must carry the same filing, not another one."""
    return (
        appeal.region_id == region.pk
        and appeal.topic_id == topic.pk
        and appeal.subject == subject.strip()
        and appeal.text == text.strip()
        and appeal.address == address.strip()
        and appeal.municipality_id == (municipality.pk if municipality else None)
        and appeal.chosen_deputy_id == (chosen_deputy.pk if chosen_deputy else None)
        and appeal.repeat_of_id == (repeat_of.pk if repeat_of else None)
    )


@transaction.atomic
def _file(*, citizen, region, municipality, topic, subject, text, address, chosen_deputy,
          level, checked, idempotency_key, repeat_of=None) -> Appeal:  # fmt: skip
    now = timezone.now()
    number = _next_number(region, now)  # also serialises the region's routing
    same_deputy = None
    if repeat_of is not None:
        # Under the first appeal's row lock: two repeats filed at once see each other.
        repeat_of = _locked(repeat_of)
        if chosen_deputy is None and _can_take_repeat(repeat_of, repeat_of.deputy):
            same_deputy = repeat_of.deputy
    route = routing.route(  # counts the appeal on the deputy it names
        now=now,
        region_id=region.pk,
        municipality=municipality,
        chosen=chosen_deputy or same_deputy,
        level=level,
    )
    why = route.params
    registered_why = None
    if repeat_of is not None:
        registered_why = {"why": Why.REPEAT, "first": repeat_of.number}
        if same_deputy is not None and route.deputy == same_deputy:
            why = {"why": Why.ANSWERED_FIRST, "first": repeat_of.number}
    deputy = route.deputy
    filing_caps_check(citizen_id=citizen.pk, deputy_id=deputy.pk if deputy else None, now=now)
    appeal = Appeal(
        number=number,
        citizen=citizen,
        region=region,
        municipality=municipality,
        address=address,
        topic=topic,
        citizen_topic=topic,
        subject=subject,
        text=text,
        search_lemmas=search_document(number, subject, text, address),
        chosen_deputy=chosen_deputy,
        deputy=deputy,
        status=Status.ASSIGNED if deputy else Status.SUBMITTED,
        registered_at=now,
        clock_started_at=now,
        assigned_at=now if deputy else None,
        deadline=deadline_from(now),
        consent_at=now,
        consent_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        idempotency_key=idempotency_key,
        repeat_of=repeat_of,
    )
    appeal.save(force_insert=True)
    search_vocabulary_add(appeal.search_lemmas)
    if repeat_of is not None:
        _refuse_second_repeat(repeat_of, appeal)
    appeal.filing_events = events.filed(
        appeal, actor=citizen, why=why, registered_why=registered_why
    )
    if repeat_of is not None:
        events.repeat_filed(repeat_of, actor=citizen, repeat=appeal)
    if checked:
        attachments_save(appeal=appeal, message=None, uploaded_by=citizen, checked=checked)
    after_filing(appeal)  # duplicate detection, off the request
    if deputy is not None:
        notify_all(
            appeal=appeal,
            recipients=[(deputy.user_id, Kind.NEW_APPEAL), (citizen.pk, Kind.ASSIGNED)],
        )
    return appeal


# --- repeat appeals ("не согласен с ответом") ----------------------------------


def appeal_file_repeat(
    *,
    citizen,
    original: Appeal,
    text: str,
    consent: bool,
    subject: str = "",
    topic=None,
    municipality=None,
    address: str = "",
    chosen_deputy=None,
    files=(),
    idempotency_key: str = "",
) -> tuple[Appeal, bool]:
    """A repeat appeal by a citizen who disagrees with the answer to `original`: a new
    appeal of its own (number, 30-day clock, feedback) in the same region, to the
    deputy who answered unless the citizen chooses another or that deputy no longer
    accepts appeals. What is not given is taken from the first appeal."""
    return appeal_file(
        citizen=citizen,
        region=original.region,
        topic=topic or original.topic,
        subject=subject or repeat_subject(original),
        text=text,
        consent=consent,
        municipality=municipality if municipality is not None else original.municipality,
        address=address,
        chosen_deputy=chosen_deputy,
        files=files,
        idempotency_key=idempotency_key,
        repeat_of=original,
    )


def repeat_subject(original: Appeal) -> str:
    return _("Repeat appeal to No. %(number)s") % {"number": original.number}


def repeat_allowed_until(appeal: Appeal) -> date | None:
    """The last day a repeat of this appeal may be filed, or None if it has no answer."""
    return access.repeat_allowed_until(appeal)


def repeat_refusal(*, citizen, original: Appeal) -> str | None:
    """Why this citizen may not file a repeat of `original` now, or None if they may."""
    # One message for "not yours" and "missing": the first appeal's existence never leaks.
    if original.citizen_id != citizen.pk:
        return _("No such appeal among yours.")
    if access.repeat_allowed_until(original) is None:
        return _("A repeat appeal disputes an answer: this appeal has none yet.")
    if not access.can_file_repeat(access.scope_for(citizen), original, today=timezone.localdate()):
        return _(
            "A repeat appeal may be filed within 30 days of the answer; "
            "for this one they are over: file a new appeal."
        )
    return None


def _repeat_errors(*, citizen, original, region) -> dict:
    refusal = repeat_refusal(citizen=citizen, original=original)
    if refusal is not None:
        return {"repeat_of": refusal}
    if region.pk != original.region_id:
        return {"region": _("A repeat appeal goes to the region of the first one.")}
    return {}


def _can_take_repeat(original, deputy) -> bool:
    return deputy is not None and deputy.accepts_appeals and deputy.region_id == original.region_id


def _refuse_second_repeat(original, repeat):
    # Call inside the filing transaction, after the repeat's row: it is rolled back.
    earlier = (
        Appeal.objects.filter(repeat_of_id=original.pk)
        .exclude(pk=repeat.pk)
        .exclude(status=Status.WITHDRAWN)
        .values_list("number", flat=True)
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "repeat_of": _(
                    "A repeat of this appeal is already filed as No. %(number)s: "
                    "write in its correspondence."
                )
                % {"number": earlier}
            }
        )
