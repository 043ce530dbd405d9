"""Signed-in people for the bench scripts, as the sign-in would make them but without
paying the deliberately slow password hash. Import after `django.setup()`."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from rest_framework.authtoken.models import Token

from accounts.models import User


def filing_citizens():
    """Citizens the site lets file: active, named, e-mail confirmed."""
    return (
        User.objects.filter(role=User.Role.CITIZEN, is_active=True, full_name__gt="")
        .exclude(email_confirmed_at=None)
        .order_by("pk")
    )


def tokens_for(users) -> dict[int, str]:
    """Each user's API token, made where missing: two queries for any number of users."""
    ids = {user.pk for user in users}
    keys = dict(Token.objects.filter(user_id__in=ids).values_list("user_id", "key"))
    missing = [Token(user_id=pk, key=Token.generate_key()) for pk in ids - keys.keys()]
    Token.objects.bulk_create(missing)
    return keys | {token.user_id: token.key for token in missing}


def session_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
