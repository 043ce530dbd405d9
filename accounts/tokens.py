"""API tokens: several named ones per person, each with an expiry, kept as a SHA-256
digest of the key, which is shown once. Made by signing in through the API (e-mail,
password, and the second factor for staff) or on the profile page; revoked one by one,
or all at once by a new password or an erasure.

The key is 256 random bits, so one SHA-256 is enough to keep it: nobody can guess a key
from its digest, and the lookup on every API call stays one indexed query
(accounts.authentication) with no slow password hash in it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import LimitReached

from . import otp
from .models import ApiToken, User

DAYS_DEFAULT = 90
DAYS_MAX = 365
# Live tokens per person: enough for every program one person runs, and a bound on the list.
PER_PERSON = 20
# `last_used` is written at most this often per token, so a busy token costs one UPDATE
# every few minutes rather than one per call.
LAST_USED_STEP = timedelta(minutes=5)


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_list(*, user: User):
    """The person's live tokens, newest first."""
    live = ApiToken.objects.filter(user=user, expires__gt=timezone.now())
    return live.order_by("-created", "-pk")


def _name_taken() -> ValidationError:
    message = _("You already have a token by this name. Choose another name.")
    return ValidationError({"name": ValidationError(message, code="unique")})


def _refusal(*, user: User, name: str, now) -> ValidationError | None:
    """Why this person may not have another token by this name now, if they may not."""
    live = ApiToken.objects.filter(user=user, expires__gt=now)
    if live.filter(name=name).exists():
        return _name_taken()
    if live.count() >= PER_PERSON:
        message = ngettext(
            "You have %(count)d token already, the most one person may have. "
            "Revoke one you no longer use.",
            "You have %(count)d tokens already, the most one person may have. "
            "Revoke one you no longer use.",
            PER_PERSON,
        ) % {"count": PER_PERSON}
        return ValidationError(message, code="too_many_tokens")
    return None


def _clean(name: str, days: int | None) -> tuple[str, int]:
    name = (name or "").strip()
    days = DAYS_DEFAULT if days is None else days
    errors = {}
    if not name:
        errors["name"] = ValidationError(
            _("Name the token after the program that will use it."), code="blank"
        )
    if not 1 <= days <= DAYS_MAX:
        errors["expires_in_days"] = ValidationError(
            _("A token lives from 1 to %(max)d days.") % {"max": DAYS_MAX}, code="out_of_range"
        )
    if errors:
        raise ValidationError(errors)
    return name, days


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token and its key, the only time the key is seen. Other tokens stay."""
    name, days = _clean(name, days)
    # The person's row locked: two requests at once must not both pass the checks below.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires__lte=now).delete()  # expired: only clutter
    refusal = _refusal(user=user, name=name, now=now)
    if refusal is not None:
        raise refusal
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                digest=api_token_digest(key),
                created=now,
                expires=now + timedelta(days=days),
            )
    except IntegrityError:  # the same name a moment ago, where the row lock is a no-op (SQLite)
        raise _refusal(user=user, name=name, now=now) or _name_taken() from None
    return token, key


def api_token_sign_in(
    *, request, email: str, password: str, code: str = "", name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A token for whoever proves who they are as the sign-in page asks: the password,
    counted by the same lockout (django-axes, through `authenticate`), and for staff a
    code from their authenticator app or a recovery code (throttled per device).

    `request` must not be the HttpRequest itself: axes marks a locked-out request, and
    its middleware would answer a marked HttpRequest with the sign-in page's HTML."""
    name, days = _clean(name, days)
    user = authenticate(request, username=email, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            from axes.helpers import get_cool_off  # axes reads its settings when imported

            cool_off = get_cool_off(request)
            raise LimitReached(
                _(
                    "Too many wrong passwords for this account from your address. "
                    "Try again in 15 minutes, or reset the password."
                ),
                wait=round(cool_off.total_seconds()) if cool_off else 60,
                code="locked_out",
            )
        raise ValidationError(
            _("Wrong e-mail or password. Mind the letter case in the password."),
            code="invalid_credentials",
        )
    # Checked before the code, so a refused name does not spend a one-time code.
    refusal = _refusal(user=user, name=name, now=timezone.now())
    if refusal is not None:
        raise refusal
    if otp.second_factor_required(user):
        if not otp.has_authenticator(user):
            raise ValidationError(
                _(
                    "Your account signs in with an authenticator app, which is not set up "
                    "yet. Sign in on the site once to set it up."
                ),
                code="second_factor_not_set_up",
            )
        if not code:
            message = _("Enter the six-digit code from the app or a recovery code.")
            raise ValidationError({"code": ValidationError(message, code="second_factor_required")})
        try:
            otp.second_factor_verify(user=user, code=code)
        except ValidationError as wrong:
            raise ValidationError({"code": wrong.error_list}) from wrong
    # A sign-in as the page's: the lockout's failures are cleared and last_login is set.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return api_token_create(user=user, name=name, days=days)


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Stops one token of the person at once; 404 alike for missing and not theirs."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise Http404


def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


def api_token_touch(*, token: ApiToken, now) -> None:
    """Records a use, at most once per LAST_USED_STEP (called by the authentication)."""
    if token.last_used is None or now - token.last_used >= LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
