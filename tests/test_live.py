"""The live stream over a real WebSocket, SSE and long polling, with exact resume."""

import contextlib
import http.client
import json
import threading
import time

import pytest
import simple_websocket
from sqlalchemy import delete

from chatter.db import db
from chatter.models import Event

from .conftest import Api, LiveServer


@pytest.fixture
def server(app):
    """The app served by a threaded Werkzeug server on a free port: "host:port"."""
    live = LiveServer(app)
    yield live.url.removeprefix("http://")
    live.stop()


class Stream:
    """A WebSocket client that collects frames."""

    def __init__(self, address, token=None, after=None, origin=None, auth=True):
        headers = {"Origin": origin} if origin else None
        self.ws = simple_websocket.Client.connect(f"ws://{address}/api/v1/stream", headers=headers)
        if auth:
            self.send({"type": "auth", "token": token, "after": after})

    def send(self, frame):
        self.ws.send(json.dumps(frame))

    def next(self, timeout=3.0):
        raw = self.ws.receive(timeout=timeout)
        assert raw is not None, "no frame within the timeout"
        return json.loads(raw)

    def until(self, frame_type, timeout=3.0):
        frames = []
        while True:
            frames.append(self.next(timeout))
            if frames[-1]["type"] == frame_type:
                return frames

    def closed(self, timeout=3.0):
        """Wait for the server to close; return (code, reason)."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self.ws.receive(timeout=0.2)
        except simple_websocket.ConnectionClosed as closed:
            return closed.reason, closed.message
        raise AssertionError("the server did not close the socket")

    def close(self):
        with contextlib.suppress(simple_websocket.ConnectionClosed):
            self.ws.close()


def token(api):
    return api.session["token"]


def test_a_new_post_reaches_an_open_socket(server, alice, bob):
    stream = Stream(server, token(alice))
    ready = stream.next()
    assert ready["type"] == "ready"
    post = bob.new_post("live from Bob", context="page:1")
    frame = stream.next()  # it arrives; how fast is bench/fanout's to measure
    assert frame["type"] == "post.created" and frame["id"] > ready["last_id"]
    assert frame["context"] == "page:1"
    assert frame["data"]["id"] == post["id"] and frame["data"]["author"]["name"] == "Bob Baker"
    assert "liked_by_me" not in frame["data"], "per-viewer fields are the client's"
    bob.put(f"/posts/{post['id']}/like")
    bob.post(f"/posts/{post['id']}/comments", json={"body": "first!"})
    alice.put(f"/posts/{post['id']}/promotion")
    kinds = [stream.next()["type"] for _ in range(3)]
    assert kinds == ["post.liked", "comment.created", "post.promoted"]
    stream.close()


def test_resume_after_a_dropped_socket_is_exact(server, alice, bob):
    stream = Stream(server, token(alice))
    seen = [stream.next()["last_id"]]
    bob.new_post("one")
    seen.append(stream.next()["id"])
    stream.ws.sock.close()  # the network drops, no close handshake
    post = bob.new_post("two while away")
    bob.put(f"/posts/{post['id']}/like")
    bob.patch(f"/posts/{post['id']}", json={"body": "two, edited"})
    resumed = Stream(server, token(alice), after=seen[-1])
    # Replayed events come before "ready", events the hub had not dispatched yet after it:
    # either way each arrives once, in order.
    frames = [resumed.next() for _ in range(4)]
    events = [f for f in frames if f["type"] != "ready"]
    assert [f["type"] for f in events] == ["post.created", "post.liked", "post.updated"]
    ids = [f["id"] for f in events]
    assert ids == list(range(seen[-1] + 1, seen[-1] + 4))
    bob.delete(f"/posts/{post['id']}")
    live = resumed.next()
    assert live["type"] == "post.deleted" and live["id"] == ids[-1] + 1
    with pytest.raises(AssertionError, match="no frame"):
        resumed.next(timeout=0.5)  # nothing doubled
    resumed.close()


def test_resume_from_a_pruned_log_says_reset(app, server, alice, bob):
    for n in range(3):
        bob.new_post(f"old {n}")
    with app.app_context():
        db.session.execute(delete(Event).where(Event.id <= 2))
        db.session.commit()
    stream = Stream(server, token(alice), after=1)
    frame = stream.next()
    assert frame == {"type": "reset", "last_id": 3}
    future = Stream(server, token(alice), after=999)
    assert future.next()["type"] == "reset"


@pytest.mark.parametrize(
    "first_frame",
    [
        None,
        "not json",
        {"type": "hello"},
        {"type": "auth"},
        {"type": "auth", "token": "forged"},
        {"type": "auth", "token": "t", "after": "1"},
        {"type": "auth", "token": "t", "after": 2**64},
        "[" * 1500 + "]" * 1500,
        '{"type": "auth", "token": "\\ud800"}',
    ],
)
def test_bad_or_missing_auth_closes_1008(server, first_frame):
    stream = Stream(server, auth=False)
    if first_frame is not None:
        stream.ws.send(first_frame if isinstance(first_frame, str) else json.dumps(first_frame))
    else:
        stream.ws.send(json.dumps({"type": "auth", "token": ""}))
    assert stream.closed()[0] == 1008


def test_oversized_frame_closes_the_socket(server, alice):
    stream = Stream(server, token(alice))
    stream.next()
    stream.ws.send("x" * 100_000)
    assert stream.closed()[0] == 1009


def _upgrade_status(address, origin):
    connection = http.client.HTTPConnection(address, timeout=5)
    connection.request(
        "GET",
        "/api/v1/stream",
        headers={
            "Origin": origin,
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    response = connection.getresponse()
    connection.close()
    return response.status


def test_foreign_origin_is_refused_before_the_upgrade(server):
    assert _upgrade_status(server, "https://evil.example.com") == 403
    assert _upgrade_status(server, f"http://{server}") == 101


def test_sign_out_closes_open_sockets(server, alice):
    stream = Stream(server, token(alice))
    stream.next()
    assert alice.delete("/session").status_code == 204
    assert stream.closed()[0] == 1008


def test_too_many_sockets_per_user(server, alice):
    from chatter.live.hub import MAX_SUBSCRIBERS_PER_USER

    streams = [Stream(server, token(alice)) for _ in range(MAX_SUBSCRIBERS_PER_USER)]
    for stream in streams:
        stream.next()
    extra = Stream(server, token(alice))
    assert extra.closed() == (1008, "too_many_connections")
    for stream in streams:
        stream.close()


def _sse_frames(address, api, after, count):
    connection = http.client.HTTPConnection(address, timeout=5)
    query = f"?after={after}" if after is not None else ""
    connection.request("GET", f"/api/v1/stream/sse{query}", headers=api.headers)
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    frames = []
    while len(frames) < count:
        line = response.fp.readline().decode()
        if line.startswith("data: "):
            frames.append(json.loads(line[6:]))
    connection.close()
    return frames


def test_sse_fallback_resumes_like_the_socket(server, alice, bob):
    head = alice.get("/events").json["last_id"]
    post = bob.new_post("for SSE")
    bob.put(f"/posts/{post['id']}/like")
    frames = _sse_frames(server, alice, head, 3)
    assert [f["type"] for f in frames] == ["post.created", "post.liked", "ready"]
    collected = []
    reader = threading.Thread(
        target=lambda: collected.extend(_sse_frames(server, alice, frames[1]["id"], 2))
    )
    reader.start()
    time.sleep(0.3)
    alice.put(f"/posts/{post['id']}/promotion")
    reader.join(5)
    assert [f["type"] for f in collected] == ["ready", "post.promoted"]


def test_long_polling_fallback(server, alice, bob):
    head = alice.get("/events").json
    assert head == {"events": [], "last_id": head["last_id"], "reset": False}
    post = bob.new_post("for polling")
    batch = alice.get(f"/events?after={head['last_id']}&wait=0").json
    assert [e["type"] for e in batch["events"]] == ["post.created"]
    assert batch["events"][0]["data"]["id"] == post["id"]
    waiting = {}
    poller = threading.Thread(
        target=lambda: waiting.update(alice.get(f"/events?after={batch['last_id']}&wait=5").json)
    )
    poller.start()
    time.sleep(0.3)
    bob.put(f"/posts/{post['id']}/like")
    poller.join(6)
    assert [e["type"] for e in waiting["events"]] == ["post.liked"]
    assert waiting["last_id"] == batch["last_id"] + 1
    assert alice.get("/events?after=-1").status_code == 422


def test_late_commits_cannot_be_skipped(app, alice, bob, postgres_url):
    """Two writers race; the one with the lower event id commits last. No reader may skip it.

    On PostgreSQL a second event writer waits for the first to commit (advisory lock), so
    ids become visible in order; on SQLite BEGIN IMMEDIATE serializes them the same way.
    """
    from chatter import conversations
    from chatter.models import Post, User

    # Different posts, so no row lock orders the two writers: only the event log can.
    post_ids = {"slow": alice.new_post("race 1")["id"], "fast": alice.new_post("race 2")["id"]}
    first_has_id, release_first = threading.Event(), threading.Event()
    order = []

    def writer(name, sub, hold):
        with app.app_context():
            user = db.session.query(User).filter_by(subject=sub).one()
            post = db.session.get(Post, post_ids[name])
            conversations.set_post_like(post, user, True)
            db.session.flush()
            if hold:
                first_has_id.set()
                release_first.wait(5)
            db.session.commit()
            order.append(name)

    head = alice.get("/events").json["last_id"]
    slow = threading.Thread(target=writer, args=("slow", "alice", True))
    slow.start()
    assert first_has_id.wait(5)
    # Both writers are alice, liking her own posts: nobody is notified, so each writes one event.
    fast = threading.Thread(target=writer, args=("fast", "alice", False))
    fast.start()
    fast.join(0.5)
    # While the first writer holds its uncommitted event, a reader resuming from head sees
    # nothing newer: the second writer cannot commit a higher id before it.
    assert alice.get(f"/events?after={head}&wait=0").json["events"] == []
    assert order == []
    release_first.set()
    slow.join(5)
    fast.join(5)
    # Which thread gets back first after its COMMIT is the scheduler's business; what the
    # lock guarantees is the log: the first writer's event has the lower id, and neither id
    # was visible before the first writer committed (above).
    assert sorted(order) == ["fast", "slow"]
    events = alice.get(f"/events?after={head}&wait=0").json["events"]
    assert [e["id"] for e in events] == [head + 1, head + 2]
    assert [e["data"]["post_id"] for e in events] == [post_ids["slow"], post_ids["fast"]]


def test_the_feed_says_where_the_stream_resumes(server, alice, bob):
    """A pane that resumes from the page's last_event_id misses nothing the page lacks."""
    bob.new_post("already on the page")
    page = alice.get("/posts").json
    missed = bob.new_post("written after the page was read")
    stream = Stream(server, token(alice), after=page["last_event_id"])
    frames = stream.until("ready")
    assert [f["data"]["id"] for f in frames if f["type"] == "post.created"] == [missed["id"]]
    stream.close()


@pytest.mark.sqlite
def test_sockets_of_dead_processes_are_cleaned_up(app, server, alice, bob):
    """A SQLite process's wake-up socket outlives a kill -9; the next writer removes it."""
    import os
    import socket
    from pathlib import Path

    stream = Stream(server, token(alice))  # this process listens: its socket is in the folder
    stream.next()
    folder = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///") + ".live")
    [own] = list(folder.iterdir())
    folder_fd = os.open(folder, os.O_RDONLY)  # socket paths must be short; tmp_path is not
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dead.bind(f"/proc/self/fd/{folder_fd}/4242-deadbeef.sock")
    dead.close()  # what a killed process leaves behind
    os.close(folder_fd)
    post = bob.new_post("anyone there?")
    assert stream.next()["data"]["id"] == post["id"]
    assert list(folder.iterdir()) == [own]
    stream.close()


def test_a_socket_from_another_origin_than_the_sessions_is_refused(make_app):
    app = make_app(CHATTER_ALLOWED_ORIGINS="https://intranet.example.com,https://wiki.example.com")
    client, live = app.test_client(), LiveServer(app)
    try:
        address = live.url.removeprefix("http://")
        identity = client.get("/dev/identity-token?sub=oona").json["identity_token"]
        session = client.post(
            "/api/v1/session",
            json={"identity_token": identity},
            headers={"Origin": "https://intranet.example.com"},
        ).json
        lifted = Stream(address, session["token"], origin="https://wiki.example.com")
        assert lifted.closed()[0] == 1008
        at_home = Stream(address, session["token"], origin="https://intranet.example.com")
        assert at_home.next()["type"] == "ready"
        at_home.close()
    finally:
        live.stop()


def test_an_admin_signs_a_person_out_everywhere_at_once(make_app):
    app = make_app(CHATTER_ADMINS="chatter-dev|root")
    client, live = app.test_client(), LiveServer(app)
    try:
        root, bob, eve = (Api(client, sub) for sub in ("root", "bob", "eve"))
        laptop = Api(client, "bob")  # a second session of the same person
        stream = Stream(live.url.removeprefix("http://"), token(bob))
        assert stream.next()["type"] == "ready"
        refused = eve.delete(f"/people/{bob.user['id']}/sessions")
        assert refused.status_code == 403 and bob.get("/me").status_code == 200
        assert root.delete("/people/999999/sessions").status_code == 404
        done = root.delete(f"/people/{bob.user['id']}/sessions")
        assert done.status_code == 200 and done.json == {"revoked": 2}
        assert bob.get("/me").status_code == 401 and laptop.get("/me").status_code == 401
        assert stream.closed()[0] == 1008
        assert eve.get("/me").status_code == 200 and root.get("/me").status_code == 200
    finally:
        live.stop()
