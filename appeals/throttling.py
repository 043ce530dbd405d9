"""One filing budget per citizen (`API_THROTTLE_FILING`, 30 a minute by default), spent
alike through the page and the API, so neither is a way around the other."""

import secrets
from functools import cache

from django.conf import settings
from rest_framework.throttling import UserRateThrottle

# DRF's sliding window (the times of the requests of the last `window` seconds), kept
# in a sorted set and decided in Redis: one round trip where DRF's cache get and set
# take two, on every filing, and two filings at the same moment cannot both take the
# last place. Returns nothing when the request is allowed and counted, else the
# window's request times.
_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
    return redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(window))
return false
"""


@cache
def _sliding_window(client):
    """The script, bound to a Redis client: the cache's, with its short timeouts."""
    return client.register_script(_SLIDING_WINDOW)


class FilingThrottle(UserRateThrottle):
    """Keyed by the citizen, like DRF's per-user rate, with the filing budget. With Redis
    as the cache the window lives there (above); else it is DRF's, in the cache."""

    scope = "filing"

    def allow_request(self, request, view):
        if not settings.REDIS_URL:
            return super().allow_request(request, view)
        import redis
        from django_redis import get_redis_connection

        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            refused = _sliding_window(get_redis_connection("default"))(
                keys=[f"sliding:{self.key}"],
                args=[self.now, self.duration, self.num_requests, secrets.token_hex(6)],
            )
        except redis.RedisError:
            return True  # open while Redis is away, as the cache's IGNORE_EXCEPTIONS has it
        if not refused:
            return True
        self.history = sorted((float(score) for score in refused[1::2]), reverse=True)
        return self.throttle_failure()


def filing_allowed(request) -> tuple[bool, int]:
    """For the page: whether this filing may go ahead, and else how many seconds to wait."""
    throttle = FilingThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(1, round(throttle.wait() or 1))
