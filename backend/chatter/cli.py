"""The `chatter` command: serve, demo, db (migrations), dev-token."""

import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import create_app
from .config import ConfigError, truthy
from .security import is_loopback


def _closes_database(command):
    """Run a one-shot command in the app context; close its database connections afterwards."""
    from functools import wraps

    @wraps(command)
    def wrapper(*args, **kwargs):
        from .db import db

        try:
            return command(*args, **kwargs)
        finally:
            # A command that stopped halfway (a ClickException) may hold a transaction, and on
            # SQLite with it the writer lock that disposing waits for: end it first.
            db.session.remove()
            db.engine.dispose()

    return with_appcontext(wrapper)


def _app_factory():
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


@click.group(
    cls=FlaskGroup, create_app=_app_factory, add_default_commands=False, add_version_option=False
)
def main():
    """Chatter: an internal social network for every intranet page."""


def close_streams_on_term(worker):
    """gunicorn hook: on SIGTERM close live streams with 1001 first, then stop as usual."""
    import signal

    from .live import shutdown_all

    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        shutdown_all()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, on_term)


def refuse_public_dev_mode(host, dev_mode):
    """Stop with a sentence when dev mode would listen beyond this machine."""
    if dev_mode and not is_loopback(host):
        raise click.ClickException(
            f"Dev mode lets anyone sign in as anyone, so it listens on this machine only: "
            f"--host {host} is refused. Use 127.0.0.1, or configure a real identity issuer."
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Processes.")
@click.option(
    "--threads",
    default=1000,
    show_default=True,
    type=int,
    help="Threads per process; each open live stream holds one.",
)
def serve(host, port, workers, threads):
    """Serve Chatter with gunicorn (threaded workers, which also carry WebSockets)."""
    refuse_public_dev_mode(host, truthy(os.environ.get("CHATTER_DEV_MODE", "")))
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                # room beyond the streams for keep-alive HTTP connections
                "worker_connections": threads + 100,
                "worker_class": "gthread",
                "graceful_timeout": 10,
                "post_worker_init": close_streams_on_term,
                "control_socket_disable": True,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return _app_factory()

    _app_factory()  # fail fast with a readable message on a bad configuration
    Server().run()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Delete the demo database and seed it again.")
def demo(host, port, reset):
    """Create a demo organization and serve it in dev mode with the example pages.

    Also serves examples/host_server.py on port + 1: an intranet on another origin that
    signs its own EdDSA identity tokens, trusted through CHATTER_ISSUERS like a real one.
    """
    refuse_public_dev_mode(host, dev_mode=True)
    import importlib.util
    import threading

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from werkzeug.serving import run_simple

    from .bundler import asset_root
    from .demo import prepare_demo
    from .examples import INTRANET_URL

    origin, intranet = f"http://{host}:{port}", f"http://{host}:{port + 1}"
    spec = importlib.util.spec_from_file_location(
        "chatter_host_example", asset_root() / "examples" / "host_server.py"
    )
    host_example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(host_example)
    key = Ed25519PrivateKey.generate()
    os.environ["CHATTER_DEV_MODE"] = "1"
    os.environ.setdefault("CHATTER_ALLOWED_ORIGINS", intranet)
    os.environ.setdefault("CHATTER_ISSUERS", host_example.issuers_entry(key))
    app = _app_factory()
    app.config[INTRANET_URL] = f"{intranet}/"
    prepare_demo(app, origin, reset=reset)
    other = host_example.make_server(origin, key, port + 1)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    click.echo(demo_banner(origin, intranet))
    run_simple(host, port, app, threaded=True, use_reloader=False)


def demo_banner(origin, intranet):
    """What `chatter demo` prints: every example page it serves, with its address."""
    from .examples import PAGES

    pages = [(f"{origin}/examples/{name}", what) for name, what in PAGES.items()]
    pages.append((f"{intranet}/", "another intranet, cross-origin, with its own identity tokens"))
    width = max(len(url) for url, _ in pages)
    lines = "\n".join(f"    {url:<{width}}  {what}" for url, what in pages)
    return f"\n  Chatter demo is running. Open {origin}/examples/ or one of:\n{lines}\n"


@main.command()
@_closes_database
def prune():
    """Delete old events, idempotency keys, replay guards and dead sessions."""
    from .maintenance import prune as prune_now

    for table, count in prune_now().items():
        click.echo(f"{table}: {count} deleted")


@main.command("dev-token")
@click.option("--sub", required=True, help="The user's subject (id in the intranet).")
@click.option("--name")
@click.option("--title")
@click.option("--department")
@_closes_database
def dev_token(sub, name, title, department):
    """Print a dev identity token (dev mode only)."""
    from .identity import mint_dev_token

    if not current_app.config["CHATTER_DEV_MODE"]:
        raise click.ClickException("dev-token needs CHATTER_DEV_MODE=1.")
    profile = {"name": name, "title": title, "department": department}
    click.echo(
        mint_dev_token(
            current_app.config["SECRET_KEY"], current_app.config["CHATTER_AUDIENCE"], sub, profile
        )
    )


@main.command("media-cleanup")
@click.option(
    "--older-than",
    default=24,
    show_default=True,
    type=click.IntRange(1),
    help="Hours a picture may stay unattached.",
)
@_closes_database
def media_cleanup(older_than):
    """Delete pictures never attached to a post or comment, and stray media files."""
    from datetime import timedelta

    from .media.uploads import cleanup_unattached

    uploads, stray = cleanup_unattached(timedelta(hours=older_than))
    click.echo(f"Removed {uploads} unattached picture(s) and {stray} stray file(s).")


@main.group()
def sessions():
    """Sign-in sessions."""


@sessions.command("revoke")
@click.argument("person", metavar="ISSUER|SUB")
@_closes_database
def revoke_sessions(person):
    """Sign a person out everywhere at once; their open streams close too."""
    from sqlalchemy import select

    from .auth import revoke_user_sessions
    from .db import db
    from .live import get_hub
    from .models import User

    issuer, bar, subject = person.rpartition("|")
    if not bar or not issuer or not subject:
        raise click.BadParameter("give the person as ISSUER|SUB, e.g. 'https://intranet|42'.")
    user_id = db.session.scalar(
        select(User.id).where(User.issuer == issuer, User.subject == subject)
    )
    if user_id is None:
        raise click.ClickException(f"No person {person!r} has ever signed in.")
    revoked = revoke_user_sessions(user_id)
    db.session.commit()
    get_hub(current_app).notify(sessions=True)
    click.echo(f"Revoked {revoked} session(s) of {person}.")


if __name__ == "__main__":
    sys.exit(main())
