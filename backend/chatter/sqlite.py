"""SQLite's engine settings and its writer queue.

Every transaction that may write starts with BEGIN IMMEDIATE, behind a per-process lock and
an flock of `<database>.write-lock`. A context that only reads says so with `reads_only()`:
its transactions begin with a plain BEGIN and run beside writers (WAL). Nothing here knows
about HTTP: the app marks safe-method requests as readers (see `create_app`), and any other
code (the CLI, the live dispatcher) writes by default, which is always safe.
"""

import fcntl
import os
import threading
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

WRITE_LOCK_TIMEOUT = 30  # seconds a writer waits for its turn among this process's writers

_reads_only = ContextVar("chatter_sqlite_reads_only", default=False)


def reads_only(flag=True):
    """Mark the current context as one that only reads (or, with False, as one that may write)."""
    _reads_only.set(flag)


def configure_sqlite(engine: Engine):
    """Turn on WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE for writes.

    pysqlite's own transaction handling is switched off so SQLAlchemy emits BEGIN itself.
    A read-then-write transaction that began deferred fails with "database is locked" when
    another writer got in first, whatever the busy timeout, so every transaction that may
    write starts with BEGIN IMMEDIATE. Contexts marked `reads_only()` keep a plain BEGIN.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    write_lock = WriteLock(engine.url.database)

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        if _reads_only.get():
            conn.exec_driver_sql("BEGIN")
            return
        if not write_lock.acquire(WRITE_LOCK_TIMEOUT):
            raise OperationalError("BEGIN IMMEDIATE", {}, "write lock timeout")
        conn.info["chatter_write_lock"] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            _release(conn)
            raise

    def _finish(statement):
        def finish(conn):
            # End the transaction here, then let the next writer in; pysqlite's own
            # commit()/rollback() that follows finds no transaction and does nothing.
            if conn.info.get("chatter_write_lock"):
                try:
                    conn.exec_driver_sql(statement)
                finally:
                    _release(conn)

        return finish

    def _release(conn):
        if conn.info.pop("chatter_write_lock", False):
            write_lock.release()

    event.listen(engine, "commit", _finish("COMMIT"))
    event.listen(engine, "rollback", _finish("ROLLBACK"))
    event.listen(engine, "engine_disposed", lambda _engine: write_lock.close())


class WriteLock:
    """Serialize SQLite writers: threads on a lock, processes on an flock of a lock file.

    Writers queue here instead of in SQLite's busy handler, which sleeps between retries
    (1 ms growing to 100 ms): the tail latency of concurrent writes drops several-fold.
    """

    def __init__(self, database):
        self._thread_lock = threading.Lock()
        self._path = f"{database}.write-lock" if database and database != ":memory:" else None
        self._fd = None

    def acquire(self, timeout):
        if not self._thread_lock.acquire(timeout=timeout):
            return False
        if self._path:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # waits without holding the GIL
        return True

    def release(self):
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()

    def close(self):
        with self._thread_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
