"""The reads a pane makes, one function each: peek at the cache, authenticate, build, close.

A view loads its arguments and calls one of these; the page cache, the session lookup and the
SQL that rides along with it are behind them (see page_cache.py for why pages are shared).
Pages are keyset-paginated and cost a constant number of queries whatever their size.
"""

from flask import g

from ..auth import authenticate, is_admin, is_moderator
from ..errors import not_found
from ..events import head as event_head
from ..links import chatter_base
from . import cursors
from .page_cache import Page, encode, page_cache, reader_fields, splice
from .rows import (
    ANSWER_BLOCK,
    ANSWER_OF_POST,
    MUTED,
    PERSON_EXISTS,
    POST_FLAGS,
    SESSION_AND_COMMENT_LIKES,
    SESSION_AND_POST_FLAGS,
    SORT_COLUMNS,
    Viewer,
    author_statement,
    comment_payloads,
    feed_statement,
    following_statement,
    latest_thread_statement,
    load_comment,
    load_post,
    own_fields,
    post_payloads,
    run,
    thread_statement,
)


def current_viewer():
    """The signed-in reader, for the per-viewer fields of payloads."""
    return Viewer(g.reader.id, is_admin(g.reader), is_moderator(g.reader))


# ---- the reads ---------------------------------------------------------------------------


def read_post_page(args):
    """GET /posts: one page of conversations with the reader's own fields, as JSON bytes.

    The reader's flags for the page as last built ride along with the session lookup; unless
    the data changed since, that page is the answer and this was the only query.
    """
    if args.pop("following"):
        authenticate()
        return following_page_json(current_viewer(), g.head, args["limit"], args.get("cursor"))
    last = page_cache().peek(_post_key(**args))
    flags = authenticate(SESSION_AND_POST_FLAGS, ids=last.ids) if last else authenticate()
    page = post_page(g.head, **args)
    return post_page_json(
        current_viewer(), page, flags if page is last else None, last_event_id=g.head
    )


def read_person_posts(person_id, args):
    """GET /people/{id}/posts: one page of a person's conversations, newest first, as bytes
    (shaped and shared like GET /posts)."""
    last = page_cache().peek(_person_key(person_id, **args))
    flags = authenticate(SESSION_AND_POST_FLAGS, ids=last.ids) if last else authenticate()
    page = person_post_page(g.head, person_id, **args)
    return post_page_json(
        current_viewer(), page, flags if page is last else None, last_event_id=g.head
    )


def following_page_json(viewer, head, limit, cursor=None):
    """The reader's Following feed (never shared), as JSON bytes."""
    params = {"limit": limit + 1}
    if cursor:
        tag, params["value"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, cursors.row_id]
        )
        if tag != "following":
            raise cursors.bad_cursor("This cursor belongs to another feed.")
    rows = run(following_statement(bool(cursor)), viewer, **params)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = cursors.encode_cursor("following", last.last_activity_at.isoformat(), last.id)
    page = {"items": post_payloads(rows, viewer), "next_cursor": next_cursor}
    return encode(page | {"last_event_id": head})


def read_comment_page(post_id, args):
    """GET /posts/{id}/comments: one page of a thread with the reader's own fields, as bytes."""
    likes = authenticate(SESSION_AND_COMMENT_LIKES, post_id=post_id)
    page = comment_page(g.head, post_id, **args)
    return comment_page_json(current_viewer(), page, likes)


def read_sign_in(answer, viewer, args):
    """The sign-in answer (a dict) with the first feed page for `args` as its `feed`, as bytes."""
    head = event_head()
    if args.pop("following", False):
        page = following_page_json(viewer, head, args["limit"], args.get("cursor"))
    else:
        page = post_page_json(viewer, post_page(head, **args), last_event_id=head)
    return splice(answer, "feed", page)


def read_post(post_id):
    """One conversation as the signed-in reader sees it, or 404."""
    item = load_post(post_id, current_viewer())
    if item is None:
        raise not_found("conversation")
    return item


def read_comment(comment_id):
    """One comment as the signed-in reader sees it, or 404."""
    item = load_comment(comment_id, current_viewer())
    if item is None:
        raise not_found("comment")
    return item


# ---- shared pages --------------------------------------------------------------------------


def _post_key(sort, promoted, limit, context=None, cursor=None, **filters):
    # Links to Chatter's own page use the address asked (without CHATTER_PUBLIC_URL): a page
    # built for one address is never served to another.
    extra = tuple(sorted(filters.items()))
    return ("posts", chatter_base(), sort, context, promoted, cursor, limit, *extra)


def _value_kind(sort):
    return cursors.score if sort == "top" else cursors.moment


def post_page(head, sort, promoted, limit, context=None, cursor=None, **filters):  # noqa: PLR0913
    """One feed page as every reader sees it (cached until the head moves), best first.

    The arguments are FeedQuerySchema's, which holds their defaults; `filters` are outcome,
    kind and answered (answered alone means questions).
    """
    outcome, kind, answered = (
        filters.get("outcome", False),
        filters.get("kind"),
        filters.get("answered"),
    )
    if answered is not None:
        kind = "question"
    params = {"context": context, "limit": limit + 1}
    if cursor:
        tag, params["value"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, _value_kind(sort), cursors.row_id]
        )
        if tag != sort:
            raise cursors.bad_cursor("This cursor belongs to another sort.")

    def build():
        statement = feed_statement(
            sort, context is not None, promoted, bool(cursor), outcome, kind, answered
        )
        rows = run(statement, **params)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            value = getattr(rows[-1], SORT_COLUMNS[sort].key)
            next_cursor = cursors.encode_cursor(
                sort, value if sort == "top" else value.isoformat(), rows[-1].id
            )
        return Page(post_payloads(rows), next_cursor)

    key = _post_key(sort, promoted, limit, context, cursor, **filters)
    return page_cache().cached(head, key, build)


def _person_key(person_id, limit, cursor=None):
    return ("person-posts", person_id, cursor, limit)


def person_post_page(head, person_id, limit, cursor=None):
    """One page of a person's conversations as every reader sees it, newest first (404 for
    no such person)."""
    params = {"author": person_id, "limit": limit + 1}
    if cursor:
        tag, params["value"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, cursors.row_id]
        )
        if tag != "person":
            raise cursors.bad_cursor("This cursor belongs to another list.")

    def build():
        if not run(PERSON_EXISTS, id=person_id):
            raise not_found("person")
        rows = run(author_statement(bool(cursor)), **params)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            next_cursor = cursors.encode_cursor("person", last.created_at.isoformat(), last.id)
        return Page(post_payloads(rows), next_cursor)

    return page_cache().cached(head, _person_key(person_id, limit, cursor), build)


_POST_SUFFIXES = {
    (flags, mine, admin, hidden): reader_fields(
        **own_fields(
            mine, admin, bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8), hidden
        )
    )
    for flags in range(16)
    for mine in (False, True)
    for admin in (False, True)
    for hidden in (False, True)
}


def post_page_json(viewer, page, flag_rows=None, **extra):
    """The page with the reader's own fields: liked, promoted, followed, flagged, may edit,
    may delete, may promote; withheld texts they may see spliced in, the people they muted
    left out.

    `flag_rows` are the reader's flags for this page's posts when they were already read
    (SESSION_AND_POST_FLAGS); otherwise one query reads them.
    """
    if flag_rows is None:
        flag_rows = POST_FLAGS.all(viewer=viewer.id, ids=page.ids) if page.ids else ()
    flags = dict.fromkeys(page.ids, 0)
    muted = set()
    for kind, row_id, *_ in flag_rows:
        if kind == MUTED:
            muted.add(row_id)
        else:
            flags[row_id] |= kind
    suffixes = [
        None
        if author in muted
        else _POST_SUFFIXES[flags[post_id], author == viewer.id, viewer.admin, i in page.hidden]
        for i, (post_id, author) in enumerate(zip(page.ids, page.authors, strict=True))
    ]
    return page.json(suffixes, page.parts_for(viewer), **extra)


def comment_page(head, post_id, order, limit, cursor=None):
    """One page of a thread as every reader sees it (cached until the head moves).

    `oldest`: every comment, oldest first, `limit` of them a page. `latest`: the newest
    `limit` top-level comments with their replies, oldest first within the page; the cursor
    leads to earlier ones (a pane shows the latest few and "View earlier comments" above).
    """
    params = {"post_id": post_id, "limit": limit + 1}
    if cursor:
        tag, params["created"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, cursors.row_id]
        )
        if tag != order:
            raise cursors.bad_cursor("This cursor belongs to another order.")

    def build():
        found = run(ANSWER_OF_POST, id=post_id)
        if not found:
            raise not_found("conversation")
        if order == "latest":
            rows, last = _earliest_thread_dropped(
                run(latest_thread_statement(bool(cursor)), **params), limit
            )
        else:
            rows = run(thread_statement(bool(cursor)), **params)
            last = rows[limit - 1] if len(rows) > limit else None
            rows = rows[:limit]
        next_cursor = last and cursors.encode_cursor(order, last.created_at.isoformat(), last.id)
        answer = found[0].answer_id
        if answer is not None and not cursor:  # a question's answer leads its first page
            rows = run(ANSWER_BLOCK, answer=answer) + list(rows)
        return Page(comment_payloads(rows), next_cursor)

    key = ("comments", chatter_base(), post_id, order, cursor, limit)
    return page_cache().cached(head, key, build)


def _earliest_thread_dropped(rows, limit):
    """(the rows without the extra thread, the page's earliest top-level row or None).

    The statement reads one top-level comment more than the page holds; if it found one, it is
    the earliest, and it and its replies belong to the next page.
    """
    tops = [row for row in rows if row.parent_id is None]
    if len(tops) <= limit:
        return rows, None
    extra = tops[0].id
    return [row for row in rows if extra not in (row.id, row.parent_id)], tops[1]


_COMMENT_SUFFIXES = {
    (liked, flagged, mine, admin): reader_fields(**own_fields(mine, admin, liked, flagged=flagged))
    for liked in (False, True)
    for flagged in (False, True)
    for mine in (False, True)
    for admin in (False, True)
}


def comment_page_json(viewer, page, own_rows, **extra):
    """The thread page with the reader's own fields: liked, flagged, may edit, may delete;
    withheld texts they may see spliced in, muted authors left out. `own_rows`:
    SESSION_AND_COMMENT_LIKES's."""
    liked = {comment_id for kind, comment_id, *_ in own_rows if kind == 1}
    flagged = {comment_id for kind, comment_id, *_ in own_rows if kind == 2}
    muted = {person_id for kind, person_id, *_ in own_rows if kind == MUTED}
    suffixes = [
        None
        if author in muted
        else _COMMENT_SUFFIXES[
            comment_id in liked, comment_id in flagged, author == viewer.id, viewer.admin
        ]
        for comment_id, author in zip(page.ids, page.authors, strict=True)
    ]
    return page.json(suffixes, page.parts_for(viewer), **extra)
