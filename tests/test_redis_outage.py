"""A Redis outage stops nothing: a private redis-server is stopped mid-test and started again."""

import logging
import shutil
import subprocess
import time

import pytest
import redis

from chatter import ratelimit

from .conftest import Api, LiveServer, service_unavailable
from .test_live import Stream, token
from .test_live_processes import free_port


class PrivateRedis:
    """redis-server on a free loopback port of its own (never the shared one on 6379)."""

    def __init__(self, binary):
        self.binary, self.port = binary, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def private_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        service_unavailable("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(binary)
    server.start()
    yield server
    server.stop()


def test_a_redis_outage_stops_nothing(make_app, private_redis, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="chatter")
    monkeypatch.setitem(ratelimit.LIMITS, "create", (5, 3600))
    app = make_app(CHATTER_REDIS_URL=private_redis.url)
    live = LiveServer(app)
    client = app.test_client()
    reader = Api(client, "reader")
    stream = Stream(live.url.removeprefix("http://"), token(reader))
    assert stream.next()["type"] == "ready"

    def talk(sub):
        """Sign in, post, comment and like; the open socket sees all of it."""
        person = Api(client, sub)
        post = person.new_post(f"{sub} says hello")
        comment = person.post(f"/posts/{post['id']}/comments", json={"body": "and replies"})
        assert comment.status_code == 201, comment.json
        like = person.put(f"/posts/{post['id']}/like")
        assert like.status_code == 200, like.json
        frames = [stream.next(timeout=10) for _ in range(3)]
        assert [f["type"] for f in frames] == ["post.created", "comment.created", "post.liked"]
        assert frames[0]["data"]["id"] == post["id"]
        return person

    try:
        before = talk("before")
        assert client.get("/readyz").json == {"status": "ready", "redis": "ok"}

        private_redis.stop()
        talk("during")
        assert client.get("/readyz").json == {"status": "ready", "redis": "degraded"}
        # The limits still hold, counted by this process alone from the outage on.
        for n in range(5):
            assert before.post("/posts", json={"body": f"more {n}"}).status_code == 201
        refused = before.post("/posts", json={"body": "one too many here"})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
        for _ in range(5):
            assert stream.next(timeout=10)["type"] == "post.created"

        private_redis.start()  # the same port, empty: no restart of Chatter
        deadline = time.monotonic() + 20
        while client.get("/readyz").json.get("redis") != "ok":
            assert time.monotonic() < deadline, "Redis never counted as back"
            time.sleep(0.05)
        talk("after")
        # Counted in Redis again (started empty): this process alone would refuse it.
        assert before.new_post("counted in Redis again")["id"]
    finally:
        stream.close()
        live.stop()

    logged = [(r.levelname, r.name) for r in caplog.records if r.name.startswith("chatter")]
    assert logged.count(("WARNING", "chatter.redis_link")) == 1, logged
    assert logged.count(("INFO", "chatter.redis_link")) == 1, logged
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "no tracebacks"
