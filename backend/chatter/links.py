"""Permalinks: the one place that says where a conversation or a comment lives.

A conversation lives on the page it belongs to (its context's `url`, when that is an http(s)
address) at `#chatter-post-{id}`; a comment on that page at `#chatter-comment-{id}`. A
conversation whose page is unknown opens on Chatter's own page `{base}/c/{post_id}` (with
`#chatter-comment-{id}` for a comment), where `base` is CHATTER_PUBLIC_URL, else the root of
the request being answered. Plain functions: given a `base`, they need no app and no request.
Outside a request and without CHATTER_PUBLIC_URL (the demo's seed) the link is root-relative,
`/c/{id}`: clients resolve it against Chatter's own address (the widget does).
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def page_url(context_url):
    """The page a conversation belongs to, without its fragment; None unless http(s)."""
    if not context_url:
        return None
    try:
        parts = urlsplit(context_url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return parts._replace(fragment="").geturl()


def chatter_base():
    """Chatter's own address: CHATTER_PUBLIC_URL, else the current request's root, else ""."""
    configured = current_app.config.get("CHATTER_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        # What request.url_root says, without its IRI decoding (a tenth of a cached read).
        return f"{request.scheme}://{request.host}{request.root_path}".rstrip("/")
    return ""


def chatter_page(post_id, base=None):
    """Chatter's own page for one conversation: `{base}/c/{post_id}`."""
    base = chatter_base() if base is None else base
    return f"{base.rstrip('/')}/c/{int(post_id)}"


def post_link(post_id, context_url=None, base=None):
    """The permalink of a conversation."""
    page = page_url(context_url)
    if page:
        return f"{page}#chatter-post-{int(post_id)}"
    return chatter_page(post_id, base)


def comment_link(post_id, comment_id, context_url=None, base=None):
    """The permalink of a comment (in its conversation `post_id`)."""
    page = page_url(context_url) or chatter_page(post_id, base)
    return f"{page}#chatter-comment-{int(comment_id)}"


def conversation_link(post_id, context_url=None, comment_id=None, base=None):
    """A conversation's permalink, or its comment's when `comment_id` is given."""
    if comment_id:
        return comment_link(post_id, comment_id, context_url, base)
    return post_link(post_id, context_url, base)
