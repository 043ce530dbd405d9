"""How many account letters (password reset, e-mail confirmation, sign-up notices) one
address receives and one client sets off: within MAIL_LIMIT_WINDOW seconds, at most
MAIL_LIMIT_PER_ADDRESS of a kind to an address and MAIL_LIMIT_PER_CLIENT of a kind from
a client address. Past either, no letter goes; the caller answers as if it had, so the
answer tells nothing about the address."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _take(key: str, limit: int, window: int) -> bool:
    cache.add(key, 0, window)  # the window starts at the first letter
    try:
        count = cache.incr(key)
    except ValueError:
        return True  # the key expired between the two calls: a new window
    # None: the cache is away (its errors are ignored and logged); letters still go.
    return count is None or count <= limit


def mail_allowed(*, kind: str, address: str, client: str) -> bool:
    """Count one letter of `kind` to `address` asked for from `client`; whether it may go."""
    window = settings.MAIL_LIMIT_WINDOW
    # A digest, so the cache holds no addresses.
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    by_address = _take(f"mail:{kind}:to:{digest}", settings.MAIL_LIMIT_PER_ADDRESS, window)
    by_client = _take(f"mail:{kind}:from:{client}", settings.MAIL_LIMIT_PER_CLIENT, window)
    return by_address and by_client
