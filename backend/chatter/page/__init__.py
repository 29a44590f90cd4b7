"""Chatter's own page for one conversation, `/c/{id}`: where a permalink leads when the
conversation's page is unknown. It mounts the pane on the conversation's context, with the
fragment `#chatter-post-{id}` in the address so the pane opens it."""

from flask import Blueprint, current_app, request

from ..bundler import make_asset, prepared, serve, signature
from .render import ASSETS, conversation_page, missing_page, sign_in_unavailable_page
from .target import find_conversation, page_csp, sign_in

bp = Blueprint("page", __name__)


def _html(body, status=200):
    response = current_app.response_class(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = page_csp()
    return response


@bp.get("/c/<int:post_id>")
def conversation(post_id):
    """The pane for one conversation, signed in through the page token URL (or dev issuer)."""
    target = find_conversation(post_id)
    if target is None:
        return _html(missing_page(), 404)
    how = sign_in(request.args.get("as"))
    if how is None:
        return _html(sign_in_unavailable_page(target))
    return _html(conversation_page(target, *how))


@bp.get("/c/page.<any(css, js):kind>")
def asset(kind):
    """The page's stylesheet and script (files: the page's CSP allows no inline ones)."""
    path = ASSETS / f"page.{kind}"
    mimetype = "text/css" if kind == "css" else "text/javascript"
    made = prepared(("page", signature(path)), lambda: make_asset(path.read_bytes(), mimetype))
    return serve(made, "no-cache")


def init_app(app):
    app.register_blueprint(bp)
