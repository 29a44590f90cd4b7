"""Sign-in: identity token -> user + opaque session; bearer authentication of requests."""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from .db import db
from .errors import unauthorized
from .identity import DEV_ISSUER, IdentityError, verify_identity_token
from .models import Session, UsedIdentityToken, User, utcnow
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
    avatar = claims.get("avatar")
    if isinstance(avatar, str) and avatar.startswith("https://") and len(avatar) <= 500:
        profile["avatar_url"] = avatar
    return profile


def upsert_user(claims):
    """Find the user keyed by (iss, sub); newer tokens refresh the stored profile."""
    issued_at = _from_ts(claims["iat"])
    profile = _profile(claims)
    user = db.session.scalar(
        select(User).where(User.issuer == claims["iss"], User.subject == claims["sub"])
    )
    if user is None:
        user = User(issuer=claims["iss"], subject=claims["sub"], profile_issued_at=issued_at)
        user.name = profile.get("name") or claims["sub"][:100]
        db.session.add(user)
    elif issued_at < user.profile_issued_at:
        return user
    for field, value in profile.items():
        setattr(user, field, value)
    if not user.name:
        user.name = claims["sub"][:100]
    user.profile_issued_at = issued_at
    return user


def _from_ts(timestamp):
    """Naive UTC datetime from a JWT NumericDate."""
    return EPOCH + timedelta(seconds=int(timestamp))


def _claim_jti(claims):
    """Record the token's jti; a second use of the same token is a replay."""
    now = utcnow()
    db.session.execute(delete(UsedIdentityToken).where(UsedIdentityToken.expires_at < now))
    try:
        with db.session.begin_nested():
            db.session.add(UsedIdentityToken(
                issuer=claims["iss"], jti=claims["jti"],
                expires_at=_from_ts(claims["exp"]) + timedelta(minutes=2),
            ))
    except IntegrityError as error:
        raise unauthorized("replayed", "This identity token was already used.") from error


def sign_in(identity_token):
    """Exchange a verified identity token for (session token, Session). Caller commits."""
    config = current_app.config
    enforce("sign_in", request.remote_addr or "unknown")
    try:
        claims = verify_identity_token(identity_token, current_app.extensions["chatter.keyring"],
                                       config["CHATTER_AUDIENCE"])
    except IdentityError as error:
        raise unauthorized(error.code, error.detail) from error
    _claim_jti(claims)
    user = upsert_user(claims)
    token = secrets.token_urlsafe(32)
    session = Session(
        token_hash=_hash(token), user=user, dev=claims["iss"] == DEV_ISSUER,
        expires_at=utcnow() + timedelta(seconds=config["CHATTER_SESSION_TTL"]),
    )
    db.session.add(session)
    return token, session


# One Core query finds a live session and its user: every authenticated request runs it.
_USER_COLUMNS = tuple(User.__table__.columns)
_LIVE_SESSION = (
    select(Session.id.label("session_id"), *_USER_COLUMNS)
    .join(User, User.id == Session.user_id)
    .where(Session.token_hash == bindparam("token_hash"), Session.revoked_at.is_(None),
           Session.expires_at > bindparam("now")))


def session_for_token(token):
    """Return (session id, User) for a live bearer token, or None.

    The User is built from the row and attached to the ORM session as if loaded, without
    a second query; write paths can use it like any loaded object.
    """
    row = db.session.connection().execute(
        _LIVE_SESSION, {"token_hash": _hash(token), "now": utcnow()}).first()
    if row is None:
        return None
    user = User(**{column.key: row._mapping[column] for column in _USER_COLUMNS})
    make_transient_to_detached(user)
    return row.session_id, db.session.merge(user, load=False)


def is_admin(user):
    return (user.issuer, user.subject) in current_app.config["CHATTER_ADMINS"]


def authenticate():
    """Set g.session_id and g.user from the Authorization header, or raise 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("no_session", "Sign in first: send `Authorization: Bearer <token>`.")
    found = session_for_token(token.strip())
    if found is None:
        raise unauthorized("invalid_session", "The session is unknown, expired or revoked.")
    g.session_id, g.user = found


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        authenticate()
        return view(*args, **kwargs)

    return wrapper
