"""Who is asking, read together with what decides what they may see: the user comes
with their deputy and committee membership rows (`deputies.access.scope_for`) in one
query, instead of one more per request (and another where a view reads the deputy)."""

from django.contrib.auth import backends, get_user_model
from rest_framework import authentication

ROLE_RELATIONS = ("deputy", "committee_membership")


class ModelBackend(backends.ModelBackend):
    """Django's, reading the signed-in user of a session with their role's row."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*ROLE_RELATIONS)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, reading the token's user with their role's row."""

    def authenticate_credentials(self, key):
        related = ["user", *(f"user__{name}" for name in ROLE_RELATIONS)]
        token = self.get_model().objects.select_related(*related).filter(key=key).first()
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # DRF's own refusal
        return token.user, token
