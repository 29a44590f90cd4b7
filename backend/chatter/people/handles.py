"""Handles: a person's unique @name, given once at the first sign-in and never changed."""

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import limits
from ..db import db
from ..models import User

MIN_HANDLE = 2  # shorter handles are padded ("a" -> "a1"): "@a" is too easy to type by accident
ATTEMPTS = 5  # tries when concurrent sign-ins take the handle picked
# What a handle is, and so what `@…` can mention: letters, digits, `_`, and `.`/`-` inside.
HANDLE_PATTERN = r"[a-z0-9](?:[a-z0-9_.-]*[a-z0-9_])?"
_HANDLE = re.compile(HANDLE_PATTERN)
_NOT_ALLOWED = re.compile(r"[^a-z0-9_.-]+")


def clean_handle(text):
    """Fold text to a handle's alphabet (ASCII, lowercase, accents dropped), or ""."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    handle = _NOT_ALLOWED.sub("-", folded.lower().replace(" ", "."))
    handle = re.sub(r"([._-])[._-]+", r"\1", handle)[: limits.HANDLE].strip("._-")
    if handle and len(handle) < MIN_HANDLE:
        handle += "1"
    return handle if _HANDLE.fullmatch(handle or "-") else ""


def wanted_handle(claims, name):
    """The handle a new person asks for: preferred_username, else the e-mail's local part,
    else a slug of the name, else "person"."""
    email = claims.get("email")
    local = email.partition("@")[0] if isinstance(email, str) and "@" in email else ""
    username = claims.get("preferred_username")
    for candidate in (username if isinstance(username, str) else "", local, name):
        handle = clean_handle(candidate)
        if handle:
            return handle
    return "person"


def _free_handle(base):
    """`base`, or `base` with the smallest number that makes it free (one query)."""
    stem = base[: limits.HANDLE - 6]
    taken = set(
        db.session.scalars(
            select(User.handle).where((User.handle == base) | User.handle.startswith(stem))
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def add_with_handle(user, base):
    """Add a new User with a free handle; a concurrent sign-in that takes it first is retried
    in a savepoint (both databases refuse the duplicate through the unique index)."""
    for _ in range(ATTEMPTS):
        user.handle = _free_handle(base)
        try:
            with db.session.begin_nested():
                db.session.add(user)
                db.session.flush()
            return user
        except IntegrityError:
            if db.session.scalar(select(User.id).where(User.handle == user.handle)) is None:
                raise  # not the handle: another constraint failed
    raise RuntimeError("No free handle after several attempts.")
