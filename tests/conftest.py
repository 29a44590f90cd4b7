"""Fixtures: an app on a real database (SQLite by default, PostgreSQL when configured).

CHATTER_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test runs the same
suite on PostgreSQL; each xdist worker gets a database of its own. CHATTER_TEST_REDIS_URL
adds Redis. When a configured service is unreachable the tests skip with the reason, except
under CI=true, where that is a failure.
"""

import hashlib
import itertools
import logging
import os
import threading
import uuid

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from chatter import create_app
from chatter.db import RawQuery, db

TEST_DATABASE_URL = os.environ.get("CHATTER_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("CHATTER_TEST_REDIS_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` or `sqlite` belong to that database's run: elsewhere they are
    left out, not skipped."""
    other = "sqlite" if TEST_DATABASE_URL else "postgresql"
    kept = [item for item in items if not item.get_closest_marker(other)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def service_unavailable(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required services must be running)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url(worker_id):
    """A PostgreSQL database of this worker's own, created fresh, or None on SQLite runs."""
    if not TEST_DATABASE_URL:
        return None
    base = make_url(TEST_DATABASE_URL)
    # One set of databases per checkout: two checkouts (worktrees) can run the suite at once.
    checkout = hashlib.sha256(os.path.dirname(__file__).encode()).hexdigest()[:8]
    name = f"chatter_test_{checkout}_{worker_id}"
    try:
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # noqa: BLE001
        service_unavailable(f"PostgreSQL at {base.host}:{base.port} is unreachable: {error}")
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def redis_url():
    if not TEST_REDIS_URL:
        return None
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL).ping()
    except redis.RedisError as error:
        service_unavailable(f"Redis at {TEST_REDIS_URL} is unreachable: {error}")
    return TEST_REDIS_URL


def make_test_app(tmp_path, postgres_url=None, redis_url=None, **overrides):
    env = {
        "CHATTER_DEV_MODE": "1",
        "CHATTER_INSTANCE_DIR": str(tmp_path / "instance"),
        "CHATTER_SECRET_KEY": "test-secret-" + "x" * 40,
    }
    if postgres_url:
        env["CHATTER_DATABASE_URL"] = postgres_url
    if redis_url:
        env["CHATTER_REDIS_URL"] = redis_url
        env["CHATTER_REDIS_NAMESPACE"] = f"chatter-test-{uuid.uuid4().hex}"
    env.update({k: v for k, v in overrides.items() if k.startswith("CHATTER_")})
    config = {k: v for k, v in overrides.items() if not k.startswith("CHATTER_")}
    return create_app(config or None, env=env)


def reset_database(app):
    """Empty every table (PostgreSQL) or create them in the fresh SQLite file."""
    with app.app_context():
        db.create_all()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def make_app(tmp_path, postgres_url, redis_url):
    """Make apps with extra CHATTER_* settings on a fresh database; closed after the test."""
    made = []

    def make(**env):
        app = make_test_app(tmp_path, postgres_url, redis_url, **env)
        app.config["TESTING"] = True
        reset_database(app)
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


def close_app(app):
    """Stop the app's live hub and close its database connections."""
    hub = app.extensions["chatter.hub"]
    hub.shutdown()
    hub.join()
    if app.extensions["chatter.redis"]:
        app.extensions["chatter.redis"].close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """count_queries(request) -> (its response, SQL statements it ran, raw ones included)."""

    def run(request):
        statements = []

        def record(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        raw = RawQuery.executions
        event.listen(engine, "before_cursor_execute", record)
        try:
            response = request()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return response, len(statements) + RawQuery.executions - raw

    return run


class LiveServer:
    """A Chatter app served on a free port in a background thread."""

    def __init__(self, app):
        # Request lines from stream threads outliving a test would hit pytest's closed capture.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        close_app(self.app)


_subjects = itertools.count(1)


class Api:
    """A signed-in user talking to the API through the test client."""

    def __init__(self, client, sub, **profile):
        self.client = client
        query = {"sub": sub, "name": profile.pop("name", sub.title()), **profile}
        token = client.get("/dev/identity-token", query_string=query).json["identity_token"]
        response = client.post("/api/v1/session", json={"identity_token": token})
        assert response.status_code == 201, response.json
        self.session = response.json
        self.user = response.json["user"]
        self.headers = {"Authorization": f"Bearer {response.json['token']}"}

    def request(self, method, path, json=None, key=None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.open(
            f"/api/v1{path}", method=method, json=json, headers=headers, **kwargs
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, key="auto", **kwargs):
        if key == "auto":
            key = uuid.uuid4().hex
        return self.request("POST", path, json=json, key=key, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def new_post(self, body="Hello, team", **fields):
        response = self.post("/posts", json={"body": body, **fields})
        assert response.status_code == 201, response.json
        return response.json


@pytest.fixture
def user(client):
    """Make signed-in users: user("alice", department="Sales")."""

    def make(sub=None, **profile):
        return Api(client, sub or f"user{next(_subjects)}", **profile)

    return make


@pytest.fixture
def alice(user):
    return user("alice", name="Alice Archer", title="Engineer", department="Engineering")


@pytest.fixture
def bob(user):
    return user("bob", name="Bob Baker", title="Designer", department="Design")


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port (tests/mail_support.py); .inbox has the mail."""
    from .mail_support import start_smtp, stop_smtp

    server = start_smtp()
    yield server
    stop_smtp(server)


@pytest.fixture
def mail_app(make_app, smtp):
    """An app that e-mails through the `smtp` server, links to PUBLIC_URL, delays 900 s."""
    from .mail_support import mail_settings

    return make_app(**mail_settings(f"smtp://127.0.0.1:{smtp.port}"))
