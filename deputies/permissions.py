"""DRF permissions that ask deputies.access, so an endpoint and its page share one rule."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from .access import scope_for


def scope_may(gate, name: str | None = None) -> type[BasePermission]:
    """A permission passing when `gate(scope)` does. A refusal is 404, as for another's
    object, so a page's existence does not leak; put IsAuthenticated before it, which
    answers 401 to anonymous callers."""

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # a method the view has not: DRF's 405 comes first
        if not gate(scope_for(request.user)):
            raise NotFound
        return True

    return type(name or f"ScopeMay_{gate.__name__}", (BasePermission,), {
        "has_permission": has_permission,
        "refuses_with_404": True,  # the schema lists a 404 on every method (core.api.schema)
        "__doc__": gate.__doc__,
    })  # fmt: skip
