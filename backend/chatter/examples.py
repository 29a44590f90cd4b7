"""The example intranet pages under /examples/ (dev mode only: they sign in as demo people)."""

import mimetypes
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, request
from werkzeug.security import safe_join

from .bundler import asset_root, make_asset, prepared, serve, signature
from .demo import PEOPLE

# The strict-CSP example: only Chatter's origin may run script, and HTML sinks need our policy.
# Pictures need img-src: the Chatter origin for /media/, blob: for previews before upload.
STRICT_CSP = (
    "default-src 'none'; script-src {origin}; connect-src 'self'; style-src 'self'; "
    "img-src 'self' {origin} blob: data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types chatter"
)
STRICT_PAGES = {"strict-csp.html"}
# The example pages `chatter demo` lists: page -> what it shows.
PAGES = {
    "intranet.html": "an intranet article with the pane docked",
    "project.html": 'a project page (data-context="project:apollo")',
    "strict-csp.html": "a strict Content-Security-Policy with Trusted Types",
    "hostile-css.html": "hostile global CSS and an inline data-target",
    "team-room.html": "<chatter-pane> used directly, driven by its attributes",
    "insights.html": 'the Insights view full width (data-view="insights")',
}
# Where `chatter demo` serves examples/host_server.py (app.config; absent outside the demo).
INTRANET_URL = "DEMO_INTRANET_URL"
# The example pages' user switcher (?as=bob): sub -> name, title, department.
DEMO_PEOPLE = {sub: profile for sub, *profile in PEOPLE[:4]}

bp = Blueprint("examples", __name__)


def _cross_origin_item():
    """The index's line about the cross-origin intranet: a link when the demo serves it."""
    url = current_app.config.get(INTRANET_URL)
    if url is None:
        return (
            "Cross-origin: <code>chatter demo</code> also serves another intranet, on the "
            "next port, that signs its own EdDSA identity tokens."
        )
    return (
        f'<a href="{escape(url)}">Another intranet, cross-origin</a> — it signs its own '
        "EdDSA identity tokens, trusted through <code>CHATTER_ISSUERS</code>."
    )


def demo_token_url(sub):
    """The dev identity-token URL for one of the demo people."""
    name, title, department = DEMO_PEOPLE[sub]
    query = urlencode({"sub": sub, "name": name, "title": title, "department": department})
    return f"/dev/identity-token?{query}"


@bp.get("/examples/")
@bp.get("/examples/<path:name>")
def examples(name="index.html"):
    """An example page, signed in as ?as=<demo person>; its other files as they are."""
    if not current_app.config["CHATTER_DEV_MODE"]:
        abort(404)  # the examples sign in through the dev issuer
    if not name.endswith((".html", ".css", ".js", ".png", ".svg")):
        abort(404)
    path = safe_join(str(asset_root() / "examples"), name)
    if path is None or not Path(path).is_file():
        abort(404)
    path = Path(path)
    if not name.endswith(".html"):
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        asset = prepared(
            ("example", signature(path)), lambda: make_asset(path.read_bytes(), mimetype)
        )
        return serve(asset, "no-cache")
    sub = request.args.get("as", "alice")
    sub = sub if sub in DEMO_PEOPLE else "alice"
    html = path.read_text().replace("%TOKEN_URL%", escape(demo_token_url(sub)))
    html = html.replace("%CROSS_ORIGIN%", _cross_origin_item())
    html = html.replace(f'href="?as={sub}"', f'href="?as={sub}" aria-current="page"')
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    if name in STRICT_PAGES:
        origin = f"{request.scheme}://{request.host}"
        response.headers["Content-Security-Policy"] = STRICT_CSP.format(origin=origin)
    return response


def init_app(app):
    app.register_blueprint(bp)
