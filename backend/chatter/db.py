"""The database extension and the engine settings each backend needs."""

import fcntl
import os
import re
import threading

from flask import has_app_context, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_LOCK_TIMEOUT = 30  # seconds a writer waits for its turn among this process's writers


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def is_sqlite(engine_or_conn):
    return engine_or_conn.dialect.name == "sqlite"


def configure_sqlite(engine: Engine):
    """Turn on WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE for writes.

    pysqlite's own transaction handling is switched off so SQLAlchemy emits BEGIN itself.
    A read-then-write transaction that began deferred fails with "database is locked" when
    another writer got in first, whatever the busy timeout, so every transaction that may
    write starts with BEGIN IMMEDIATE. Safe-method requests keep plain (concurrent) BEGIN.
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
        if has_request_context() and request.method in SAFE_METHODS:
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


class RawQuery:
    """A hand-written SELECT run straight on a pooled DBAPI connection.

    For the statements every pane load runs (the session lookup, the reader's likes): the
    ORM session and SQLAlchemy's execution and result layers cost ~15 times what SQLite
    takes to answer them. Write it with `:name` parameters; rows come back as the driver
    gives them (SQLite returns datetimes as text). Never for writes.
    """

    executions = 0  # statements run this way in this process (tests count queries)

    def __init__(self, sql):
        self.sql = sql
        self._by_paramstyle = {}

    @staticmethod
    def _convert(sql, paramstyle):
        if paramstyle == "named":
            return sql
        if paramstyle == "pyformat":
            # PostgreSQL: a list is bound as one array, so the text never changes and the
            # driver prepares it once (a new text per list would be parsed and planned anew).
            sql = re.sub(r"\bIN \(:(\w+)\)", r"= ANY(:\1)", sql)
            return re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql.replace("%", "%%"))
        raise NotImplementedError(f"RawQuery does not speak paramstyle {paramstyle}")

    def all(self, **params):
        """All rows as tuples. A list parameter (`IN (:ids)`) must hold integers."""
        engine = db.engine
        paramstyle = "named" if engine.dialect.name == "sqlite" else engine.dialect.paramstyle
        lists = [name for name, value in params.items() if isinstance(value, list | tuple)]
        if lists and paramstyle == "named":
            # SQLite has no arrays: the integers go into the text.
            sql = self.sql
            for name in lists:
                numbers = ",".join(str(int(n)) for n in params.pop(name)) or "NULL"
                sql = re.sub(rf":{name}\b", numbers, sql)
            text = sql
        else:
            for name in lists:
                params[name] = [int(n) for n in params[name]]
            text = self._by_paramstyle.get(paramstyle)
            if text is None:
                text = self._by_paramstyle[paramstyle] = self._convert(self.sql, paramstyle)
        RawQuery.executions += 1
        try:
            return self._run(engine, text, params)
        except _Disconnected:
            # The database restarted or dropped us: start a new pool, try once more.
            engine.dispose()
            return self._run(engine, text, params)

    @staticmethod
    def _run(engine, text, params):
        held = _session_connection()
        if held is not None:
            # The request's ORM session already holds a connection: use it. Taking a second
            # one from the pool could starve the pool (every request holding one, waiting for
            # another) under load.
            return _fetch(held, text, params)
        connection = engine.raw_connection()
        driver = connection.driver_connection
        autocommit = engine.dialect.name == "postgresql"
        try:
            if autocommit:  # no BEGIN before, no ROLLBACK when the pool takes it back
                driver.autocommit = True
            return _fetch(driver, text, params)
        except engine.dialect.loaded_dbapi.Error as error:
            connection.invalidate()
            if engine.dialect.is_disconnect(error, driver, None):
                raise _Disconnected from error
            raise
        finally:
            if autocommit and connection.is_valid:
                driver.autocommit = False
            connection.close()


class _Disconnected(Exception):
    pass


def _fetch(driver_connection, text, params):
    cursor = driver_connection.cursor()
    try:
        cursor.execute(text, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _session_connection():
    """The DBAPI connection of this context's ORM session, if it has one in a transaction."""
    if not has_app_context() or not db.session.registry.has():
        return None
    session = db.session()
    if not session.in_transaction():
        return None
    return session.connection().connection.driver_connection


def insert_ignore(model, **values):
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was really inserted.

    RETURNING tells for sure on both backends (an ORM-level insert's rowcount does not).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    statement = insert(table).values(**values).on_conflict_do_nothing()
    statement = statement.returning(*table.primary_key.columns)
    return db.session.execute(statement).first() is not None


def init_app(app):
    db.init_app(app)
    with app.app_context():
        if is_sqlite(db.engine):
            configure_sqlite(db.engine)
