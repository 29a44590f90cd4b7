"""The live WebSocket: every use of simple-websocket's internals is in this module.

simple-websocket's own send() may write a frame partially and takes no lock, and the
dispatcher writes one pre-encoded frame to every socket: so sends go straight to the socket
(`ws.sock`), serialized per socket and with a deadline, and a failed send marks the socket
closed (`ws.connected`, `ws.event`) so its reading thread ends.
"""

import contextlib
import threading
import time

from marshmallow import Schema, ValidationError, fields, validate
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from ..auth import session_for_token
from ..limits import ID_MAX
from ..schemas import Text
from ..strict_json import parse_json
from .frames import compact_json, websocket_frame
from .hub import open_stream
from .subscribers import SocketSubscriber

AUTH_TIMEOUT = 10  # seconds to send the auth frame
FRAME_BUDGET = (30, 10.0)  # at most 30 client frames per 10 seconds
SEND_TIMEOUT = 5  # seconds a client may take to accept a frame before it is dropped
IDLE_WAKE = 30  # a socket's reading thread wakes this often with nothing to read


class AuthFrameSchema(Schema):
    type = Text(required=True, validate=validate.Equal("auth"))
    token = Text(required=True, validate=validate.Length(1, 200))
    after = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, ID_MAX))


def decline_compression(environ):
    """Answer an upgrade without permessage-deflate.

    Frames are small JSON. Without compression a socket costs ~40-65 KiB instead of ~150 KiB,
    and one encoded frame serves every socket. simple-websocket rebuilds the handshake from
    the environ, so dropping the offer here declines it.
    """
    environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)


class Sender:
    """Complete, serialized sends with a deadline, so one stuck client cannot stall others."""

    def __init__(self, ws):
        self.ws = ws
        self.lock = threading.Lock()
        ws.sock.settimeout(SEND_TIMEOUT)  # the reader thread only reads when data is there

    def send(self, text):
        """Send one text frame; False (and the socket dropped) when it cannot."""
        return self.send_raw(websocket_frame(text))

    def send_raw(self, frame):
        """Send an encoded frame (no compression is negotiated: decline_compression)."""
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


def _authenticate(ws):
    """(the Reader, the `after` it resumes from) from the first frame, or closed with 1008."""
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


def serve(ws, hub):
    """Run one socket: authenticate, replay, then read pings while the dispatcher sends."""
    found, after = _authenticate(ws)
    if found is None:
        return
    sender = Sender(ws)
    subscriber = SocketSubscriber(found.id, found.session_id, after, sender)
    frames, last_id = open_stream(subscriber, after)
    if frames is None:
        ws.close(1008, "too_many_connections")
        return
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
