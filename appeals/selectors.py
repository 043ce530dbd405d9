from deputies.access import Scope, get_for

from .models import Appeal


def appeal_list(*, scope: Scope):
    return (
        Appeal.objects.visible_to(scope)
        .select_related("region", "municipality", "topic", "deputy")
        .order_by("-registered_at", "-pk")
    )


def appeal_get_for(*, scope: Scope, number: str) -> Appeal:
    """404 alike for a missing appeal and for one the scope may not see."""
    return get_for(
        scope,
        Appeal.objects.select_related("region", "municipality", "topic", "deputy", "citizen"),
        number=number,
    )
