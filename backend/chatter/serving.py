"""gunicorn's configuration for `chatter serve`: a small pool for requests, streams apart.

A live stream (WebSocket, server-sent events, a long poll) holds a thread for as long as it
is open; a REST request holds one for a few milliseconds. gunicorn's threaded worker runs both
on one pool, so holding a thousand panes took `--threads 1000`, and every REST request then
ran beside dozens of others contending for the GIL: slower than gunicorn's sync workers (issue
9 measured p99 3-4 times theirs). StreamWorker keeps the pool small (`--threads`,
default 8: the pool every bench/feed figure was measured with) and hands each stream, once its
request line shows it is one, to a thread of its own, outside the pool; streams spend their
life blocked (the hub's dispatcher writes their frames), so they cost no CPU while idle.
`--worker-connections` bounds what one process holds: streams plus kept-alive connections.

This file is read by gunicorn's master by its path (`gunicorn -c …/serving.py`) and imports
gunicorn only: the master never builds the app (only the workers do) and stays a plain
~25 MiB gunicorn master. `chatter serve` checks the configuration by building the app once,
then replaces itself (exec) with that gunicorn command.
"""

import threading
from concurrent.futures import Future

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

# Requests whose paths start so are live streams (api/stream.py): each gets a thread of its own.
STREAM_PATHS = ("/api/v1/stream", "/api/v1/events")
_STREAMING = object()  # what a pool thread returns for a request it handed to a stream thread


class StreamWorker(ThreadWorker):
    """gthread with two lanes: the pool serves requests, a thread per stream serves streams."""

    def handle_request(self, req, conn):
        if threading.current_thread().name.startswith("chatter-stream") or not (
            req.path.startswith(STREAM_PATHS)
        ):
            return super().handle_request(req, conn)
        threading.Thread(
            target=self._serve_stream, args=(req, conn), name="chatter-stream", daemon=True
        ).start()
        return _STREAMING

    def _serve_stream(self, req, conn):
        done = Future()
        try:
            keepalive = self._keepalive_after(conn, self.handle_request(req, conn))
        except (NoMoreData, StopIteration, OSError):
            keepalive = False  # the client went away, or Flask-Sock closed its socket
        except Exception as error:  # noqa: BLE001 - the pool thread's handling, in this lane
            self.handle_error(req, conn.sock, conn.client, error)
            keepalive = False
        done.set_result(keepalive)
        # Back to the main loop, like a pool thread's request: keep-alive or close.
        self.method_queue.defer(self.finish_request, conn, done)

    def _keepalive_after(self, conn, keepalive):
        if keepalive is _STREAMING:
            return _STREAMING  # the stream thread owns the socket now: do not drain it
        return super()._keepalive_after(conn, keepalive)

    def finish_request(self, conn, fs):
        if not fs.cancelled() and fs.exception() is None and fs.result() is _STREAMING:
            return  # the stream thread finishes the connection when the stream ends
        super().finish_request(conn, fs)


def post_worker_init(worker):
    """On SIGTERM, close live streams with 1001 "going away" first (chatter.cli); start the
    worker's mailer thread (chatter.mail.delayed)."""
    from chatter.cli import close_streams_on_term
    from chatter.mail import start_mailer

    close_streams_on_term(worker)
    start_mailer(worker.wsgi)


worker_class = StreamWorker
graceful_timeout = 10
control_socket_disable = True
