"""Sign-in: identity token -> user + opaque session; bearer authentication of requests."""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import wraps
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import current_app, g, request
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .db import RawQuery, db
from .errors import unauthorized
from .events import record_event
from .identity import DEV_ISSUER, IdentityError, verify_identity_token
from .models import Session, UsedIdentityToken, User, utcnow
from .people.handles import add_with_handle, wanted_handle
from .people.search import index_person
from .ratelimit import enforce
from .text import clean_name

EPOCH = datetime(1970, 1, 1)
PROFILE_LIMITS = {"name": 100, "title": 100, "department": 100, "email": 254}


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _profile(claims):
    """Clean the profile claims; drop what is not a usable string."""
    profile = {}
    for claim, limit in PROFILE_LIMITS.items():
        value = claims.get(claim)
        if isinstance(value, str):
            value = clean_name(value)[:limit]
            profile[claim] = value or None
    if "avatar" in claims:
        avatar = claims["avatar"]
        usable = isinstance(avatar, str) and len(avatar) <= 500 and avatar.startswith("https://")
        profile["avatar_url"] = avatar if usable and _avatar_host_allowed(avatar) else None
    return profile


def avatar_hosts():
    """Hosts every viewer's browser may fetch avatars from: configured, or the issuers' own.

    An identity token could name any host, and every pane showing that person would fetch
    from it (a tracking pixel on the whole organization).
    """
    configured = current_app.config["CHATTER_AVATAR_HOSTS"]
    if configured:
        return configured
    issuers = current_app.extensions["chatter.keyring"].issuers()
    return {urlsplit(issuer).hostname for issuer in issuers} - {None}


def _avatar_host_allowed(url):
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and host.lower() in avatar_hosts()


def upsert_user(claims):
    """Find the user keyed by (iss, sub); newer tokens refresh the stored profile."""
    issued_at = _from_ts(claims["iat"])
    profile = _profile(claims)
    user = db.session.scalar(
        select(User).where(User.issuer == claims["iss"], User.subject == claims["sub"])
    )
    if user is None:
        user = User(issuer=claims["iss"], subject=claims["sub"], profile_issued_at=issued_at)
        for field, value in profile.items():
            setattr(user, field, value)
        user.name = user.name or claims["sub"][:100]
        add_with_handle(user, wanted_handle(claims, user.name))
        index_person(user)
        return user
    if issued_at < user.profile_issued_at:
        return user
    shown, found_by = _shown(user), (user.name, user.email)
    for field, value in profile.items():
        setattr(user, field, value)
    if not user.name:
        user.name = claims["sub"][:100]
    user.profile_issued_at = issued_at
    if (user.name, user.email) != found_by:
        index_person(user)
    if _shown(user) != shown:
        # Cards show the profile: a new version of everything readers see (cached pages).
        record_event("user.updated", {"id": user.id, **_shown(user)}, actor_id=user.id)
    return user


def _shown(user):
    """The profile fields cards show next to a user's posts and comments."""
    return {
        "name": user.name,
        "title": user.title,
        "department": user.department,
        "avatar_url": user.avatar_url,
    }


def _from_ts(timestamp):
    """Naive UTC datetime from a JWT NumericDate."""
    return EPOCH + timedelta(seconds=int(timestamp))


def _claim_jti(claims):
    """Record the token's jti; a second use of the same token is a replay."""
    now = utcnow()
    db.session.execute(delete(UsedIdentityToken).where(UsedIdentityToken.expires_at < now))
    try:
        with db.session.begin_nested():
            db.session.add(
                UsedIdentityToken(
                    issuer=claims["iss"],
                    jti=claims["jti"],
                    expires_at=_from_ts(claims["exp"]) + timedelta(minutes=2),
                )
            )
    except IntegrityError as error:
        raise unauthorized("replayed", "This identity token was already used.") from error


def sign_in(identity_token):
    """Exchange a verified identity token for (session token, Session). Caller commits."""
    config = current_app.config
    enforce("sign_in", request.remote_addr or "unknown")
    try:
        claims = verify_identity_token(
            identity_token, current_app.extensions["chatter.keyring"], config["CHATTER_AUDIENCE"]
        )
    except IdentityError as error:
        raise unauthorized(error.code, error.detail) from error
    _claim_jti(claims)
    user = upsert_user(claims)
    token = secrets.token_urlsafe(32)
    origin = request.headers.get("Origin")
    session = Session(
        token_hash=_hash(token),
        user=user,
        dev=claims["iss"] == DEV_ISSUER,
        origin=origin.lower()[:300] if origin else None,
        expires_at=utcnow() + timedelta(seconds=config["CHATTER_SESSION_TTL"]),
    )
    db.session.add(session)
    return token, session


class Reader(NamedTuple):
    """Who is signed in, as every request needs it; current_user() loads the full User."""

    session_id: int
    id: int
    issuer: str
    subject: str
    head: int  # the event log's head: the version of everything a reader sees (cached pages)


# Every authenticated request runs this: one statement finds a session, its user and the
# event log's head. Rows of other statements may ride along (with_session): they have the
# same width, a kind above 0 first, and NULLs after their own columns (ride_along).
_SESSION_COLUMNS = (
    "0",
    "s.id",
    "s.user_id",
    "u.issuer",
    "u.subject",
    "s.expires_at",
    "s.revoked_at",
    "s.origin",
    "(SELECT max(id) FROM events)",
)
ROW_WIDTH = len(_SESSION_COLUMNS)
_SESSION = (
    f"SELECT {', '.join(_SESSION_COLUMNS)}"
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :token_hash"
)
_LIVE_SESSION = RawQuery(_SESSION)
# The signed-in user's id inside a statement that rides along with the session lookup.
VIEWER = "(SELECT user_id FROM sessions WHERE token_hash = :token_hash)"


def ride_along(kind, *columns):
    """`SELECT kind, columns..., NULL...`: a row as wide as the session row, for with_session."""
    if not kind > 0 or len(columns) >= ROW_WIDTH:
        raise ValueError("a riding row has a kind above 0 and fewer columns than the session row")
    return f"SELECT {', '.join([str(kind), *columns, *['NULL'] * (ROW_WIDTH - 1 - len(columns))])}"


def with_session(sql):
    """The session lookup and `sql` in one statement (one round trip to the database).

    `sql` yields rows made with ride_along(); it may use VIEWER. Its rows are only used once
    the session proves live.
    """
    return RawQuery(f"{_SESSION} UNION ALL {sql}")


def _as_datetime(value):
    # SQLite hands back the text SQLAlchemy stored; PostgreSQL a datetime.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _lookup(token, query=_LIVE_SESSION, **params):
    """(the Reader for a live token or None, the rows that rode along)."""
    rows = query.all(token_hash=_hash(token), **params)
    session = next((row for row in rows if row[0] == 0), None)
    if session is None:
        return None, []
    _, session_id, user_id, issuer, subject, expires_at, revoked_at, origin, head = session
    if not Session.is_live(_as_datetime(expires_at), revoked_at, utcnow()):
        return None, []
    if not Session.origin_matches(origin, request.headers.get("Origin")):
        return None, []  # a token lifted into another page
    return (
        Reader(session_id, user_id, issuer, subject, head or 0),
        [row for row in rows if row[0] != 0],
    )


def session_for_token(token):
    """The Reader for a live (unexpired, unrevoked) bearer token, or None."""
    return _lookup(token)[0]


def revoke_session(session_id):
    """End a session now (its open streams close too, once the hub is poked); caller commits."""
    db.session.execute(update(Session).where(Session.id == session_id).values(revoked_at=utcnow()))


def revoke_user_sessions(user_id):
    """End every live session of a person now; how many there were. Caller commits and pokes."""
    result = db.session.execute(
        update(Session)
        .where(Session.user_id == user_id, Session.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount


def current_user():
    """The signed-in User, loaded on first use in this request.

    Most views need only `g.reader` (an id is enough to read, write, like, edit or delete);
    those that need the profile (promotions count departments, /me, uploads) call this.
    """
    if "user" not in g:
        g.user = db.session.get(User, g.reader.id)
    return g.user


def is_admin(user):
    """Whether a User or Reader is an admin (from CHATTER_ADMINS, never from a token)."""
    return (user.issuer, user.subject) in current_app.config["CHATTER_ADMINS"]


def is_moderator(user):
    """Whether a User or Reader may review flagged items (CHATTER_MODERATORS; admins too)."""
    return (user.issuer, user.subject) in current_app.config["CHATTER_MODERATORS"]


def authenticate(query=_LIVE_SESSION, **params):
    """Set g.reader (and g.session_id, g.head) from the Authorization header, or raise 401.

    Returns the rows of a `with_session` query that rode along.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("no_session", "Sign in first: send `Authorization: Bearer <token>`.")
    found, rows = _lookup(token.strip(), query, **params)
    if found is None:
        raise unauthorized("invalid_session", "The session is unknown, expired or revoked.")
    g.reader, g.session_id, g.head = found, found.session_id, found.head
    return rows


def login_required(view):
    """Authenticate the request (401 without a live session) before the view runs."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        authenticate()
        return view(*args, **kwargs)

    return wrapper
