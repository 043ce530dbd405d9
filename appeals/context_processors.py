from django.utils.functional import SimpleLazyObject

from .selectors import unread_notifications


def unread(request):
    """The header's unread count, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notifications(user=user))}
