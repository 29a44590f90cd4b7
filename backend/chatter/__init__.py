"""Chatter: an internal social network that any intranet page gets with one script tag."""

import gc
import logging
from pathlib import Path

from flask import Flask, request
from flask_migrate import Migrate
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from .config import load_config
from .limits import ID_MAX

MIGRATIONS = str(Path(__file__).parent / "migrations")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _include_name(name, type_, parent_names):
    """Alembic compares the models with the database, except the search indexes' objects."""
    from .search.index import not_modelled

    return not_modelled(name, type_, parent_names)


migrate = Migrate(
    directory=MIGRATIONS, render_as_batch=True, compare_type=True, include_name=_include_name
)


class RowIdConverter(IntegerConverter):
    """Integers from 1 to the largest BIGINT; any other number is a 404.

    NotFound rather than werkzeug's ValidationError: werkzeug checks the method before the
    converters, so a PATCH to /posts/<huge> would otherwise be a 405 (the GET rule matched).
    """

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise NotFound()
        return number


def create_app(overrides=None, env=None):
    """Make the WSGI application; `overrides` are test settings applied last."""
    app = Flask(__name__)
    app.config.update(load_config(env))
    if overrides:
        app.config.update(overrides)
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    # `<int:…>` in every route is a row id: a number no BIGINT holds is no route (404), not a
    # database error (SQLite and PostgreSQL both fail on integers beyond 64 bits).
    app.url_map.converters["int"] = RowIdConverter
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    Path(app.config["CHATTER_INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)

    from . import (
        bundler,
        db,
        dev,
        errors,
        examples,
        health,
        live,
        mail,
        page,
        ratelimit,
        read,
        redis_link,
        security,
        sqlite,
    )
    from .api import bp as api_bp
    from .identity import Keyring
    from .media import admission, storage

    dev_secret = app.config["SECRET_KEY"] if app.config["CHATTER_DEV_MODE"] else None
    app.extensions["chatter.keyring"] = Keyring(app.config["CHATTER_ISSUERS"], dev_secret)
    db.init_app(app)
    redis_link.init_app(app)
    live.init_app(app)
    ratelimit.init_app(app)
    read.init_app(app)
    migrate.init_app(app, db.db)
    errors.init_app(app)
    security.init_app(app)
    storage.init_app(app)
    admission.init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(health.bp)
    mail.init_app(app)
    dev.init_app(app)
    bundler.init_app(app)
    examples.init_app(app)
    page.init_app(app)

    # Safe-method requests only read: on SQLite their transactions begin plainly, beside
    # writers, instead of queueing for the write lock (sqlite.py).
    @app.before_request
    def _reads_only():
        sqlite.reads_only(request.method in SAFE_METHODS)

    @app.teardown_request
    def _may_write_again(_error):
        sqlite.reads_only(False)

    app.before_request(_freeze_start_up)
    return app


_frozen = []


def _freeze_start_up():
    """Once per process, at its first request: what start-up made (the app, SQLAlchemy's and
    marshmallow's machinery, the bundled widget) lives as long as the process, so the
    collector is told to stop walking it on every full collection (measured: a computed
    insights answer at 100x had a full collection every other read, +150 ms)."""
    if not _frozen:
        _frozen.append(True)
        gc.collect()
        gc.freeze()
