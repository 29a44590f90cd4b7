"""Where picture files live, how they are served, and how they follow the transaction.

Names are always ours (a random key plus a fixed suffix), never a user's file name, and the
serving route accepts nothing else, so no path can leave the media folder. A file written
during a transaction is deleted again unless that transaction commits; a file scheduled for
deletion is deleted only after the commit that removed its row.
"""

import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import abort, current_app, send_file
from flask_sqlalchemy.session import Session

from ..db import db, listen_once
from . import CONTENT_TYPES

NAME = re.compile(rf"^[A-Za-z0-9_-]{{22}}(?:\.thumb)?\.(?:{'|'.join(CONTENT_TYPES)})$")
IMMUTABLE = "public, max-age=31536000, immutable"
# A picture is never a document: no script, no plugins, no same-origin rights if opened directly.
MEDIA_CSP = "default-src 'none'; sandbox"
_UNCOMMITTED, _AFTER_COMMIT = "chatter.media.uncommitted", "chatter.media.after_commit"


def new_key():
    """A random, unguessable key (128 bits): the media URLs are capabilities."""
    return secrets.token_urlsafe(16)


class FileStorage:
    """Files in one folder. An object store would implement the same four methods."""

    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, name):
        """The file's path, or None when `name` is not one of ours."""
        return self.root / name if NAME.fullmatch(name) else None

    def save(self, name, data, content_type):
        """Write a new file atomically; `content_type` is for stores that keep one."""
        path = self.path(name)
        if path is None or CONTENT_TYPES[name.rsplit(".", 1)[1]] != content_type:
            raise ValueError(f"not a media name for {content_type}: {name!r}")
        partial = path.with_name(f".{name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def open(self, name):
        return self.path(name).open("rb")

    def delete(self, name):
        if path := self.path(name):
            path.unlink(missing_ok=True)

    def names(self):
        """(name, modified, naive UTC) of every media file."""
        for path in self.root.iterdir():
            if NAME.fullmatch(path.name):
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
                yield path.name, modified


def get_storage():
    """This app's media FileStorage."""
    return current_app.extensions["chatter.storage"]


def save_in_transaction(name, data, content_type):
    """Save a file that is deleted again unless the current transaction commits."""
    storage = get_storage()
    db.session.info.setdefault(_UNCOMMITTED, []).append((storage, name))
    storage.save(name, data, content_type)


def delete_after_commit(names):
    """Delete these files once the current transaction has committed (never before)."""
    storage = get_storage()
    db.session.info.setdefault(_AFTER_COMMIT, []).extend((storage, name) for name in names)


def _delete(entries):
    for storage, name in entries:
        storage.delete(name)


def _on_commit(session):
    session.info.pop(_UNCOMMITTED, None)
    _delete(session.info.pop(_AFTER_COMMIT, []))


def _on_transaction_end(session, transaction):
    if transaction.parent is None:  # the outermost transaction ended without a commit
        session.info.pop(_AFTER_COMMIT, None)
        _delete(session.info.pop(_UNCOMMITTED, []))


def serve_media(name):
    """A stored picture, with its own type, cached forever, sandboxed."""
    storage = get_storage()
    path = storage.path(name)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=CONTENT_TYPES[name.rsplit(".", 1)[1]], conditional=True, etag=True
    )
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def init_app(app):
    """Give the app its media folder and route; files follow the session's transactions."""
    app.extensions["chatter.storage"] = FileStorage(app.config["CHATTER_MEDIA_DIR"])
    app.add_url_rule("/media/<name>", "media", serve_media)
    listen_once(Session, after_commit=_on_commit, after_transaction_end=_on_transaction_end)
