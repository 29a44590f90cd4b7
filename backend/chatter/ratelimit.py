"""Sliding-window rate limits, shared through Redis when configured.

While Redis is down every process counts on its own (the same limits, per process), so
sign-in and writes keep working; counts are shared again once it answers.

A limit of N per W seconds means at most N accepted requests in *any* W-second span: a burst
that straddles a clock minute gets no second allowance. Each key keeps the times of its accepted
requests (at most N of them); a refused request is not recorded, so waiting Retry-After seconds
always works.
"""

import math
import threading
import time
import uuid
from collections import deque
from functools import wraps

from flask import current_app, g

from .errors import ApiError

# name -> (requests, window seconds), per signed-in user unless said otherwise.
LIMITS = {
    "create": (60, 60),  # new conversations and comments
    "react": (240, 60),  # likes and promotions
    "edit": (60, 60),  # edits and deletions
    # Per client address, every attempt: flood protection only. Offices share addresses,
    # and a forged token costs a signature check, so this is generous on purpose.
    "sign_in": (1200, 60),
}

# KEYS[1] = the key; ARGV = limit, window ms, a unique member. Redis's own clock, so every
# process and host agrees on "now". Returns 0 when accepted, else milliseconds to wait.
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(1, oldest + window - now)
"""


class RateLimiter:
    def __init__(self, redis=None, namespace="chatter"):
        self._redis = redis  # a RedisLink: counts shared by every process
        self._namespace = namespace
        self._script = None
        self._lock = threading.Lock()
        self._accepted = {}  # (name, who) -> deque of monotonic times, oldest first

    def hit(self, name, who):
        """Count one request; return whole seconds to wait when it is over the limit, else None."""
        if self._redis:
            return self._redis.call(
                lambda client: self._shared_hit(client, name, who),
                lambda: self._local_hit(name, who),
            )
        return self._local_hit(name, who)

    def _shared_hit(self, client, name, who):
        limit, window = LIMITS[name]
        if self._script is None:
            self._script = client.register_script(_SLIDING_WINDOW)
        wait_ms = self._script(
            keys=[f"{self._namespace}:rl:{name}:{who}"],
            args=[limit, window * 1000, uuid.uuid4().hex],
        )
        return math.ceil(wait_ms / 1000) if wait_ms else None

    def _local_hit(self, name, who):
        limit, window = LIMITS[name]
        now = time.monotonic()
        with self._lock:
            if len(self._accepted) > 100_000:
                self._forget_idle(now)
            times = self._accepted.setdefault((name, who), deque())
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) < limit:
                times.append(now)
                return None
            return max(1, math.ceil(times[0] + window - now))

    def _forget_idle(self, now):
        longest = max(window for _, window in LIMITS.values())
        for key in [
            key for key, times in self._accepted.items() if not times or times[-1] <= now - longest
        ]:
            del self._accepted[key]


def too_many(retry_after):
    return ApiError(
        429,
        f"Too many requests. Try again in {retry_after} seconds.",
        code="rate_limited",
        headers={"Retry-After": str(retry_after)},
    )


def limiter():
    return current_app.extensions["chatter.limiter"]


def enforce(name, who):
    """Count a request against the named limit; 429 + Retry-After when over it."""
    retry_after = limiter().hit(name, who)
    if retry_after:
        raise too_many(retry_after)


def rate_limited(name):
    """Refuse with 429 + Retry-After when the signed-in user exceeds the named limit."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            enforce(name, g.reader.id)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def init_app(app):
    app.extensions["chatter.limiter"] = RateLimiter(
        app.extensions["chatter.redis"], app.config["CHATTER_REDIS_NAMESPACE"]
    )
