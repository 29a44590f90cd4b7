"""The live stream: a WebSocket, with server-sent events and long polling as fallbacks.

All three speak the same frames from the same hub with the same resume rule: send the
last event id you saw as `after`; you get every later event once, in order, or a
`{"type": "reset"}` when the log no longer reaches back that far.
"""

import json
import queue
import time

from flask import Blueprint, Response, current_app, g, request, stream_with_context
from flask_sock import Sock
from marshmallow import Schema, fields, validate

from ..auth import login_required
from ..errors import ApiError
from ..limits import ID_MAX
from ..live import get_hub, websocket
from ..live.frames import compact_json, sse_frame
from ..live.hub import open_stream
from ..live.subscribers import Subscriber
from ..openapi import doc
from .inputs import load_query

bp = Blueprint("stream", __name__)
sock = Sock()
HEARTBEAT = 20  # seconds between keep-alives on SSE


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


@bp.before_request
def _without_compression():
    websocket.decline_compression(request.environ)


def _open_queue(after):
    """A queue-drained stream of the signed-in user (SSE, polling), or 429."""
    subscriber = Subscriber(g.reader.id, g.session_id, after)
    frames, last_id = open_stream(subscriber, after)
    if frames is None:
        raise ApiError(429, "Too many open streams for this user.", code="too_many_streams")
    return subscriber, frames, last_id


def _next_frame(subscriber, timeout):
    """The next queued (id, text) frame, or None on a timeout tick or a close request."""
    try:
        return subscriber.queue.get(timeout=timeout)
    except queue.Empty:
        return None


@sock.route("/stream", bp=bp)
def websocket_stream(ws):
    """WebSocket: first frame {"type": "auth", "token", "after"}; then events."""
    websocket.serve(ws, get_hub(current_app))


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
                yield sse_frame(frame.get("id"), compact_json(frame))
            quiet_since = time.monotonic()
            while True:
                item = _next_frame(subscriber, timeout=1.0)
                if item is None and subscriber.close_reason:
                    code, reason = subscriber.close_reason
                    closing = {"type": "close", "code": code, "reason": reason}
                    yield sse_frame(None, compact_json(closing))
                    return
                if item is not None and item[0] > last_id:
                    last_id = item[0]
                    quiet_since = time.monotonic()
                    yield sse_frame(item[0], item[1])
                elif time.monotonic() - quiet_since > HEARTBEAT:
                    quiet_since = time.monotonic()
                    yield ": keep-alive\n\n"
        finally:
            hub.unsubscribe(subscriber)

    return Response(
        stream_with_context(generate()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


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
        return {
            "events": events,
            "last_id": events[-1]["id"] if events else last_id,
            "reset": False,
        }
    finally:
        hub.unsubscribe(subscriber)
