"""The live stream: a WebSocket, with server-sent events and long polling as fallbacks.

All three speak the same frames from the same hub with the same resume rule: send the
last event id you saw as `after`; you get every later event once, in order, or a
`{"type": "reset"}` when the log no longer reaches back that far.
"""

import contextlib
import json
import queue
import threading
import time

from flask import Response, current_app, g, request, stream_with_context
from flask_sock import Sock
from marshmallow import Schema, ValidationError, fields, validate
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from ..db import db
from ..errors import ApiError
from ..limits import ID_MAX
from ..live import SocketSubscriber, Subscriber, compact_json, get_hub, websocket_frame
from ..schemas import Text
from ..sessions import login_required, session_for_token
from ..strict_json import parse_json
from . import bp, doc, load_query

sock = Sock()
AUTH_TIMEOUT = 10  # seconds to send the auth frame
FRAME_BUDGET = (30, 10.0)  # at most 30 client frames per 10 seconds
HEARTBEAT = 20  # seconds between keep-alives on SSE
SEND_TIMEOUT = 5  # seconds a client may take to accept a frame before it is dropped
IDLE_WAKE = 30  # a socket's reading thread wakes this often with nothing to read


class AuthFrameSchema(Schema):
    type = Text(required=True, validate=validate.Equal("auth"))
    token = Text(required=True, validate=validate.Length(1, 200))
    after = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, ID_MAX))


class ResumeQuerySchema(Schema):
    after = fields.Integer(validate=validate.Range(0, ID_MAX))
    wait = fields.Integer(load_default=20, validate=validate.Range(0, 25))


resume_query = ResumeQuerySchema()


class EventSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    context = fields.String(allow_none=True)
    data = fields.Dict()


class EventBatchSchema(Schema):
    events = fields.List(fields.Nested(EventSchema))
    last_id = fields.Integer()
    reset = fields.Boolean()


def _open(subscriber, after):
    """Subscribe, then replay: (frames to send first, the last id they cover) or None."""
    hub = get_hub(current_app)
    if not hub.subscribe(subscriber):
        return None, None
    replay = hub.replay(subscriber)
    head = hub.head()
    db.session.remove()  # streams live long; give the connection back now
    if replay is None:
        last_id = max(subscriber.floor, head)
        return [{"type": "reset", "last_id": last_id}], last_id
    last_id = max([subscriber.floor, after or 0, *(frame["id"] for frame in replay)])
    return [*replay, {"type": "ready", "last_id": last_id}], last_id


def _open_queue(after):
    """A queue-drained stream of the signed-in user (SSE, polling), or 429."""
    subscriber = Subscriber(g.reader.id, g.session_id, after)
    frames, last_id = _open(subscriber, after)
    if frames is None:
        raise ApiError(429, "Too many open streams for this user.", code="too_many_streams")
    return subscriber, frames, last_id


def _next_frame(subscriber, timeout):
    """The next queued (id, text) frame, or None on a timeout tick or a close request."""
    try:
        return subscriber.queue.get(timeout=timeout)
    except queue.Empty:
        return None


class _Sender:
    """Complete, serialized sends with a deadline, so one stuck client cannot stall others.

    simple-websocket's own send() may write a frame partially and takes no lock.
    """

    def __init__(self, ws):
        self.ws = ws
        self.lock = threading.Lock()
        ws.sock.settimeout(SEND_TIMEOUT)  # the reader thread only reads when data is there

    def send(self, text):
        """Send one text frame; False (and the socket dropped) when it cannot."""
        return self.send_raw(websocket_frame(text))

    def send_raw(self, frame):
        """Send an encoded frame (no compression is negotiated, see below)."""
        with self.lock:
            if not self.ws.connected:
                return False
            try:
                self.ws.sock.sendall(frame)
            except OSError:
                self.ws.connected = False
                self.ws.event.set()
                return False
            return True

    def close(self, code, reason):
        with self.lock:
            if self.ws.connected:
                # The peer or simple-websocket (an oversized frame) may be closing already.
                with contextlib.suppress(ConnectionClosed, LocalProtocolError, OSError):
                    self.ws.close(code, reason)
            self.ws.event.set()  # wake the reading thread now


@bp.before_request
def _streams_without_compression():
    # Frames are small JSON. Without permessage-deflate a socket costs ~40-65 KiB instead of
    # ~150 KiB, and one encoded frame serves every socket. simple-websocket rebuilds the
    # handshake from the environ, so dropping the offer here declines compression.
    if request.endpoint == "api.websocket_stream":
        request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)


def _authenticate_frame(ws):
    raw = ws.receive(timeout=AUTH_TIMEOUT)
    try:
        frame = AuthFrameSchema().load(parse_json(raw)) if raw else None
    except (ValueError, TypeError, ValidationError):
        frame = None
    if frame is None:
        ws.close(1008, "auth_required")
        return None, None
    found = session_for_token(frame["token"])
    if found is None:
        ws.close(1008, "invalid_session")
        return None, None
    return found, frame.get("after")


@sock.route("/stream", bp=bp)
def websocket_stream(ws):
    """WebSocket: first frame {"type": "auth", "token", "after"}; then events."""
    found, after = _authenticate_frame(ws)
    if found is None:
        return
    sender = _Sender(ws)
    subscriber = SocketSubscriber(found.id, found.session_id, after, sender)
    frames, last_id = _open(subscriber, after)
    if frames is None:
        ws.close(1008, "too_many_connections")
        return
    hub = get_hub(current_app)
    try:
        for frame in frames:
            sender.send(compact_json(frame))
        subscriber.go_live(last_id)  # from here the dispatcher sends; this thread only reads
        budget, window_start = 0, time.monotonic()
        while ws.connected and not subscriber.close_reason:
            incoming = ws.receive(timeout=IDLE_WAKE)
            if incoming is None:
                continue
            if time.monotonic() - window_start > FRAME_BUDGET[1]:
                budget, window_start = 0, time.monotonic()
            budget += 1
            if budget > FRAME_BUDGET[0]:
                sender.close(1008, "too_many_frames")
                return
            if incoming == '{"type":"ping"}':
                sender.send('{"type":"pong"}')
    finally:
        hub.unsubscribe(subscriber)


def _sse(frame_id, text):
    prefix = f"id: {frame_id}\n" if frame_id is not None else ""
    return f"{prefix}data: {text}\n\n"


@bp.get("/stream/sse")
@doc(query=ResumeQuerySchema)
@login_required
def sse_stream():
    """Server-sent events (read with fetch and the Authorization header): the same frames."""
    args = load_query(resume_query)
    after = args.get("after")
    if after is None and request.headers.get("Last-Event-ID", "").isdigit():
        after = int(request.headers["Last-Event-ID"])
    subscriber, frames, last_id = _open_queue(after)
    hub = get_hub(current_app)

    def generate():
        nonlocal last_id
        try:
            for frame in frames:
                yield _sse(frame.get("id"), compact_json(frame))
            quiet_since = time.monotonic()
            while True:
                item = _next_frame(subscriber, timeout=1.0)
                if item is None and subscriber.close_reason:
                    code, reason = subscriber.close_reason
                    closing = {"type": "close", "code": code, "reason": reason}
                    yield _sse(None, compact_json(closing))
                    return
                if item is not None and item[0] > last_id:
                    last_id = item[0]
                    quiet_since = time.monotonic()
                    yield _sse(item[0], item[1])
                elif time.monotonic() - quiet_since > HEARTBEAT:
                    quiet_since = time.monotonic()
                    yield ": keep-alive\n\n"
        finally:
            hub.unsubscribe(subscriber)

    return Response(stream_with_context(generate()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@bp.get("/events")
@doc(query=ResumeQuerySchema, response=EventBatchSchema)
@login_required
def poll_events():
    """Long polling: events after `after`, waiting up to `wait` seconds for the first one."""
    args = load_query(resume_query)
    hub = get_hub(current_app)
    if "after" not in args:
        return {"events": [], "last_id": hub.head(), "reset": False}
    subscriber, frames, last_id = _open_queue(args["after"])
    try:
        if frames[0].get("type") == "reset":
            return {"events": [], "last_id": last_id, "reset": True}
        events = frames[:-1]
        deadline = time.monotonic() + args["wait"]
        while not events and time.monotonic() < deadline:
            item = _next_frame(subscriber, timeout=min(1.0, deadline - time.monotonic()))
            if item is None and subscriber.close_reason:
                raise ApiError(401, "The session ended.", code="invalid_session")
            if item is not None and item[0] > last_id:
                events.append(json.loads(item[1]))
                last_id = item[0]
        return {"events": events, "last_id": events[-1]["id"] if events else last_id,
                "reset": False}
    finally:
        hub.unsubscribe(subscriber)
