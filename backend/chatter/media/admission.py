"""Who may have a picture processed now: one upload in flight per person, a few decodes per process.

Decoding holds a picture's pixels in memory (a 36-megapixel PNG, ~160 MiB while it decodes),
so what a process spends on pictures is bounded by how many it decodes at once: the rest
wait their turn briefly, then get 503 with Retry-After. A person's second upload while the
first is still being processed gets 429, whichever process it reaches: the slot is a row.
"""

import secrets
import threading
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update

from ..db import db, insert_ignore
from ..errors import ApiError
from ..models import UploadSlot, utcnow
from .images import hand_back_freed_pixels

# A slot older than this was left by a process that died mid-upload (decoding takes seconds).
SLOT_TTL = timedelta(minutes=2)
IN_PROGRESS_RETRY_AFTER = 2  # seconds: about what one picture takes
BUSY_RETRY_AFTER = 5


def take_slot(user):
    """Hold `user`'s upload slot (the caller commits); 429 when another upload holds it."""
    token, now = secrets.token_hex(16), utcnow()
    if insert_ignore(UploadSlot, owner_id=user.id, token=token, taken_at=now):
        return token
    stale = db.session.execute(
        update(UploadSlot)
        .where(UploadSlot.owner_id == user.id, UploadSlot.taken_at < now - SLOT_TTL)
        .values(token=token, taken_at=now)
    )
    if stale.rowcount == 1:
        return token
    raise ApiError(
        429,
        "Another picture of yours is still being processed. Send this one when it is done.",
        code="upload_in_progress",
        headers={"Retry-After": str(IN_PROGRESS_RETRY_AFTER)},
    )


def release_slot(user, token):
    """Give the slot back in the current transaction (only if it is still this taker's)."""
    db.session.execute(
        delete(UploadSlot).where(UploadSlot.owner_id == user.id, UploadSlot.token == token)
    )


class DecodeGate:
    """At most `concurrency` decodes at once in this process; a turn is waited for `wait` s."""

    def __init__(self, concurrency, wait):
        self._turns = threading.BoundedSemaphore(concurrency)
        self._wait = wait

    @contextmanager
    def turn(self):
        """Run the block in a decoding turn, or refuse with 503 + Retry-After after the wait."""
        if not self._turns.acquire(timeout=self._wait):
            raise ApiError(
                503,
                "Chatter is busy processing other pictures. Try again in a few seconds.",
                code="pictures_busy",
                headers={"Retry-After": str(BUSY_RETRY_AFTER)},
            )
        try:
            yield
        finally:
            self._turns.release()


def decode_gate():
    """This process's DecodeGate."""
    return current_app.extensions["chatter.decode_gate"]


def init_app(app):
    """Give the process its decoding turns (CHATTER_DECODES_PER_PROCESS); free pixels promptly."""
    hand_back_freed_pixels()
    app.extensions["chatter.decode_gate"] = DecodeGate(
        app.config["CHATTER_DECODES_PER_PROCESS"], app.config["CHATTER_DECODE_WAIT_SECONDS"]
    )
