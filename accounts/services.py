from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .limits import mail_allowed
from .models import User
from .tokens import api_tokens_revoke_all

CONFIRM_SALT = "accounts.email-confirm"


def _confirmation_token(user: User) -> str:
    # Binding the address makes a link stale once the e-mail is changed.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def user_send_confirmation(*, user: User, base_url: str) -> None:
    link = base_url + reverse("accounts:confirm_email", kwargs={"token": _confirmation_token(user)})
    body = render_to_string("registration/confirm_email.txt", {"user": user, "link": link})
    send_mail(
        _("Confirm your e-mail for Izbiratel"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def user_send_sign_up_attempt(*, user: User, base_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    body = render_to_string(
        "registration/signup_attempt.txt",
        {
            "user": user,
            "login_link": base_url + reverse("login"),
            "reset_link": base_url + reverse("password_reset"),
        },
    )
    send_mail(
        _("Someone tried to sign up with your e-mail on Izbiratel"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@transaction.atomic
def user_sign_up(
    *, email: str, password: str, full_name: str, phone: str = "", base_url: str, client: str
) -> None:
    """Register a citizen and send the confirmation link; for an address that already
    has an account, write to its owner instead. The caller answers both alike, so
    sign-up does not tell who is registered. Letters count against the mail limits."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name,
                    phone=phone,
                    role=User.Role.CITIZEN,
                )
        except IntegrityError:  # signed up a moment ago in another request
            existing = User.objects.filter(email__iexact=email).first()
        else:
            if mail_allowed(kind="signup", address=email, client=client):
                transaction.on_commit(lambda: user_send_confirmation(user=user, base_url=base_url))
            return
    else:
        make_password(password)  # the same work as a new account, so timing tells nothing
    if existing is not None and mail_allowed(kind="signup", address=email, client=client):
        transaction.on_commit(lambda: user_send_sign_up_attempt(user=existing, base_url=base_url))


def user_resend_confirmation(*, user: User, base_url: str, client: str) -> None:
    """A new confirmation link, within the mail limits; past them nothing is sent."""
    if user.email_confirmed:
        return
    if mail_allowed(kind="confirmation", address=user.email, client=client):
        user_send_confirmation(user=user, base_url=base_url)


def user_confirm_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This confirmation link has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is not valid.")) from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def user_update_profile(*, user: User, full_name: str, phone: str) -> User:
    user.full_name = full_name
    user.phone = phone
    user.save(update_fields=["full_name", "phone"])
    return user


def user_password_changed(*, user: User) -> None:
    """Called after any change of the password (accounts.passwords): API tokens go."""
    api_tokens_revoke_all(user=user)
