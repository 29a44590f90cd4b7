"""The two kinds of stream the hub delivers to: queue-drained ones and WebSockets."""

import queue
import threading


class Subscriber:
    """A stream drained by its own thread (SSE, long polling) through a queue."""

    def __init__(self, user_id, session_id, after):
        self.user_id, self.session_id = user_id, session_id
        self.after = after
        self.floor = None  # the hub cursor when it subscribed: later events are delivered
        self.queue = queue.SimpleQueue()
        self.close_reason = None  # (code, reason) once the hub wants it closed

    def deliver(self, frames):
        for frame in frames:
            self.queue.put(frame)

    def close(self, code, reason):
        self.close_reason = (code, reason)
        self.queue.put(None)


class SocketSubscriber(Subscriber):
    """A WebSocket the dispatcher writes to directly.

    Waking one thread per socket for every event made a thousand threads fight over the
    GIL; the dispatcher's single thread now sends each frame itself, and the socket's own
    thread only reads. Until the replay is sent, live frames wait in `pending`.
    """

    def __init__(self, user_id, session_id, after, sender):
        super().__init__(user_id, session_id, after)
        self.sender = sender
        self.lock = threading.Lock()
        self.live = False
        self.pending = []
        self.last_id = 0

    def deliver(self, frames):
        with self.lock:
            if not self.live:
                self.pending.extend(frames)
                return
            self._send(frames)

    def go_live(self, last_id):
        """Mark the replay as sent; flush what arrived meanwhile."""
        with self.lock:
            self.last_id = last_id
            self._send(self.pending)
            self.pending, self.live = [], True

    def _send(self, frames):
        for frame_id, _text, raw in frames:
            if frame_id > self.last_id:
                if not self.sender.send_raw(raw):
                    return
                self.last_id = frame_id

    def close(self, code, reason):
        self.close_reason = (code, reason)
        with self.lock:
            self.sender.close(code, reason)
