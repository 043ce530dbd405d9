"""The API's rate limits: DRF's throttles, with the window kept in Redis when Redis is
the cache.

DRF keeps each caller's sliding window (the times of their requests within the rate's
period) as a list in the cache, read and written back on every request: two round
trips, and two requests at the same moment can both take the last place. With Redis
the window is a sorted set and one Lua script decides: one round trip, atomic. The
rule, the keys and the messages are DRF's; without Redis it is DRF's throttle as is.
"""

import secrets
from functools import cache

import redis
from django.conf import settings
from django_redis import get_redis_connection
from rest_framework import throttling

from core.clients import client_ip

# Returns nothing when the request is allowed and counted, else the window's times.
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


class SlidingWindowInRedis:
    """Mixed into a DRF rate throttle, before it."""

    def get_ident(self, request):
        # The address the sign-in lockout counts too, not DRF's own reading of the header.
        return client_ip(request)

    def allow_request(self, request, view):
        if not settings.REDIS_URL:
            return super().allow_request(request, view)
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


class AnonRateThrottle(SlidingWindowInRedis, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SlidingWindowInRedis, throttling.UserRateThrottle):
    pass


class SignInRateThrottle(SlidingWindowInRedis, throttling.SimpleRateThrottle):
    """Token sign-ins per client address, whichever account they are for; beside it the
    lockout counts wrong passwords per account and address."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
