"""The database extension, hand-written reads (RawQuery) and the rule for who commits.

Who commits: **the view, once.** Services (conversations, media.uploads, auth.sign_in,
events.record_event) change rows and flush; they never commit. A write view commits with
`db.session.commit()` right after its change and before it answers; the live hub is poked
and files are deleted after that commit (listeners in live.hub and media.storage). A create
behind `@idempotent` returns its answer instead, and the decorator commits it together with
the stored answer, so a retry can never see the change without it. Reads never commit.
One-shot commands are their own views: `maintenance.prune`, `media.uploads.cleanup_unattached`
and the demo's seeding commit their work themselves.
"""

import functools
import re

from flask import has_app_context
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase

from .sqlite import configure_sqlite


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def is_sqlite(engine_or_conn):
    """Whether an engine or connection speaks SQLite."""
    return engine_or_conn.dialect.name == "sqlite"


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
    statement = _insert_ignore(model.__table__, db.session.get_bind().dialect.name)
    return db.session.execute(statement, values).first() is not None


def dialect_insert(dialect=None):
    """The INSERT construct with ON CONFLICT of the session's database (or `dialect`)."""
    if (dialect or db.session.get_bind().dialect.name) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@functools.cache
def _insert_ignore(table, dialect):
    # Built once per table: the values come as parameters.
    insert = dialect_insert(dialect)
    return insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)


def listen_once(target, **listeners):
    """Register session event listeners (name=function), once however many apps are made."""
    for name, listener in listeners.items():
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


def init_app(app):
    """Bind the extension; on SQLite, set up WAL and the writer queue (sqlite.py)."""
    db.init_app(app)
    with app.app_context():
        if is_sqlite(db.engine):
            configure_sqlite(db.engine)
