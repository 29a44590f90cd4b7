"""One Redis client per app, connected on first use; Redis is optional and may go away.

Only the rate limits use Redis (to share counts across processes). When it does not answer,
callers fall back to what they can do alone, the link logs one WARNING, leaves Redis alone for
RETRY_SECONDS between attempts (so requests do not each wait on a dead host), and logs one
INFO when an attempt succeeds again: no restart needed.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0  # while Redis is down, how often a caller tries it again


class RedisLink:
    def __init__(self, url):
        self.url = url
        self._client = None
        self._lock = threading.Lock()
        self.down = False  # the last attempt failed
        self._retry_at = 0.0

    def client(self):
        with self._lock:
            if self._client is None:
                import redis
                from redis.backoff import NoBackoff
                from redis.retry import Retry

                # No retries inside redis-py: a failed call falls back at once instead of
                # sleeping through backoffs in a request.
                self._client = redis.Redis.from_url(
                    self.url,
                    socket_timeout=2,
                    socket_connect_timeout=1,
                    retry=Retry(NoBackoff(), 0),
                )
            return self._client

    def call(self, operation, fallback, probe=False):
        """operation(client), or fallback() when Redis fails or is known to be down.

        `probe` tries Redis even within the retry pause (readiness checks).
        """
        import redis

        if self.down and not probe and time.monotonic() < self._retry_at:
            return fallback()
        try:
            result = operation(self.client())
        except (redis.RedisError, OSError) as error:
            self._went_down(error)
            return fallback()
        if self.down:
            self._came_back()
        return result

    def _went_down(self, error):
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self.down:
                return
            self.down = True
        log.warning(
            "Redis at %s is not answering (%s: %s); rate limits are per process until it is back",
            self.address(),
            type(error).__name__,
            error,
        )

    def _came_back(self):
        with self._lock:
            if not self.down:
                return
            self.down = False
        log.info("Redis at %s is back; rate limits are shared again", self.address())

    def address(self):
        """host:port/db of the URL, never its password."""
        parts = urlsplit(self.url)
        return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"

    def close(self):
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def init_app(app):
    """`app.extensions["chatter.redis"]`: a RedisLink, or None without CHATTER_REDIS_URL."""
    url = app.config["CHATTER_REDIS_URL"]
    app.extensions["chatter.redis"] = RedisLink(url) if url else None
