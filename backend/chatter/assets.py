"""Serving the loader (embed.js), the widget and the example pages.

The widget is served under a content hash of its files (`/widget/<hash>/element.js`) with an
immutable cache lifetime, so a warm page load fetches no widget bytes; `embed.js` itself is
short-lived and carries the current hash.
"""

import hashlib
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from .demo import PEOPLE

PACKAGE_ASSETS = Path(__file__).parent / "_assets"  # inside a built wheel
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # a source checkout
LOADER_MAX_AGE = 300
IMMUTABLE = "public, max-age=31536000, immutable"
# The strict-CSP example: only Chatter's origin may run script, and HTML sinks need our policy.
# Pictures need img-src: the Chatter origin for /media/, blob: for previews before upload.
STRICT_CSP = (
    "default-src 'none'; script-src {origin}; connect-src 'self'; style-src 'self'; "
    "img-src 'self' {origin} blob: data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types chatter"
)
STRICT_PAGES = {"strict-csp.html"}
# The example pages' user switcher (?as=bob): sub -> name, title, department.
DEMO_PEOPLE = {sub: profile for sub, *profile in PEOPLE[:4]}

bp = Blueprint("assets", __name__)
_versions = {}


def asset_root():
    return PACKAGE_ASSETS if PACKAGE_ASSETS.is_dir() else SOURCE_ROOT


def compact(source):
    """Drop indentation and whole-line comments: ~15% fewer bytes, no build step."""
    kept = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in kept if line and not line.startswith(("//", "/** "))) + "\n"


def widget_version():
    """(hash, module names) of the widget folder; recomputed only when a file changes."""
    folder = asset_root() / "widget"
    files = sorted(folder.glob("*.js"))
    signature = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if signature not in _versions:
        digest = hashlib.sha256()
        for f in files:
            digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        _versions.clear()
        _versions[signature] = (digest.hexdigest()[:12], [f.name for f in files])
    return _versions[signature]


@bp.get("/embed.js")
def embed_js():
    version, modules = widget_version()
    source = compact((asset_root() / "embed.js").read_text())
    source = source.replace("%WIDGET_PATH%", f"widget/{version}/").replace(
        "%WIDGET_MODULES%", ",".join(modules)
    )
    response = current_app.response_class(source, mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = LOADER_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/widget/<version>/<name>")
def widget(version, name):
    if version != widget_version()[0] or not name.endswith(".js"):
        abort(404)  # an old hash must never be cached forever with new content
    path = safe_join(str(asset_root() / "widget"), name)
    if path is None or not Path(path).is_file():
        abort(404)
    source = compact(Path(path).read_text())
    response = current_app.response_class(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = IMMUTABLE
    return response


def demo_token_url(sub):
    """The dev identity-token URL for one of the demo people."""
    name, title, department = DEMO_PEOPLE[sub]
    query = urlencode({"sub": sub, "name": name, "title": title, "department": department})
    return f"/dev/identity-token?{query}"


@bp.get("/examples/")
@bp.get("/examples/<path:name>")
def examples(name="index.html"):
    if not current_app.config["CHATTER_DEV_MODE"]:
        abort(404)  # the examples sign in through the dev issuer
    if not name.endswith((".html", ".css", ".js", ".png", ".svg")):
        abort(404)
    folder = asset_root() / "examples"
    if not name.endswith(".html"):
        return send_from_directory(folder, name, max_age=0)
    path = safe_join(str(folder), name)
    if path is None or not Path(path).is_file():
        abort(404)
    sub = request.args.get("as", "alice")
    sub = sub if sub in DEMO_PEOPLE else "alice"
    html = Path(path).read_text().replace("%TOKEN_URL%", escape(demo_token_url(sub)))
    html = html.replace(f'href="?as={sub}"', f'href="?as={sub}" aria-current="page"')
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    if name in STRICT_PAGES:
        origin = f"{request.scheme}://{request.host}"
        response.headers["Content-Security-Policy"] = STRICT_CSP.format(origin=origin)
    return response


def init_app(app):
    app.register_blueprint(bp)
