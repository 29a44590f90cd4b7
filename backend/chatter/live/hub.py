"""The live hub: one dispatcher per process reads the event log and fans events out.

Writers only *poke* the hub after commit: in-process, and through the database's own channel
(channels.py: LISTEN/NOTIFY on PostgreSQL, local sockets on SQLite) so every process wakes.
The dispatcher then reads the log after its cursor: the log is the source of truth, so a
lost poke delays an event by at most one poll interval and never loses it. Event ids commit
in order (see events.record_event), so "after id N" is exact on SQLite and PostgreSQL alike.
"""

import logging
import threading
import time
import weakref

from flask import current_app, has_app_context
from sqlalchemy import func, select

from ..attention.activity import live_variants
from ..db import db, listen_once
from ..events import head as event_head
from ..models import Event, Session, utcnow
from . import channels
from .frames import addressed_frame, compact_json, event_frame, is_addressed, websocket_frame

log = logging.getLogger(__name__)

REPLAY_LIMIT = 1000  # a client further behind than this gets a reset and refetches
BATCH = 500
SESSION_CHECK_SECONDS = 10
MAX_SUBSCRIBERS_PER_USER = 20  # tabs of one person on one process

_hubs = weakref.WeakSet()


class Hub:
    """One per app and process: subscribers, the dispatcher thread and the wake-up channel."""

    def __init__(self, app):
        self.app = app
        self.poll_seconds = app.config["CHATTER_LIVE_POLL_SECONDS"]
        self.channel = None  # made with the engine, on first use
        self.lock = threading.Lock()
        self.subscribers = set()
        self.per_user = {}
        self.cursor = None
        self.wake = threading.Event()
        self.check_sessions = threading.Event()
        self.started = False
        self.stopping = False
        self.threads = []
        _hubs.add(self)

    # ---- writers ----------------------------------------------------------------------

    def notify(self, sessions=False):
        """Wake every process's dispatcher: new events (or revoked sessions) are in the DB."""
        kind = channels.SESSIONS if sessions else channels.EVENTS
        self._woken(kind)
        self._channel().after_commit(kind)

    def _woken(self, kind):
        if kind == channels.SESSIONS:
            self.check_sessions.set()
        self.wake.set()

    def _channel(self):
        with self.lock:
            if self.channel is None:
                self.channel = channels.for_engine(db.engine, self._woken)
            return self.channel

    # ---- subscribers ------------------------------------------------------------------

    def subscribe(self, subscriber):
        """Register a subscriber; False when its user already has too many streams."""
        self._start()
        with self.lock:
            if self.per_user.get(subscriber.user_id, 0) >= MAX_SUBSCRIBERS_PER_USER:
                return False
            if self.cursor is None:
                self.cursor = self.head()
            subscriber.floor = self.cursor
            self.subscribers.add(subscriber)
            self.per_user[subscriber.user_id] = self.per_user.get(subscriber.user_id, 0) + 1
        return True

    def unsubscribe(self, subscriber):
        with self.lock:
            if subscriber in self.subscribers:
                self.subscribers.discard(subscriber)
                left = self.per_user.pop(subscriber.user_id) - 1
                if left:
                    self.per_user[subscriber.user_id] = left

    def replay(self, subscriber):
        """Committed events after `after` for a resuming client; None means "reset".

        It reads up to the log's head, which may be past the subscriber's floor; the
        stream skips queued frames it already replayed, so the union is exact.
        """
        after = subscriber.after
        if after is None:
            return []
        oldest, head = db.session.execute(select(func.min(Event.id), func.max(Event.id))).one()
        if after > (head or 0) or (oldest is not None and after < oldest - 1):
            return None  # from another log, or the log no longer reaches back that far
        rows = list(
            db.session.scalars(
                select(Event).where(Event.id > after).order_by(Event.id).limit(REPLAY_LIMIT + 1)
            )
        )
        if len(rows) > REPLAY_LIMIT:
            return None
        variants = live_variants(rows, {subscriber.user_id})
        frames = (
            event_frame(row) | variants[i][1]
            if i in variants and subscriber.user_id in variants[i][0]
            else addressed_frame(row, subscriber.user_id)
            if is_addressed(row)
            else event_frame(row)
            for i, row in enumerate(rows)
        )
        return [frame for frame in frames if frame is not None]

    @staticmethod
    def head():
        """The newest committed event id."""
        return event_head()

    # ---- dispatcher -------------------------------------------------------------------

    def _start(self):
        with self.lock:
            if self.started:
                return
            self.started = True
        self._channel().start()  # before the first cursor read: no commit goes unheard
        self.threads = [
            threading.Thread(target=self._run, name="chatter-live-dispatcher", daemon=True)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self):
        last_session_check = time.monotonic()
        while not self.stopping:
            self.wake.wait(self.poll_seconds)
            self.wake.clear()
            try:
                with self.app.app_context():
                    self._dispatch()
                    due = time.monotonic() - last_session_check > SESSION_CHECK_SECONDS
                    if due or self.check_sessions.is_set():
                        self.check_sessions.clear()
                        last_session_check = time.monotonic()
                        self._close_dead_sessions()
                    db.session.remove()
            except Exception:  # noqa: BLE001 - keep the dispatcher alive; retry next round
                log.exception("live dispatcher round failed")
                time.sleep(0.5)

    def _dispatch(self):
        while True:
            with self.lock:
                cursor = self.cursor
            if cursor is None:
                return
            rows = list(
                db.session.scalars(
                    select(Event).where(Event.id > cursor).order_by(Event.id).limit(BATCH)
                )
            )
            db.session.rollback()  # end the read so the next round sees new commits
            if not rows:
                return
            frames = [None if is_addressed(row) else _wire(event_frame(row)) for row in rows]
            with self.lock:
                # A subscriber arriving after this gets floor >= these ids and replays them.
                subscribers = list(self.subscribers)
                self.cursor = rows[-1].id
            variants = live_variants(rows, {s.user_id for s in subscribers})
            db.session.rollback()
            if None in frames or variants:
                _deliver_personal(rows, frames, variants, subscribers)
            else:
                for subscriber in subscribers:
                    subscriber.deliver(frames)
            if len(rows) < BATCH:
                return

    def _close_dead_sessions(self):
        with self.lock:
            by_session = {}
            for subscriber in self.subscribers:
                by_session.setdefault(subscriber.session_id, []).append(subscriber)
        if not by_session:
            return
        now = utcnow()
        alive = {
            session_id
            for session_id, expires_at, revoked_at in db.session.execute(
                select(Session.id, Session.expires_at, Session.revoked_at).where(
                    Session.id.in_(list(by_session))
                )
            )
            if Session.is_live(expires_at, revoked_at, now)
        }
        db.session.rollback()
        for session_id, subscribers in by_session.items():
            if session_id not in alive:
                for subscriber in subscribers:
                    subscriber.close(1008, "session_expired")

    def shutdown(self):
        """Close every stream with 1001 "going away" so clients resume elsewhere."""
        self.stopping = True
        with self.lock:
            subscribers = list(self.subscribers)
        for subscriber in subscribers:
            subscriber.close(1001, "server_shutdown")
        self.wake.set()
        if self.channel is not None:
            self.channel.stop()

    def join(self, timeout=5):
        """Wait for the hub's threads to finish after shutdown()."""
        for thread in self.threads:
            thread.join(timeout)
        if self.channel is not None:
            self.channel.join(timeout)


def _wire(frame):
    """(id, text for SSE and polling, encoded once for every WebSocket)."""
    text = compact_json(frame)
    return frame["id"], text, websocket_frame(text)


def _deliver_personal(rows, frames, variants, subscribers):
    """Deliver a batch holding frames that differ by person: each subscriber gets, in id order,
    the shared frames, the addressed ones meant for its person, and the variants meant for it
    (activity in conversations it follows, new posts it follows; each encoded once)."""
    wired = {
        index: (told, _wire(event_frame(rows[index]) | extra))
        for index, (told, extra) in variants.items()
    }
    by_user = {}
    for subscriber in subscribers:
        user = subscriber.user_id
        own = by_user.get(user)
        if own is None:
            own = []
            for index, (row, frame) in enumerate(zip(rows, frames, strict=True)):
                if index in wired and user in wired[index][0]:
                    frame = wired[index][1]
                elif frame is None:
                    frame = _addressed_wire(row, user)
                if frame is not None:
                    own.append(frame)
            by_user[user] = own
        subscriber.deliver(own)


def _addressed_wire(row, user_id):
    frame = addressed_frame(row, user_id)
    return _wire(frame) if frame is not None else None


def shutdown_all():
    """Close every stream of every hub in this process (SIGTERM)."""
    for hub in list(_hubs):
        hub.shutdown()


def get_hub(app):
    """This app's live Hub."""
    return app.extensions["chatter.hub"]


def open_stream(subscriber, after):
    """Subscribe, then replay: (frames to send first, the last id they cover), or (None, None)
    when the subscriber's user has too many streams open.
    """
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


def _announce_before_commit(session):
    if session.info.get("chatter_events") and has_app_context():
        hub = current_app.extensions.get("chatter.hub")
        if hub is not None:
            hub._channel().in_transaction(session)


def _poke_after_commit(session):
    if session.info.pop("chatter_events", False) and has_app_context():
        hub = current_app.extensions.get("chatter.hub")
        if hub is not None:
            hub.notify()


def _forget_after_rollback(session, _previous_transaction):
    session.info.pop("chatter_events", None)


def init_app(app):
    """Give the app its hub; writers' commits poke it (events.record_event marks them)."""
    app.extensions["chatter.hub"] = Hub(app)
    listen_once(
        db.session,
        before_commit=_announce_before_commit,
        after_commit=_poke_after_commit,
        after_soft_rollback=_forget_after_rollback,
    )
