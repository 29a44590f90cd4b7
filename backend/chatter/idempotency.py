"""Idempotency-Key on creates: a retry gets the original answer, never a second row.

A known key is answered first, before anything that could refuse the retry (rate limits,
quotas, picture decoding): a client whose first answer was lost always gets it back.
"""

import hashlib
import json
from functools import wraps

from flask import g, request

from .db import RawQuery, db, insert_ignore
from .errors import ApiError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"


def _request_digest():
    """What the request asks for: its path and body; for multipart, its fields and files.

    A multipart body has a random boundary, so a retried upload would never match its first
    try; and once the form is parsed the raw body is gone.
    """
    digest = hashlib.sha256(request.path.encode() + b"\0")
    if request.mimetype != "multipart/form-data":
        digest.update(request.get_data())
        return digest.hexdigest()
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(f"{name}={value}".encode() + b"\0")
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        upload.seek(0)
        digest.update(name.encode() + b"\0" + hashlib.sha256(upload.read()).digest())
        upload.seek(0)
    return digest.hexdigest()


# Read before the write transaction begins (on SQLite, before the write lock): most keys
# are new, and a key stored meanwhile is caught by the INSERT at the end.
_STORED = RawQuery(
    "SELECT request_hash, status, response FROM idempotency_keys"
    ' WHERE user_id = :user AND "key" = :key'
)


def _stored(key):
    rows = _STORED.all(user=g.reader.id, key=key)
    return rows[0] if rows else None


def _replay(stored, digest):
    request_hash, status, response = stored
    if request_hash != digest:
        raise ApiError(
            422,
            f"This {HEADER} was already used for a different request.",
            code="idempotency_key_reused",
        )
    db.session.rollback()
    if isinstance(response, str | bytes):  # SQLite hands JSON over as text
        response = json.loads(response)
    return response, status, {"Idempotent-Replayed": "true"}


def idempotent(view):
    """Require an Idempotency-Key; replay the stored answer for a key already used.

    Put it right under the authentication, above rate limits. The wrapped view makes its
    change and returns (payload, status) without committing; the answer is stored with the
    key and committed in the same transaction. Two tries racing with one key: the second's
    INSERT of the key finds the first's (on PostgreSQL it waits for the first to commit),
    so its own change is rolled back and it answers with the first's.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key or len(key) > 100 or not key.isprintable():
            raise ApiError(
                400,
                f"Send an {HEADER} header (1-100 printable characters) so a "
                "retried request cannot create a duplicate.",
                code="idempotency_key",
            )
        digest = _request_digest()
        stored = _stored(key)
        if stored is not None:
            return _replay(stored, digest)
        payload, status = view(*args, **kwargs)
        if not insert_ignore(
            IdempotencyKey,
            user_id=g.reader.id,
            key=key,
            request_hash=digest,
            status=status,
            response=payload,
        ):
            db.session.rollback()
            return _replay(_stored(key), digest)
        db.session.commit()
        return payload, status

    return wrapper
