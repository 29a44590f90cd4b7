"""Bare Flask JSON routes: the floor bench/feed compares each Chatter endpoint with.

`GET|POST /blob?size=N` answers a JSON document whose body is exactly N bytes (Flask's
trailing newline included). The document is shaped like a feed page (a list of records with
a text field), built once per size and serialized by Flask on every request, the way
Chatter's views return dicts. A POST also parses its JSON body. No database, no schemas.

`POST|PUT|DELETE /insert?size=N` is the floor for writes: it parses the JSON body (if any) and
inserts one row in a transaction of its own with Chatter's SQLite settings (WAL,
`synchronous=NORMAL`, `busy_timeout`, `BEGIN IMMEDIATE`) into `bare.db` in the working
folder, then answers like /blob. One connection per thread; no ORM, no schemas.

Served by bench/feed with the same gunicorn settings as Chatter:
    gunicorn -w 2 --threads 8 -k gthread --pythonpath bench 'bare_app:create_app()'
"""

import json
import sqlite3
import threading
from datetime import UTC, datetime
from functools import lru_cache

from flask import Flask, abort, request

RECORD_TEXT = 400  # characters of text per record, roughly one rendered post
MAX_SIZE = 10 * 1024 * 1024


def _encoded_size(document):
    # Flask's provider: compact separators outside debug mode, plus a trailing newline.
    return len(json.dumps(document, separators=(",", ":"))) + 1


@lru_cache(maxsize=64)
def blob(size):
    """A feed-shaped document whose JSON response is exactly `size` bytes (size >= 24)."""
    items = []
    document = {"items": items, "pad": ""}
    text = ("lorem ipsum dolor sit amet " * (RECORD_TEXT // 27 + 1))[:RECORD_TEXT]
    record = 0
    while _encoded_size(document) + RECORD_TEXT + 40 < size:
        items.append({"id": record, "text": text, "count": record % 7})
        record += 1
    document["pad"] = "x" * max(0, size - _encoded_size(document))
    return document


_local = threading.local()


def _connection(path="bare.db"):
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT, created_at TEXT)"
        )
    return conn


def _size():
    size = request.args.get("size", type=int)
    if size is None or not 24 <= size <= MAX_SIZE:
        abort(400)
    return size


def create_app():
    app = Flask(__name__)
    app.json.sort_keys = False

    @app.route("/blob", methods=["GET", "POST"])
    def serve_blob():
        size = _size()
        if request.method == "POST":
            request.get_json()
        return blob(size)

    @app.route("/insert", methods=["POST", "PUT", "DELETE"])
    def insert_row():
        size = _size()
        data = request.get_json(silent=True) or {}
        conn = _connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO rows (body, created_at) VALUES (?, ?)",
                (json.dumps(data), datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return blob(size), 201 if request.method == "POST" else 200

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
