"""Settings: defaults, then CHATTER_* environment variables, then test overrides."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from . import limits


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and why."""


# name -> (default, one-line meaning). Every setting is listed here once.
SETTINGS = {
    "CHATTER_ENV": ("development", "`production` turns on the production checks."),
    "CHATTER_DATABASE_URL": (None, "SQLAlchemy URL; default: SQLite file in the instance folder."),
    "CHATTER_REDIS_URL": (None, "Redis URL for rate limits shared across processes (optional)."),
    "CHATTER_REDIS_NAMESPACE": ("chatter", "Prefix of Chatter's Redis keys."),
    "CHATTER_ALLOWED_ORIGINS": ("", "Comma-separated origins allowed to embed the pane."),
    "CHATTER_DEV_MODE": ("0", "1 enables the built-in dev identity issuer (never in production)."),
    "CHATTER_SECRET_KEY": (None, "Server secret; required in production, generated in dev."),
    "CHATTER_MEDIA_DIR": (None, "Folder for uploaded pictures; default: instance/media."),
    "CHATTER_UPLOADS_PER_HOUR": ("60", "Pictures one person may upload per hour."),
    "CHATTER_UPLOAD_MIB_PER_DAY": ("200", "MiB of stored pictures one person may add per day."),
    "CHATTER_DECODES_PER_PROCESS": ("2", "Pictures one process decodes at once; others wait."),
    "CHATTER_DECODE_WAIT_SECONDS": ("10", "How long an upload waits for its turn before a 503."),
    "CHATTER_ISSUERS": (None, "Identity keyring: a JSON file path or inline JSON."),
    "CHATTER_ADMINS": ("", "Comma-separated admins as `issuer|sub`."),
    "CHATTER_MODERATORS": ("", "Comma-separated moderators as `issuer|sub` (admins are too)."),
    "CHATTER_AVATAR_HOSTS": ("", "Comma-separated hosts avatars may come from; default: issuers'."),
    "CHATTER_AUDIENCE": ("chatter", "The `aud` identity tokens must carry."),
    "CHATTER_SESSION_TTL": ("3600", "Session lifetime in seconds."),
    "CHATTER_INSTANCE_DIR": (None, "Instance folder (database, secrets); default: ./instance."),
    "CHATTER_LIVE_POLL_SECONDS": ("1.0", "How often each process re-reads the event log anyway."),
    "CHATTER_SMTP_URL": (None, "smtp://, smtp+starttls:// or smtps://[user:password@]host:port."),
    "CHATTER_MAIL_FROM": (None, "The From address of Chatter's e-mails; required with SMTP."),
    "CHATTER_PUBLIC_URL": (None, "Chatter's own address as people reach it, for links in e-mails."),
    "CHATTER_PAGE_TOKEN_URL": (
        None,
        "Path on Chatter's origin answering identity tokens, for Chatter's own /c/{id} pages.",
    ),
    "CHATTER_EMAIL_DELAY_SECONDS": (
        "900",
        "Seconds a mention waits unread before e-mail.",
    ),
    "CHATTER_INSIGHTS": ("everyone", "Who may see GET /insights: `everyone` or `admins`."),
}

PRODUCTION = "production"


def truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _origin(value):
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise ConfigError(
            f"CHATTER_ALLOWED_ORIGINS: {value!r} is not an origin like https://intranet.example.com."
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def _secret_key(env, instance_dir, production):
    key = env.get("CHATTER_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("CHATTER_SECRET_KEY must be at least 32 characters long.")
        return key
    if production:
        raise ConfigError("CHATTER_SECRET_KEY is required in production.")
    # Dev: one generated key in the instance folder, shared by every worker process.
    path = Path(instance_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _number(value, name, low, high, kind=int):
    """Parse a setting as `kind` within [low, high], or stop with a sentence."""
    try:
        number = kind(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {what}, {low} to {high}.")
    return number


SMTP_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def _people(value, name):
    """The `issuer|sub` pairs a comma-separated setting names."""
    people = set()
    for entry in filter(None, (e.strip() for e in value[name].split(","))):
        if entry.count("|") != 1 or "" in entry.split("|"):
            raise ConfigError(f"{name}: {entry!r} must look like `issuer|sub`.")
        people.add(tuple(entry.split("|")))
    return frozenset(people)


def _smtp(value):
    """Check an SMTP URL; None when e-mail is off."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigError(
            "CHATTER_SMTP_URL must look like smtp://host:port, smtp+starttls://user:password@host:587"
            " or smtps://user:password@host:465."
        )
    if parts.password is not None and parts.scheme == "smtp":
        raise ConfigError(
            "CHATTER_SMTP_URL: a password over plain smtp:// would cross the network in clear; "
            "use smtp+starttls:// or smtps://."
        )
    return value.strip()


def _public_url(value):
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"CHATTER_PUBLIC_URL: {value!r} is not an address like https://chatter.example.com."
        )
    return value.strip().rstrip("/")


def _page_token_url(value):
    """A path on Chatter's own origin: the loader only fetches tokens from the page's origin."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if not value.startswith("/") or value.startswith("//") or parts.scheme or parts.fragment:
        raise ConfigError(
            f"CHATTER_PAGE_TOKEN_URL: {value!r} is not a path on Chatter's own origin like"
            " /sso/chatter-token (the pane fetches identity tokens from its page's origin only)."
        )
    return value


def _mail_from(value, smtp_url):
    if value is None or not value.strip():
        if smtp_url:
            raise ConfigError("CHATTER_MAIL_FROM is required with CHATTER_SMTP_URL.")
        return None
    from email.headerregistry import Address

    try:
        address = Address(addr_spec=value.strip().split("<")[-1].rstrip(">").strip())
    except (ValueError, IndexError):
        address = None
    if address is None or not address.domain or "\n" in value or "\r" in value:
        raise ConfigError(f"CHATTER_MAIL_FROM: {value!r} is not an e-mail address.")
    return value.strip()


def load_config(env=None, instance_dir=None):
    """Build the Flask config mapping from an environment mapping."""
    env = dict(os.environ if env is None else env)
    value = {name: env.get(name, default) for name, (default, _) in SETTINGS.items()}
    production = value["CHATTER_ENV"] == PRODUCTION
    if value["CHATTER_ENV"] not in {"development", PRODUCTION}:
        raise ConfigError("CHATTER_ENV must be `development` or `production`.")
    dev_mode = truthy(value["CHATTER_DEV_MODE"])
    if dev_mode and production:
        raise ConfigError(
            "CHATTER_DEV_MODE=1 is refused with CHATTER_ENV=production: "
            "the dev issuer would let anyone sign in as anyone."
        )
    if production and not value["CHATTER_ISSUERS"]:
        raise ConfigError("CHATTER_ISSUERS is required in production (the identity keyring).")
    instance_dir = Path(value["CHATTER_INSTANCE_DIR"] or instance_dir or "instance").resolve()
    database_url = value["CHATTER_DATABASE_URL"] or f"sqlite:///{instance_dir / 'chatter.db'}"
    if not database_url.startswith(("sqlite:", "postgresql")):
        raise ConfigError("CHATTER_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL.")
    session_ttl = _number(value["CHATTER_SESSION_TTL"], "CHATTER_SESSION_TTL", 60, 86400)
    live_poll = _number(
        value["CHATTER_LIVE_POLL_SECONDS"], "CHATTER_LIVE_POLL_SECONDS", 0.05, 60, kind=float
    )
    admins = _people(value, "CHATTER_ADMINS")
    moderators = _people(value, "CHATTER_MODERATORS") | admins
    smtp_url = _smtp(value["CHATTER_SMTP_URL"])
    public_url = _public_url(value["CHATTER_PUBLIC_URL"])
    if smtp_url and not public_url:
        raise ConfigError(
            "CHATTER_PUBLIC_URL is required with CHATTER_SMTP_URL (e-mails link to it)."
        )
    insights = value["CHATTER_INSIGHTS"].strip().lower()
    if insights not in {"everyone", "admins"}:
        raise ConfigError("CHATTER_INSIGHTS must be `everyone` or `admins`.")
    origins = [_origin(o) for o in value["CHATTER_ALLOWED_ORIGINS"].split(",") if o.strip()]
    secret_key = _secret_key(env, instance_dir, production)
    if production and not public_url:
        raise ConfigError(
            "CHATTER_PUBLIC_URL is required in production: permalinks name Chatter's own address"
            " (without it they would name whatever Host a request claimed)."
        )
    return {
        "CHATTER_PRODUCTION": production,
        "CHATTER_DEV_MODE": dev_mode,
        "CHATTER_INSTANCE_DIR": str(instance_dir),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CHATTER_REDIS_URL": value["CHATTER_REDIS_URL"] or None,
        "CHATTER_REDIS_NAMESPACE": value["CHATTER_REDIS_NAMESPACE"],
        "CHATTER_ALLOWED_ORIGINS": frozenset(origins),
        "SECRET_KEY": secret_key,
        "CHATTER_MEDIA_DIR": value["CHATTER_MEDIA_DIR"] or str(instance_dir / "media"),
        "CHATTER_UPLOADS_PER_HOUR": _number(
            value["CHATTER_UPLOADS_PER_HOUR"], "CHATTER_UPLOADS_PER_HOUR", 1, 10_000
        ),
        "CHATTER_UPLOAD_BYTES_PER_DAY": 1024
        * 1024
        * _number(value["CHATTER_UPLOAD_MIB_PER_DAY"], "CHATTER_UPLOAD_MIB_PER_DAY", 1, 100_000),
        "CHATTER_DECODES_PER_PROCESS": _number(
            value["CHATTER_DECODES_PER_PROCESS"], "CHATTER_DECODES_PER_PROCESS", 1, 64
        ),
        "CHATTER_DECODE_WAIT_SECONDS": _number(
            value["CHATTER_DECODE_WAIT_SECONDS"], "CHATTER_DECODE_WAIT_SECONDS", 0, 60, kind=float
        ),
        # The upload route's body limit (the picture plus multipart overhead).
        "CHATTER_UPLOAD_MAX_CONTENT_LENGTH": limits.UPLOAD_BYTES + 64 * 1024,
        "CHATTER_ISSUERS": value["CHATTER_ISSUERS"],
        "CHATTER_ADMINS": admins,
        "CHATTER_MODERATORS": moderators,
        "CHATTER_AVATAR_HOSTS": frozenset(
            h.strip().lower() for h in value["CHATTER_AVATAR_HOSTS"].split(",") if h.strip()
        ),
        "CHATTER_AUDIENCE": value["CHATTER_AUDIENCE"],
        "CHATTER_SESSION_TTL": session_ttl,
        "CHATTER_LIVE_POLL_SECONDS": live_poll,
        "CHATTER_SMTP_URL": smtp_url,
        "CHATTER_MAIL_FROM": _mail_from(value["CHATTER_MAIL_FROM"], smtp_url),
        "CHATTER_PUBLIC_URL": public_url,
        "CHATTER_PAGE_TOKEN_URL": _page_token_url(value["CHATTER_PAGE_TOKEN_URL"]),
        "CHATTER_EMAIL_DELAY_SECONDS": _number(
            value["CHATTER_EMAIL_DELAY_SECONDS"], "CHATTER_EMAIL_DELAY_SECONDS", 0, 30 * 86400
        ),
        "CHATTER_INSIGHTS": insights,
        # WebSocket limits: client frames are tiny (auth, ping); pings find dead peers.
        "SOCK_SERVER_OPTIONS": {"max_message_size": 4096, "ping_interval": 25},
        # Request bodies above this size get a 413 before any parsing.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # No ping per checkout (it costs every request a round trip): a dropped connection
        # is noticed by the session lookup that starts every request, which replaces the
        # pool and retries (db.RawQuery). Recycling keeps clear of idle timeouts.
        "SQLALCHEMY_ENGINE_OPTIONS": (
            {"pool_recycle": 1800} if database_url.startswith("postgresql") else {}
        ),
        "JSON_SORT_KEYS": False,
    }
