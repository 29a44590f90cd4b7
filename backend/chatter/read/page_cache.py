"""Pages of conversations and threads, cached per process while the event log stands still.

Every change to what a page shows (posts, comments, likes, promotions, pictures, profiles)
appends an event in its own transaction, so the event log's head is a version number for all
of it: a page built at head H is exact for every reader until the head moves. A page holds
each item's JSON without the reader's own fields; a request adds those (liked by me, mine),
read in the same statement as its session, and joins bytes, instead of running the page query,
building dicts and encoding JSON for every pane that opens.

The head is read before the page (by the session lookup), so a cached page is never older
than the version it is filed under; a head that moved clears the cache.
"""

import json
import threading
from collections import OrderedDict

from flask import current_app

from ..shapes import is_withheld, withheld

PAGES = 256  # pages kept per process
PAGE_BYTES = 32 * 1024 * 1024  # and at most this many bytes of them


def encode(value):
    return json.dumps(value, separators=(",", ":")).encode()  # ASCII: \u-escapes, like Flask


class Page:
    """Items as JSON objects missing their closing brace, plus who wrote each and which are
    hidden.

    `parts` are the items as every reader sees them: a withheld item without its text. Its
    whole form is in `full` (by position), for its author and the moderators only.
    """

    __slots__ = ("ids", "authors", "hidden", "parts", "full", "next_cursor", "size")

    def __init__(self, payloads, next_cursor):
        self.ids = [payload["id"] for payload in payloads]
        self.authors = [payload["author"]["id"] for payload in payloads]
        # the positions of hidden items: nobody may promote them (a reader's own field)
        self.hidden = {i for i, payload in enumerate(payloads) if payload["hidden"] is not None}
        self.parts = [encode(withheld(payload))[:-1] for payload in payloads]
        self.full = {i: encode(p)[:-1] for i, p in enumerate(payloads) if is_withheld(p)}
        self.next_cursor = next_cursor
        self.size = sum(map(len, self.parts)) + sum(map(len, self.full.values())) + 200

    def parts_for(self, viewer):
        """The items as `viewer` may see them: the shared parts, with the whole form of the
        withheld items they wrote or moderate (a copy only when one differs)."""
        mine = [i for i in self.full if viewer.sees_withheld(self.authors[i])]
        if not mine:
            return self.parts
        parts = list(self.parts)
        for i in mine:
            parts[i] = self.full[i]
        return parts

    def json(self, suffixes, parts=None, **extra):
        """The page as JSON bytes; suffixes[i] closes item i with the reader's fields (None
        leaves it out: a muted author's); `parts` replace the shared ones (parts_for)."""
        parts = self.parts if parts is None else parts
        items = b",".join(
            [
                part + suffix
                for part, suffix in zip(parts, suffixes, strict=True)
                if suffix is not None
            ]
        )
        tail = b"".join(
            b',"%s":%s' % (name.encode(), encode(value)) for name, value in extra.items()
        )
        return b'{"items":[%s],"next_cursor":%s%s}' % (items, encode(self.next_cursor), tail)


def splice(value, name, raw):
    """`value` (a dict) as JSON bytes with ready JSON bytes `raw` added as its field `name`."""
    return encode(value)[:-1] + b',"%s":%s}' % (name.encode(), raw)


def json_response(body, status=200):
    """Ready JSON bytes as a response."""
    return current_app.response_class(body + b"\n", status=status, mimetype="application/json")


def reader_fields(**fields):
    """The bytes that close an item: `,"liked_by_me":true,...}`."""
    return (
        b"".join(
            b',"%s":%s' % (name.encode(), b"true" if value else b"false")
            for name, value in fields.items()
        )
        + b"}"
    )


class PageCache:
    """Pages built at the newest head seen, least recently used out first, bounded in bytes."""

    def __init__(self, pages=PAGES, max_bytes=PAGE_BYTES):
        self._lock = threading.Lock()
        self._pages = OrderedDict()
        self._head = -1
        self._bytes = 0
        self._capacity, self._max_bytes = pages, max_bytes

    def get(self, head, key):
        with self._lock:
            if head != self._head:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def peek(self, key):
        """The page last kept for key, whatever its head (None if there is none)."""
        return self._pages.get(key)

    def put(self, head, key, page):
        with self._lock:
            if head < self._head:
                return  # built from an older version than the newest seen: do not keep
            if head > self._head:
                self._pages.clear()
                self._head, self._bytes = head, 0
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._pages[key] = page
            self._bytes += page.size
            while len(self._pages) > self._capacity or self._bytes > self._max_bytes:
                self._bytes -= self._pages.popitem(last=False)[1].size

    def cached(self, head, key, build):
        """The page for key at head: from the cache, or built by build() and kept."""
        page = self.get(head, key)
        if page is None:
            page = build()
            self.put(head, key, page)
        return page


def page_cache():
    """This app's PageCache."""
    return current_app.extensions["chatter.pages"]
