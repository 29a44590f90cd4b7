"""The `chatter` command: serve, demo, db (migrations), digest, dev-token, insights."""

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


def gunicorn_command(host, port, workers, threads, streams):
    """The gunicorn command line `chatter serve` runs (chatter/serving.py explains the model)."""
    from . import serving

    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        serving.__file__,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # the streams, plus room for kept-alive REST connections
        "--worker-connections",
        str(streams + 100),
        "chatter:create_app()",
    ]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1), help="Processes.")
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1),
    help="Threads per process for requests (live streams have threads of their own).",
)
@click.option(
    "--streams",
    default=1000,
    show_default=True,
    type=click.IntRange(1),
    help="Live streams one process holds at most.",
)
def serve(host, port, workers, threads, streams):
    """Serve Chatter with gunicorn: a small pool for requests, a thread per live stream."""
    refuse_public_dev_mode(host, truthy(os.environ.get("CHATTER_DEV_MODE", "")))
    from .db import db

    app = _app_factory()  # fail fast with a readable message on a bad configuration
    with app.app_context():
        db.engine.dispose()
    # Become gunicorn's master: a fresh interpreter that never builds the app (workers do).
    command = gunicorn_command(host, port, workers, threads, streams)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


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
    from .mail import start_mailer

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
    start_mailer(app)
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


@main.command()
@click.option("--period", required=True, type=click.Choice(["daily", "weekly"]))
@_closes_database
def digest(period):
    """E-mail this period's digest to everyone who chose it (run from cron)."""
    from .mail.digest import send_digests

    if not current_app.config["CHATTER_SMTP_URL"]:
        raise click.ClickException("E-mail is off: set CHATTER_SMTP_URL (and CHATTER_MAIL_FROM).")
    sent, failed = send_digests(period)
    click.echo(f"Sent {sent} {period} digest(s).")
    if failed:
        raise click.ClickException(f"{failed} digest(s) were not accepted; run again to retry.")


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


@main.group()
def search():
    """The search indexes."""


@search.command("reindex")
@_closes_database
def search_reindex():
    """Rebuild the full-text indexes of posts and comments and the words people are found by."""
    from .search.index import reindex

    posts, comments, people = reindex()
    click.echo(f"Reindexed {posts} post(s), {comments} comment(s) and {people} people.")


@main.command()
@click.option("--from", "first", metavar="YYYY-MM-DD", help="First day (default: a year ago).")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Last day (default: today).")
@click.option("--bucket", default="month", show_default=True, type=click.Choice(["week", "month"]))
@click.option("--rebuild", is_flag=True, help="Forget the rollups and build them anew first.")
@_closes_database
def insights(first, last, bucket, rebuild):
    """Print the insights' bucket table (as GET /insights.csv gives it)."""
    from .api.insights import load_range
    from .db import db
    from .errors import ApiError
    from .events import head
    from .insights import report, rollups

    args = {"bucket": bucket}
    if first:
        args["from_"] = first
    if last:
        args["to"] = last
    try:
        first_day, last_day, bucket = load_range(args)
    except ApiError as error:
        raise click.ClickException(error.detail) from None
    if rebuild:
        rollups.forget_all()
    rollups.build_ended_days(first_day, last_day)
    db.session.commit()
    rows = list(report.csv_rows(report.report(first_day, last_day, bucket, head())))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(str(value).rjust(width) for value, width in zip(row, widths, strict=True))
        )


if __name__ == "__main__":
    sys.exit(main())
