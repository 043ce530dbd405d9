"""The API's rate limits: DRF's throttles, with the window kept in Redis when Redis is
the cache, and the caller told where they stand.

DRF keeps each caller's sliding window (the times of their requests within the rate's
period) as a list in the cache, read and written back on every request: two round
trips, and two requests at the same moment can both take the last place. With Redis
the window is a sorted set and one Lua script decides: one round trip, atomic. The
rule, the keys and the messages are DRF's; without Redis it is DRF's throttle as is.

Every decision is kept on the request as a `Quota`; `RateLimitHeadersMiddleware` puts
the tightest one into the RateLimit fields of draft-ietf-httpapi-ratelimit-headers-06
(`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, `RateLimit-Policy`). An
API answer given before any throttle ran (401, 403, an unknown path) reports the
caller's general limit read without spending it.
"""

import math
import secrets
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django_redis import get_redis_connection
from rest_framework import throttling
from rest_framework.settings import api_settings

from core.clients import client_ip

# Counts the request when ARGV[5] is 1 and there is room (a peek only looks). Returns
# {1 if there was room, requests in the window, the time of the request whose leaving
# frees the next place (nil when the window is empty)}.
_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
local room = used < limit
if room and ARGV[5] == '1' then
    redis.call('ZADD', key, now, ARGV[4])
    redis.call('EXPIRE', key, math.ceil(window))
    used = used + 1
end
local index = room and 0 or used - limit
local next_free = redis.call('ZRANGE', key, index, index, 'WITHSCORES')[2]
return {room and 1 or 0, used, next_free or false}
"""


@cache
def _sliding_window(client):
    """The script, bound to a Redis client: the cache's, with its short timeouts."""
    return client.register_script(_SLIDING_WINDOW)


@dataclass(frozen=True)
class Quota:
    """One limit as it stands for this request: `reset` is the seconds until the oldest
    request counted leaves the window (one more place), on a refusal the wait."""

    limit: int
    remaining: int
    reset: int
    window: int

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


def _django_request(request):
    return getattr(request, "_request", request)


class SlidingWindowInRedis:
    """Mixed into a DRF rate throttle, before it."""

    quota: Quota | None = None
    counted = False

    def get_ident(self, request):
        # The address the sign-in lockout counts too, not DRF's own reading of the header.
        return client_ip(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        if not settings.REDIS_URL:
            allowed = super().allow_request(request, view)
            if getattr(self, "history", None) is not None:
                self.counted = allowed
                self._note_history(request, allowed)
            return allowed
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.member = secrets.token_hex(6)
        answer = self._run(count=True)
        if answer is None:
            return True  # open while Redis is away, as the cache's IGNORE_EXCEPTIONS has it
        room, used, next_free = answer
        self.counted = room
        self._note(request, room, used, next_free)
        return room or self.throttle_failure()

    def _run(self, *, count: bool):
        try:
            room, used, next_free = _sliding_window(get_redis_connection("default"))(
                keys=[f"sliding:{self.key}"],
                args=[self.now, self.duration, self.num_requests, self.member, int(count)],
            )
        except redis.RedisError:
            return None
        return bool(room), int(used), None if next_free is None else float(next_free)

    def _note_history(self, request, allowed: bool):
        """DRF's own window (newest first), counted already when allowed."""
        oldest_first = self.history[::-1]
        index = 0 if allowed else len(oldest_first) - self.num_requests
        next_free = oldest_first[index] if oldest_first else None
        self._note(request, allowed, len(oldest_first), next_free)

    def _note(self, request, room: bool, used: int, next_free: float | None):
        wait = 0 if next_free is None else max(0.0, next_free + self.duration - self.now)
        self.wait_seconds = wait
        self.quota = Quota(
            limit=self.num_requests,
            remaining=max(0, self.num_requests - used) if room else 0,
            reset=math.ceil(wait),
            window=self.duration,
        )
        _django_request(request).__dict__.setdefault("rate_limits", []).append(self.quota)

    def wait(self):
        if self.quota is not None:
            return self.wait_seconds
        return super().wait()

    def refund(self, request):
        """Give back the place this request took (an idempotent replay spends nothing)."""
        if not self.counted:
            return
        self.counted = False
        if settings.REDIS_URL:
            try:
                get_redis_connection("default").zrem(f"sliding:{self.key}", self.member)
            except redis.RedisError:
                return
        else:
            history = self.cache.get(self.key, [])
            if self.now in history:
                history.remove(self.now)
                self.cache.set(self.key, history, self.duration)
        limits = _django_request(request).__dict__.get("rate_limits", [])
        refunded = Quota(
            self.quota.limit, self.quota.remaining + 1, self.quota.reset, self.quota.window
        )
        limits[:] = [refunded if quota is self.quota else quota for quota in limits]
        self.quota = refunded

    def peek(self, request) -> Quota | None:
        """Where the caller stands on this limit, without spending anything."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, None)
        if self.key is None:
            return None
        self.now = self.timer()
        if settings.REDIS_URL:
            self.member = ""
            answer = self._run(count=False)
            if answer is None:
                return None
            self._note(request, *answer)
        else:
            self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
            self._note_history(request, len(self.history) < self.num_requests)
        return self.quota


class AnonRateThrottle(SlidingWindowInRedis, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SlidingWindowInRedis, throttling.UserRateThrottle):
    pass


def _tightest(quotas) -> Quota:
    return min(quotas, key=lambda quota: (quota.remaining, -quota.reset))


class RateLimitHeadersMiddleware:
    """The RateLimit fields on every answer under /api/: from the throttles the view
    ran, else (refused before them, or no view at all) from the general limits, peeked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/"):
            return response
        quotas = request.__dict__.get("rate_limits") or self._peeked(request)
        if quotas:
            for name, value in _tightest(quotas).headers().items():
                response[name] = value
            response["RateLimit-Policy"] = ", ".join(
                f"{quota.limit};w={quota.window}" for quota in quotas
            )
        return response

    @staticmethod
    def _peeked(request) -> list[Quota]:
        if not hasattr(request, "user"):  # refused before authentication ran (413, 431)
            request.user = AnonymousUser()
        for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
            throttle = throttle_class()
            if isinstance(throttle, SlidingWindowInRedis):
                throttle.peek(request)
        return request.__dict__.get("rate_limits", [])


class SignInRateThrottle(SlidingWindowInRedis, throttling.SimpleRateThrottle):
    """Token sign-ins per client address, whichever account they are for; beside it the
    lockout counts wrong passwords per account and address."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
