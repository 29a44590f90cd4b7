"""The database extension and the engine settings each backend needs."""

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        reading = has_request_context() and request.method in SAFE_METHODS
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


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
