"""One Redis client per app, connected on first use, shared by the live hub and the limits."""

import threading


class RedisLink:
    def __init__(self, url):
        self.url = url
        self._client = None
        self._lock = threading.Lock()

    def client(self):
        with self._lock:
            if self._client is None:
                import redis

                self._client = redis.Redis.from_url(self.url, socket_timeout=2)
            return self._client

    def close(self):
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def init_app(app):
    """`app.extensions["chatter.redis"]`: a RedisLink, or None without CHATTER_REDIS_URL."""
    url = app.config["CHATTER_REDIS_URL"]
    app.extensions["chatter.redis"] = RedisLink(url) if url else None
