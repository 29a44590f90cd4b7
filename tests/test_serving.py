"""`chatter serve`: a small pool for requests, a thread per live stream, a light master."""

import threading
import urllib.request
from pathlib import Path

from .test_live_processes import ServerProcess, frames, server_env, servers  # noqa: F401


def test_streams_do_not_take_the_threads_rest_requests_need(server_env, servers):  # noqa: F811
    """With one request thread, five open panes still leave REST (and live) working: each
    stream runs on a thread of its own, not on the request pool."""
    server = ServerProcess(server_env, "--threads", "1")
    servers.append(server)
    reader, writer = server.sign_in("reader"), server.sign_in("writer")
    streams = [_open_stream(server, reader) for _ in range(5)]
    assert all(frames(ws, 1)[0]["type"] == "ready" for ws in streams)
    page = server.call("GET", "/api/v1/posts", token=reader)  # urllib: 10 s timeout
    assert page["items"] == []
    post = server.post(writer, "everyone sees this")
    for ws in streams:
        [frame] = frames(ws, 1)
        assert (frame["type"], frame["data"]["id"]) == ("post.created", post["id"])
        ws.close()


def _open_stream(server, token, timeout=10):
    """A WebSocket that completed its handshake within the timeout (or a failed test)."""
    opened = []
    opener = threading.Thread(target=lambda: opened.append(server.stream(token)), daemon=True)
    opener.start()
    opener.join(timeout)
    assert opened, "the server did not take another stream"
    return opened[0]


def _mapped_files(pid):
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()}


def test_the_master_process_never_builds_the_app(server_env, servers):  # noqa: F811
    """`chatter serve` checks the configuration, then becomes a plain gunicorn master: no
    database driver or app code loaded in it, a fraction of a worker's memory."""
    server = ServerProcess(server_env)
    servers.append(server)
    urllib.request.urlopen(f"http://{server.address}/readyz", timeout=5).close()
    master = server.process.pid
    assert "gunicorn" in Path(f"/proc/{master}/cmdline").read_bytes().decode()
    loaded = " ".join(_mapped_files(master))
    assert "sqlalchemy" not in loaded and "nh3" not in loaded and "_sqlite3" not in loaded
    status = Path(f"/proc/{master}/status").read_text()
    rss_kib = int(
        next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]
    )
    assert rss_kib < 48 * 1024, f"master holds {rss_kib // 1024} MiB"
