"""The second factor of staff accounts: a TOTP app, and single-use recovery codes
(django-otp's TOTP and static devices).

Deputy, committee, federal and admin accounts see personal data of others, so they
sign in with a code as well as a password (SPEC, Roles). The rule lives here rather
than in deputies/access.py because the sign-in itself needs it and accounts depends
on nothing.
"""

import logging
import math
import re
from base64 import b32decode, b32encode
from binascii import hexlify

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
_SEPARATORS = re.compile(r"[\s-]+")

STAFF_ROLES = frozenset({User.Role.DEPUTY, User.Role.COMMITTEE, User.Role.FEDERAL, User.Role.ADMIN})


def second_factor_required(user) -> bool:
    """Staff roles and anyone who may open the admin sign in with a code as well."""
    if user is None or not user.is_authenticated:
        return False
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def is_verified(user) -> bool:
    """This session passed the code step (django-otp's OTPMiddleware reads it)."""
    return getattr(user, "otp_device", None) is not None


def has_authenticator(user) -> bool:
    """A confirmed app; without one (new, or reset by an administrator) the account is
    sent to set one up after the password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- setting up -------------------------------------------------------------------


def authenticator_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept across page loads so
    the QR code a person has scanned stays valid until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def authenticator_secret(device: TOTPDevice) -> str:
    """The key as an authenticator app expects it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code in a data: URI, drawn here: the secret
    never leaves the site."""
    return segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, border=4, dark="#000", light="#fff"
    )


def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a code it shows, and returns fresh recovery codes
    (shown once; only their use is stored)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        refusal = _throttled(device)
        if refusal is None and device.verify_token(_normalise(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # Earlier attempts to set up, left unconfirmed, are dropped.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            return recovery_codes_renew(user=user)
    # Raised after the commit, so the counted failure stays counted.
    raise refusal or _wrong(user, device)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- signing in ---------------------------------------------------------------------


def second_factor_verify(*, user: User, code: str):
    """The device that accepts the code: six digits go to the authenticator, anything else
    to the recovery codes, which are spent on use. A wrong code is counted on the device
    (django-otp's throttling: each failure doubles the wait before the next try)."""
    code = _normalise(code)
    # Recovery codes are eight letters and digits, so six digits are always the app's.
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    with transaction.atomic():
        devices = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, model)]
        if not devices:
            refusal = ValidationError(
                _("Enter the six-digit code from the app or a recovery code."), code="invalid"
            )
        else:
            refusal = next(filter(None, map(_throttled, devices)), None)
        if refusal is None:
            for device in devices:
                if device.verify_token(code):
                    return device
    # Raised after the commit, so the counted failure stays counted.
    raise refusal or _wrong(user, devices[0])


def _normalise(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()


def _throttled(device) -> ValidationError | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        return ValidationError(
            ngettext(
                "Too many wrong codes in a row. Try again in %(seconds)d second.",
                "Too many wrong codes in a row. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait},
            code="throttled",
        )
    return ValidationError(_("The code cannot be checked now. Try again later."), code="throttled")


def _wrong(user, device) -> ValidationError:
    failures = device.throttling_failure_count
    # Counted on the device (the admin shows it) and logged, so guessing is seen.
    logger.warning("Wrong second-factor code for user %s (%d in a row)", user.pk, failures)
    return ValidationError(
        ngettext(
            "Wrong code. %(count)d failed attempt in a row.",
            "Wrong code. %(count)d failed attempts in a row.",
            failures,
        )
        % {"count": failures},
        code="wrong",
    )


# --- demo data ----------------------------------------------------------------------


def demo_authenticators_create(*, user_ids, secret: str) -> None:
    """Demo staff share one documented TOTP secret (base32), so a reviewer can sign in
    with any authenticator app or `oathtool --totp -b SECRET`."""
    key = hexlify(b32decode(secret)).decode()
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user_id=pk, name=DEVICE_NAME, key=key, confirmed=True) for pk in user_ids],
        batch_size=1000,
    )
