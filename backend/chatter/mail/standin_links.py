"""STAND-IN for chatter.links (the `bell` branch writes the real one): delete when it lands."""

from flask import current_app


def conversation_link(post_id, context_url=None, comment_id=None):
    """The link that opens a conversation (at a comment): its page, or Chatter's /c/{id}."""
    fragment = f"#chatter-comment-{comment_id}" if comment_id else f"#chatter-post-{post_id}"
    if context_url:
        return context_url.split("#")[0] + fragment
    base = f"{current_app.config['CHATTER_PUBLIC_URL']}/c/{post_id}"
    return base + (f"#chatter-comment-{comment_id}" if comment_id else "")
