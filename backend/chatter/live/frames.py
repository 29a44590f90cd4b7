"""The wire form of events, the same for the WebSocket, server-sent events and long polling."""

import json


def compact_json(value):
    """JSON text without spaces, as every frame is sent."""
    return json.dumps(value, separators=(",", ":"))


def event_frame(row):
    """An event row as every stream sends it: {"id", "type", "context", "data"}."""
    return {"id": row.id, "type": row.type, "context": row.context_key, "data": row.data}


def is_addressed(row):
    """Whether an event is for some people only (events.record_addressed_event)."""
    return "to" in row.data and row.context_key is None and row.type in ADDRESSED


ADDRESSED = frozenset(
    {"notification", "notification.withdrawn", "notifications.read", "mutes.changed"}
)


def addressed_frame(row, user_id):
    """What an addressed event tells one person, or None when it is not for them.

    The event holds every recipient's part (`to`, keyed by user id); a frame carries only the
    recipient's own, so nobody learns who else was told.
    """
    mine = row.data["to"].get(str(user_id))
    if mine is None:
        return None
    return {"id": row.id, "type": row.type, "context": None, "data": row.data["shared"] | mine}


def websocket_frame(text):
    """One unmasked, uncompressed text frame: the same bytes serve every socket."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes([0x81, size])
    elif size < 65536:
        header = bytes([0x81, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x81, 127]) + size.to_bytes(8, "big")
    return header + payload


def sse_frame(frame_id, text):
    """One server-sent event; `frame_id` None for frames that are not events (ready, close)."""
    prefix = f"id: {frame_id}\n" if frame_id is not None else ""
    return f"{prefix}data: {text}\n\n"
