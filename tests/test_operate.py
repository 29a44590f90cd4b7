"""Migrations, configuration and the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from chatter import create_app
from chatter.cli import main
from chatter.config import ConfigError, load_config
from chatter.db import db
from chatter.search.index import not_modelled

from .conftest import Api, make_test_app


@pytest.fixture
def empty_database_url(tmp_path, postgres_url):
    """A database with no tables at all."""
    if not postgres_url:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(postgres_url)
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_build_exactly_the_models(tmp_path, empty_database_url):
    app = make_test_app(tmp_path, CHATTER_DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # The search indexes are not in the models (chatter/search/index.py).
            opts = {"compare_type": True, "include_name": not_modelled}
            context = MigrationContext.configure(conn, opts=opts)
            drift = compare_metadata(context, db.metadata)
        assert drift == [], f"models and migrations disagree: {drift}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    app = make_test_app(tmp_path)
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_sqlite_reads_begin_plainly_and_everything_else_waits_for_the_write_lock(tmp_path):
    """Safe-method requests are marked reads_only() by the app, never by the database layer."""
    from sqlalchemy import event

    from .conftest import Api, reset_database

    app = make_test_app(tmp_path)
    reset_database(app)
    alice = Api(app.test_client(), "alice")
    begins = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert alice.get("/me").status_code == 200  # loads the User: one ORM transaction
        reads, begins[:] = list(begins), []
        assert alice.post("/posts", json={"body": "a write"}).status_code == 201
        writes, begins[:] = list(begins), []
        with app.app_context():  # after a read in this thread, a command writes as ever
            db.session.execute(db.select(1))
            db.session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert reads == ["BEGIN"]
    assert writes and set(writes) == {"BEGIN IMMEDIATE"}
    assert begins == ["BEGIN IMMEDIATE"]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CHATTER_ENV": "production", "CHATTER_DEV_MODE": "1"}, "refused"),
        ({"CHATTER_ENV": "production", "CHATTER_ISSUERS": "{}"}, "CHATTER_SECRET_KEY"),
        ({"CHATTER_ENV": "production", "CHATTER_SECRET_KEY": "k" * 40}, "CHATTER_ISSUERS"),
        (
            {"CHATTER_ENV": "production", "CHATTER_SECRET_KEY": "k" * 40, "CHATTER_ISSUERS": "{}"},
            "CHATTER_PUBLIC_URL is required in production",
        ),
        ({"CHATTER_ENV": "staging"}, "CHATTER_ENV"),
        ({"CHATTER_ALLOWED_ORIGINS": "intranet.example.com"}, "not an origin"),
        ({"CHATTER_ALLOWED_ORIGINS": "https://a.example.com/path"}, "not an origin"),
        ({"CHATTER_SECRET_KEY": "short"}, "32 characters"),
        ({"CHATTER_DATABASE_URL": "mysql://x"}, "CHATTER_DATABASE_URL"),
        ({"CHATTER_ADMINS": "alice"}, "issuer|sub"),
        ({"CHATTER_MODERATORS": "chatter-dev|"}, "CHATTER_MODERATORS"),
        ({"CHATTER_SESSION_TTL": "forever"}, "CHATTER_SESSION_TTL"),
    ],
)
def test_misconfiguration_stops_startup_with_a_sentence(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_config({"CHATTER_INSTANCE_DIR": str(tmp_path), **env})


@pytest.mark.parametrize(
    ("issuers", "message"),
    [
        ("/no/such/issuers.json", "cannot read"),
        ("{not json", "neither a readable file nor JSON"),
        ('{"https://i": {"keys": [{"kid": "a", "alg": "HS256", "secret": "short"}]}}', "32 bytes"),
        ('{"https://i": {"keys": [{"kid": "a", "alg": "none"}]}}', "alg"),
        ('{"https://i": {"keys": [{"kid": "a", "alg": "RS256", "public_key": "x"}]}}', "PEM"),
        (
            '{"chatter-dev": {"keys": [{"kid": "a", "alg": "HS256", "secret": "'
            + "s" * 40
            + '"}]}}',
            "reserved",
        ),
    ],
)
def test_bad_keyrings_stop_startup(tmp_path, issuers, message):
    env = {"CHATTER_INSTANCE_DIR": str(tmp_path), "CHATTER_ISSUERS": issuers}
    with pytest.raises(ConfigError, match=message):
        create_app(env=env)


def test_keyring_file_is_reloaded_when_it_changes(tmp_path):
    import os
    import time

    from chatter.identity import Keyring

    path = tmp_path / "issuers.json"
    entry = {"kid": "k1", "alg": "HS256", "secret": "a" * 40}
    path.write_text(json.dumps({"https://i": {"keys": [entry]}}))
    keyring = Keyring(str(path))
    assert set(keyring.keys_for("https://i")) == {"k1"}
    rotated = [entry, {"kid": "k2", "alg": "HS256", "secret": "b" * 40}]
    path.write_text(json.dumps({"https://i": {"keys": rotated}}))
    later = time.time() + 5
    os.utime(path, (later, later))
    assert set(keyring.keys_for("https://i")) == {"k1", "k2"}


def test_cli_dev_token_signs_in(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATTER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHATTER_DEV_MODE", "1")
    result = CliRunner().invoke(main, ["dev-token", "--sub", "alice", "--name", "Alice"])
    assert result.exit_code == 0, result.output
    app = create_app()
    with app.app_context():
        db.create_all()
    response = app.test_client().post(
        "/api/v1/session", json={"identity_token": result.output.strip()}
    )
    assert response.status_code == 201
    assert response.json["user"]["name"] == "Alice"
    with app.app_context():
        db.engine.dispose()


def test_cli_dev_token_refused_outside_dev_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATTER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHATTER_DEV_MODE", "0")
    result = CliRunner().invoke(main, ["dev-token", "--sub", "alice"])
    assert result.exit_code != 0
    assert "CHATTER_DEV_MODE=1" in result.output


def test_cli_db_upgrade_and_bad_config_message(tmp_path):
    env = {"PATH": "", "CHATTER_INSTANCE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "chatter.cli"]
    done = subprocess.run(
        [*command, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'chatter.db'}")
    assert "posts" in inspect(engine).get_table_names()
    engine.dispose()
    bad = subprocess.run(
        [*command, "serve"],
        env={**env, "CHATTER_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "Error: CHATTER_ISSUERS is required in production" in bad.stderr
    assert "Traceback" not in bad.stderr


INSTALLED_CHECK = """
import chatter, sys, pathlib
from chatter import create_app
from chatter.db import db
from flask_migrate import upgrade
assert pathlib.Path(chatter.__file__).is_relative_to(sys.argv[1]), chatter.__file__
app = create_app(env={"CHATTER_INSTANCE_DIR": sys.argv[2], "CHATTER_DEV_MODE": "1"})
with app.app_context():
    upgrade()
client = app.test_client()
loader = client.get("/embed.js")
assert loader.status_code == 200, loader.status_code
path = loader.get_data(as_text=True).split("widget/")[1].split("/")[0]
assert client.get(f"/widget/{path}/element.js").status_code == 200
assert client.get("/examples/intranet.html").status_code == 200
print("ok")
"""


def test_the_wheel_is_a_working_install(tmp_path):
    """`pip install .` carries the loader, the widget, the examples and the migrations."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(root),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    [wheel] = (tmp_path / "dist").glob("chatter-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    done = subprocess.run(
        [sys.executable, "-c", INSTALLED_CHECK, str(target), str(tmp_path / "instance")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(target), "PATH": ""},
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_prune_keeps_what_is_still_needed(app, alice):
    from datetime import timedelta

    from chatter.maintenance import prune
    from chatter.models import Event, utcnow

    with app.app_context():
        old = Event(type="post.created", data={}, created_at=utcnow() - timedelta(days=30))
        db.session.add(old)
        db.session.commit()
    alice.new_post("recent")
    with app.app_context():
        deleted = prune()
        assert deleted["events"] == 1
        assert [e.type for e in db.session.scalars(db.select(Event))] == ["post.created"]
    assert alice.get("/me").status_code == 200, "live sessions survive"
    from flask.cli import ScriptInfo

    result = CliRunner().invoke(main, ["prune"], obj=ScriptInfo(create_app=lambda: app))
    assert "events: 0 deleted" in result.output


def test_demo_seeds_a_believable_organization_once(tmp_path, empty_database_url):
    from chatter.demo import PEOPLE, prepare_demo
    from chatter.models import Comment, Post, Promotion, User

    app = make_test_app(tmp_path, CHATTER_DATABASE_URL=empty_database_url)
    # A twentieth of the year behind it (the demo seeds all of it): the same stories, faster.
    prepare_demo(app, "http://127.0.0.1:5000", history=0.05)
    prepare_demo(app, "http://127.0.0.1:5000", history=0.05)  # a restart keeps it as it is
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        assert count(User) == 60 > len(PEOPLE) >= 12
        assert count(Post) >= 8 and count(Comment) >= 10 and count(Promotion) >= 5
        departments = {u.department for u in db.session.scalars(db.select(User))}
        assert len(departments) >= 6
    client = app.test_client()
    identity = client.get("/dev/identity-token?sub=alice").json["identity_token"]
    token = client.post("/api/v1/session", json={"identity_token": identity}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    page = client.get(
        "/api/v1/posts?context=http://127.0.0.1:5000/examples/intranet.html", headers=headers
    ).json["items"]
    assert page
    assert {p["context"]["title"] for p in page} == {"Travel policy 2026 — Northwind Intranet"}
    promoted = client.get("/api/v1/posts?sort=top&promoted=true", headers=headers).json["items"]
    assert promoted[0]["author"]["name"] == "Carol Chen", "the COO's post caught fire"
    apollo = client.get("/api/v1/posts?context=project:apollo", headers=headers).json["items"]
    assert apollo and all(  # the Everyone stream links back to the page
        p["context"]["url"] == "http://127.0.0.1:5000/examples/project.html" for p in apollo
    )
    # The year behind it: the COO's conversation that led to a change, answered questions,
    # leaders from several ranks.
    changed = client.get("/api/v1/posts?outcome=true", headers=headers).json["items"]
    coo = [p for p in changed if p["author"]["name"] == "Carol Chen"]
    assert coo and coo[0]["comment_count"] == 44 and 3 <= coo[0]["outcome"]["days"] < 3.5
    assert "billable time" in coo[0]["body"]
    assert client.get("/api/v1/posts?kind=question&answered=true", headers=headers).json["items"]
    seen = client.get("/api/v1/insights", headers=headers).json
    assert sum(b["interactions"] for b in seen["buckets"]) > 3000
    assert len({leader["person"]["title"] for leader in seen["leaders"]}) >= 3
    assert seen["top_conversations"][0]["post"]["id"] == coo[0]["id"]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.postgresql
def test_requests_recover_when_the_database_drops_every_connection(app, alice, bob):
    """A restarted PostgreSQL (or a proxy that cut idle links): the next request still works."""
    post = alice.new_post("before the restart")
    alice.get("/posts")
    bob.get(f"/posts/{post['id']}/comments")
    admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert dropped >= 1
    assert [item["id"] for item in bob.get("/posts").json["items"]] == [post["id"]]
    assert bob.put(f"/posts/{post['id']}/like").status_code == 200
    assert alice.post(f"/posts/{post['id']}/comments", json={"body": "after"}).status_code == 201


def test_pruning_a_quiet_log_never_lets_event_ids_go_back(app, alice, bob):
    """Two weeks without a change: pruning keeps the newest event, so ids keep growing."""
    from datetime import timedelta

    from sqlalchemy import update

    from chatter.maintenance import prune
    from chatter.models import Event, utcnow

    post = alice.new_post("quiet times")
    bob.put(f"/posts/{post['id']}/like")
    before = bob.get("/posts").json
    with app.app_context():
        db.session.execute(update(Event).values(created_at=utcnow() - timedelta(days=30)))
        db.session.commit()
        logged = db.session.scalar(db.select(db.func.count()).select_from(Event))
        assert logged >= 2
        assert prune()["events"] == logged - 1
    bob.delete(f"/posts/{post['id']}/like")
    after = bob.get("/posts").json
    assert after["last_event_id"] > before["last_event_id"]
    assert after["items"][0]["like_count"] == 0 and not after["items"][0]["liked_by_me"]


@pytest.mark.parametrize("command", [["serve"], ["demo"]])
def test_dev_mode_refuses_to_listen_beyond_this_machine(tmp_path, monkeypatch, command):
    monkeypatch.setenv("CHATTER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHATTER_DEV_MODE", "1")
    result = CliRunner().invoke(main, [*command, "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code != 0
    assert "--host 0.0.0.0 is refused" in result.output
    assert not (tmp_path / "chatter.db").exists()  # refused before anything was set up


def test_dev_mode_answers_only_this_machine(client):
    assert client.get("/dev/identity-token?sub=eve").status_code == 200
    for address in ("10.1.2.3", "192.168.0.7", "2001:db8::1"):
        response = client.get("/dev/identity-token?sub=eve", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 403, address
        assert response.json["code"] == "dev_mode_local_only"
    for address in ("127.0.0.2", "::1"):
        assert client.get("/healthz", environ_base={"REMOTE_ADDR": address}).status_code == 200


def test_cli_revokes_a_persons_sessions(app, alice, bob):
    from flask.cli import ScriptInfo

    info = ScriptInfo(create_app=lambda: app)
    result = CliRunner().invoke(main, ["sessions", "revoke", "chatter-dev|alice"], obj=info)
    assert result.exit_code == 0, result.output
    assert "Revoked 1 session(s) of chatter-dev|alice." in result.output
    assert alice.get("/me").status_code == 401 and bob.get("/me").status_code == 200
    unknown = CliRunner().invoke(main, ["sessions", "revoke", "chatter-dev|nobody"], obj=info)
    assert unknown.exit_code != 0 and "has ever signed in" in unknown.output
    malformed = CliRunner().invoke(main, ["sessions", "revoke", "alice"], obj=info)
    assert malformed.exit_code != 0 and "ISSUER|SUB" in malformed.output


def test_moderators_come_from_configuration_and_admins_are_moderators(make_app):
    client = make_app(
        CHATTER_MODERATORS="chatter-dev|mo", CHATTER_ADMINS="chatter-dev|root"
    ).test_client()
    roles = {
        sub: (Api(client, sub).user["is_moderator"], Api(client, sub).get("/me").json)
        for sub in ("mo", "root", "eve")
    }
    assert {sub: (flag, me["is_moderator"]) for sub, (flag, me) in roles.items()} == {
        "mo": (True, True),
        "root": (True, True),
        "eve": (False, False),
    }
    assert roles["mo"][1]["is_admin"] is False
