"""Caps on filing beside the per-minute budget (appeals.throttling): so many appeals in
24 hours, and so many of them to one deputy. Counted from the appeals themselves, so
only what was filed counts, through the page and the API alike."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from core.errors import LimitReached

from .models import Appeal

DAY = timedelta(days=1)


def _wait(oldest, now) -> tuple[int, str]:
    """Seconds until the oldest appeal in the window leaves it, and that moment as text."""
    free_at = oldest + DAY
    when = date_format(timezone.localtime(free_at), "d.m.Y H:i")
    return max(1, int((free_at - now).total_seconds()) + 1), when


def filing_caps_check(*, citizen_id: int, deputy_id: int | None, now) -> None:
    """Raise LimitReached when this filing would pass a cap. Call inside the filing's
    transaction, once its deputy is known; the (citizen, registered_at) index serves
    it, and under the caps there are at most a few dozen rows to read."""
    day_cap = settings.FILING_DAILY_LIMIT
    deputy_cap = settings.FILING_DEPUTY_DAILY_LIMIT
    recent = list(
        Appeal.objects.filter(citizen_id=citizen_id, registered_at__gt=now - DAY)
        .order_by("registered_at")
        .values_list("registered_at", "deputy_id")
    )
    if len(recent) >= day_cap:
        wait, when = _wait(recent[-day_cap][0], now)
        raise LimitReached(
            ngettext(
                "You can file at most %(count)d appeal in 24 hours. "
                "The next one can be filed after %(time)s.",
                "You can file at most %(count)d appeals in 24 hours. "
                "The next one can be filed after %(time)s.",
                day_cap,
            )
            % {"count": day_cap, "time": when},
            wait=wait,
        )
    to_deputy = [at for at, deputy in recent if deputy is not None and deputy == deputy_id]
    if deputy_id is not None and len(to_deputy) >= deputy_cap:
        wait, when = _wait(to_deputy[-deputy_cap], now)
        raise LimitReached(
            ngettext(
                "You can send at most %(count)d appeal in 24 hours to one deputy. "
                "The next one to this deputy can be filed after %(time)s.",
                "You can send at most %(count)d appeals in 24 hours to one deputy. "
                "The next one to this deputy can be filed after %(time)s.",
                deputy_cap,
            )
            % {"count": deputy_cap, "time": when},
            wait=wait,
        )
