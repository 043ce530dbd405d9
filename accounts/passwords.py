"""What follows a new password, wherever it was set.

Django calls `password_changed` of every configured password validator after a user
with a new password is saved: the password-change and reset pages, the admin's
"change password" form, `manage.py changepassword` and any `set_password()` + `save()`
all end there, so this is the one hook every path goes through. Sessions need nothing
of ours: Django already ends the other sessions of a user whose password hash changed.
"""

from django.utils.translation import gettext as _


class RevokeApiTokensOnChange:
    """Not a rule for the password itself: it revokes the user's API tokens after a
    change, because a token taken with the old password must not outlive it."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        from .services import user_password_changed

        if user is not None and user.pk is not None:
            user_password_changed(user=user)

    def get_help_text(self):
        return _("A new password also revokes your API tokens, if you have any.")
