"""Wake-ups between processes: "new events are in the log, read it now".

A wake-up carries no event, only its kind (EVENTS, or SESSIONS: some were revoked). The log
stays the source of truth, so a lost wake-up costs at most one poll interval, never an event.
Each hub listens before it reads its cursor, so no commit falls between the two.

- PostgreSQL: LISTEN/NOTIFY, sent inside the writer's transaction; every process on every
  host sharing the database hears it on commit.
- SQLite (one host): a Unix datagram socket per listening process in a folder beside the
  database; a writer sends one byte to each socket it finds there and removes the sockets
  of dead processes (their sends are refused).
"""

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import text

log = logging.getLogger(__name__)

EVENTS, SESSIONS = "e", "s"
_KINDS = frozenset({EVENTS, SESSIONS})


def for_engine(engine, on_wake):
    """The channel for the database behind `engine`; on_wake(kind) runs on each wake-up."""
    if engine.dialect.name == "postgresql":
        return PostgresChannel(engine, on_wake)
    return LocalChannel(f"{engine.url.database}.live", on_wake)


class LocalChannel:
    """One Unix datagram socket per listening process in `folder`."""

    def __init__(self, folder, on_wake):
        self.folder = Path(folder)
        self.on_wake = on_wake
        self.name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}.sock"
        self.sock = None
        self.thread = None
        self.stopping = False
        self._folder_fd = None
        self._lock = threading.Lock()

    def _address(self, name):
        # Socket paths are limited to 107 bytes; a deep folder is reached through its fd.
        path = str(self.folder / name)
        if len(path.encode()) < 100:
            return path
        with self._lock:
            if self._folder_fd is None:
                self._folder_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        return f"/proc/self/fd/{self._folder_fd}/{name}"

    def start(self):
        """Bind this process's socket and start the thread that listens on it."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self._address(self.name))
        self.thread = threading.Thread(target=self._listen, name="chatter-live-wake", daemon=True)
        self.thread.start()

    def _listen(self):
        while True:
            try:
                kind = self.sock.recv(16).decode(errors="replace")
            except OSError:
                return
            if self.stopping:
                return
            if kind in _KINDS:
                self.on_wake(kind)

    def in_transaction(self, session):
        """Nothing to do before the commit: a wake-up sent now would come too early."""

    def after_commit(self, kind):
        """Wake every other listening process."""
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except FileNotFoundError:
            return  # nobody has listened yet
        with _datagram_socket() as sender:
            for name in names:
                if name == self.name or not name.endswith(".sock"):
                    continue
                try:
                    sender.sendto(kind.encode(), self._address(name))
                except ConnectionRefusedError:  # a dead process's socket
                    (self.folder / name).unlink(missing_ok=True)
                except OSError:  # gone meanwhile, or its queue is full (it is awake anyway)
                    pass

    def stop(self):
        self.stopping = True
        if self.sock is None:
            return
        with _datagram_socket() as sender, contextlib.suppress(OSError):
            sender.sendto(b"", self._address(self.name))  # unblock the listener
        (self.folder / self.name).unlink(missing_ok=True)

    def join(self, timeout):
        if self.thread is not None:
            self.thread.join(timeout)
            self.sock.close()
        if self._folder_fd is not None:
            os.close(self._folder_fd)
            self._folder_fd = None


def _datagram_socket():
    sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sender.setblocking(False)  # a full queue means that process is awake already
    return sender


class PostgresChannel:
    """LISTEN on a connection of its own; writers NOTIFY inside their transaction.

    A NOTIFY inside the writer's transaction is delivered when, and only if, it commits, and
    costs no connection beyond the writer's own.
    """

    CHANNEL = "chatter_events"

    def __init__(self, engine, on_wake):
        _, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters; the listener reads plain text
        self.engine, self.params = engine, params
        self.on_wake = on_wake
        self.token = uuid.uuid4().hex  # our own notifications come back: skip them
        self.thread = None
        self.stopping = False
        self._listener = None

    def _statement(self, kind):
        return text("SELECT pg_notify(:channel, :payload)").bindparams(
            channel=self.CHANNEL, payload=kind + self.token
        )

    def in_transaction(self, session):
        """NOTIFY from a transaction that recorded events: every process hears it on commit."""
        session.execute(self._statement(EVENTS))

    def after_commit(self, kind):
        """Events were announced inside their transaction; other wake-ups need one of their own."""
        if kind != EVENTS:
            with self.engine.begin() as connection:
                connection.execute(self._statement(kind))

    def _connect(self):
        import psycopg

        # Keepalives: a listener on a silently dropped connection would wait forever.
        return psycopg.connect(
            **self.params,
            autocommit=True,
            connect_timeout=5,
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )

    def _listen_now(self):
        self._listener = self._connect()
        self._listener.execute(f"LISTEN {self.CHANNEL}")

    def start(self):
        """LISTEN now (so no commit passes unheard), then hear notifications in a thread."""
        import psycopg

        try:
            self._listen_now()
        except psycopg.Error as error:
            log.warning("live: cannot LISTEN (%s); polling until it can", error)
        self.thread = threading.Thread(target=self._listen, name="chatter-live-wake", daemon=True)
        self.thread.start()

    def _listen(self):
        import psycopg

        delay, lost = 0.5, self._listener is None
        while not self.stopping:
            try:
                if self._listener is None:
                    self._listen_now()
                    if lost:
                        log.info("live: listening for other processes' events again")
                        lost = False
                    self.on_wake(EVENTS)  # catch up on what passed unheard
                for note in self._listener.notifies(timeout=5):
                    if self.stopping:
                        return
                    kind, token = note.payload[:1], note.payload[1:]
                    if token != self.token and kind in _KINDS:
                        self.on_wake(kind)
                delay = 0.5
            except psycopg.Error as error:
                if self.stopping:
                    return
                if not lost:
                    log.warning("live: LISTEN lost (%s); polling until it is back", error)
                    lost = True
                self._close_listener()
                time.sleep(delay)
                delay = min(delay * 2, 10)

    def stop(self):
        import psycopg

        self.stopping = True
        if self.thread is None:
            return
        # Our own notification ends the listener's wait (a connection outside the pool: this
        # may run in a SIGTERM handler while every pooled connection is busy).
        with contextlib.suppress(psycopg.Error), self._connect() as connection:
            connection.execute("SELECT pg_notify(%s, %s)", (self.CHANNEL, EVENTS + self.token))

    def join(self, timeout):
        if self.thread is not None:
            self.thread.join(timeout)
            if self.thread.is_alive():
                return  # it lets go of its connection within notifies()'s timeout
        self._close_listener()

    def _close_listener(self):
        self._close(self._listener)
        self._listener = None

    @staticmethod
    def _close(connection):
        if connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                connection.close()
