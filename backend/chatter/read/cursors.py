"""Opaque page cursors: JSON arrays in URL-safe base64, checked value by value when they return.

A cursor comes back from a stranger: each value is checked before it reaches SQL, because a
forged one (an id beyond 64 bits, an infinite score, a date with a zone) fails differently on
SQLite and PostgreSQL, and never as a clean 4xx.
"""

import base64
import json
import math
from datetime import datetime

from ..errors import ApiError
from ..limits import ID_MAX
from ..strict_json import parse_json


def encode_cursor(*values):
    """An opaque cursor for these values (the sort or order, the last key, the last id)."""
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, kinds):
    """The values of a cursor made by encode_cursor; each of `kinds` checks and converts one."""
    try:
        values = parse_json(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        return [kind(value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError):
        raise bad_cursor() from None


def bad_cursor(detail="The cursor is not one this server handed out."):
    return ApiError(400, detail, code="bad_cursor", errors={"cursor": ["Invalid cursor."]})


def tag(value):
    """The sort or order a cursor was made for."""
    if not isinstance(value, str):
        raise ValueError
    return value


def row_id(value):
    """An id as a BIGINT column holds it."""
    if type(value) is not int or not 0 < value <= ID_MAX:
        raise ValueError
    return value


def score(value):
    """A finite number: infinities and NaN compare strangely, or not at all."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError
    return float(value)


def moment(value):
    """A naive UTC datetime, as every time column holds it."""
    found = datetime.fromisoformat(tag(value))
    if found.tzinfo is not None:
        raise ValueError
    return found
