"""Live delivery across real server processes: wake-ups without Redis, restarts, shutdown."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import simple_websocket


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`chatter serve` in a subprocess; `options` are added to its command line."""

    def __init__(self, env, *options):
        self.env, self.port, self.options = env, free_port(), options
        self.address = f"127.0.0.1:{self.port}"
        self.process = None
        self.start()

    def start(self):
        command = [
            sys.executable,
            "-m",
            "chatter.cli",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            "1",
            *self.options,
        ]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # The command builds the app once to check it, then its workers build it: on a busy
        # machine that takes a while.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{self.address}/readyz", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.process.stderr.close()

    def call(self, method, path, body=None, token=None, key=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://{self.address}{path}", data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def sign_in(self, sub):
        identity = self.call("GET", f"/dev/identity-token?sub={sub}")["identity_token"]
        return self.call("POST", "/api/v1/session", {"identity_token": identity})["token"]

    def post(self, token, body):
        return self.call("POST", "/api/v1/posts", {"body": body}, token, key=os.urandom(8).hex())

    def stream(self, token, after=None):
        ws = simple_websocket.Client.connect(f"ws://{self.address}/api/v1/stream")
        ws.send(json.dumps({"type": "auth", "token": token, "after": after}))
        return ws


def frames(ws, count, timeout=5.0):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        raw = ws.receive(timeout=max(0.01, deadline - time.monotonic()))
        if raw is not None:
            got.append(json.loads(raw))
    return got


@pytest.fixture
def server_env(app, tmp_path, postgres_url):
    """Settings for server processes sharing the test app's database and dev secret."""
    return {
        "CHATTER_DEV_MODE": "1",
        "CHATTER_SECRET_KEY": app.config["SECRET_KEY"],
        "CHATTER_INSTANCE_DIR": app.config["CHATTER_INSTANCE_DIR"],
        "CHATTER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.stop()


def test_a_post_on_one_process_reaches_a_socket_on_another_without_redis(server_env, servers):
    # A 30 s poll and no Redis: only the database's wake-up channel (NOTIFY on PostgreSQL, a
    # local socket on SQLite) can deliver within the timeout.
    env = {**server_env, "CHATTER_REDIS_URL": "", "CHATTER_LIVE_POLL_SECONDS": "30"}
    a, b = ServerProcess(env), ServerProcess(env)
    servers += [a, b]
    reader, writer = b.sign_in("reader"), a.sign_in("writer")
    ws = b.stream(reader)
    assert frames(ws, 1)[0]["type"] == "ready"
    for n in range(3):
        post = a.post(writer, f"cross-process {n}")
        [frame] = frames(ws, 1, timeout=10)
        assert frame["type"] == "post.created" and frame["data"]["id"] == post["id"]
    # Signing out on A closes the session's stream on B at once, not at B's next check.
    a.call("DELETE", "/api/v1/session", token=reader)
    with pytest.raises(simple_websocket.ConnectionClosed) as closed:
        frames(ws, 1, timeout=8)
    assert closed.value.reason == 1008


def test_revoking_from_the_command_line_closes_streams_on_a_server(server_env, servers):
    """`chatter sessions revoke` runs in a process of its own; the server hears it at once."""
    env = {**server_env, "CHATTER_REDIS_URL": "", "CHATTER_LIVE_POLL_SECONDS": "30"}
    server = ServerProcess(env)
    servers.append(server)
    ws = server.stream(server.sign_in("mallory"))
    assert frames(ws, 1)[0]["type"] == "ready"
    revoked = subprocess.run(
        [sys.executable, "-m", "chatter.cli", "sessions", "revoke", "chatter-dev|mallory"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert revoked.returncode == 0, revoked.stderr
    # Well before the server's own session check (10 s) or poll (30 s) would notice.
    with pytest.raises(simple_websocket.ConnectionClosed) as closed:
        frames(ws, 1, timeout=8)
    assert closed.value.reason == 1008


def test_restart_while_events_are_written_loses_and_doubles_nothing(server_env, servers):
    server = ServerProcess(server_env)
    servers.append(server)
    reader, writer = server.sign_in("reader"), server.sign_in("writer")
    ws = server.stream(reader)
    last_id = frames(ws, 1)[0]["last_id"]
    server.post(writer, "before the restart")
    [frame] = frames(ws, 1)
    last_id = frame["id"]
    # SIGTERM: the socket is closed with 1001 "going away" before the process exits.
    server.process.send_signal(signal.SIGTERM)
    with pytest.raises(simple_websocket.ConnectionClosed) as closed:
        while True:
            ws.receive(timeout=5)
    assert closed.value.reason == 1001
    server.process.wait(15)
    server.process.stderr.close()
    other = ServerProcess(server_env)  # the organization keeps talking meanwhile
    servers.append(other)
    other_writer = other.sign_in("writer2")
    written = [other.post(other_writer, f"while it was down {n}")["id"] for n in range(5)]
    server.start()
    resumed = server.stream(reader, after=last_id)
    got = frames(resumed, 6)
    events = [f for f in got if f["type"] != "ready"]
    assert [f["data"]["id"] for f in events] == written
    assert [f["id"] for f in events] == list(range(last_id + 1, last_id + 6))
    server.post(writer, "after the restart")
    [live] = frames(resumed, 1)
    assert live["id"] == last_id + 6
    assert frames(resumed, 1, timeout=0.5) == []
    resumed.close()
