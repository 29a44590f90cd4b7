"""Fixed-window rate limits, shared through Redis when configured (SECURITY.md 15)."""

import threading
import time
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


class RateLimiter:
    def __init__(self, redis=None, namespace="chatter"):
        self._redis = redis  # a RedisLink: counts shared by every process
        self._namespace = namespace
        self._lock = threading.Lock()
        self._counts = {}

    def _key(self, name, who, window):
        return f"{self._namespace}:rl:{name}:{who}:{int(time.time() // window)}"

    def _retry_after(self, window):
        return max(1, int(window - time.time() % window))

    def hit(self, name, who):
        """Count one request; return seconds to wait when it is over the limit, else None."""
        limit, window = LIMITS[name]
        key = self._key(name, who, window)
        if self._redis:
            pipe = self._redis.client().pipeline()
            pipe.incr(key)
            pipe.expire(key, window + 1)
            count = pipe.execute()[0]
        else:
            with self._lock:
                if len(self._counts) > 100_000:  # old windows: drop them all
                    self._counts.clear()
                count = self._counts[key] = self._counts.get(key, 0) + 1
        return self._retry_after(window) if count > limit else None


def too_many(retry_after):
    return ApiError(429, f"Too many requests. Try again in {retry_after} seconds.",
                    code="rate_limited", headers={"Retry-After": str(retry_after)})


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
            enforce(name, g.user.id)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def init_app(app):
    app.extensions["chatter.limiter"] = RateLimiter(app.extensions["chatter.redis"],
                                                    app.config["CHATTER_REDIS_NAMESPACE"])
