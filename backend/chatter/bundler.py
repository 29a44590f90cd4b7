"""Serving the loader (embed.js) and the widget, bundled from widget/'s plain modules.

The widget is served as one module under a content hash of its files
(`/widget/<hash>/chatter-pane.js`) with an immutable cache lifetime, so a warm page load fetches no
widget bytes; `embed.js` itself is short-lived and carries the current hash. Modules under
`widget/later/` are left out of that bundle and served beside it (`/widget/<hash>/later/x.js`):
the widget imports them on first use (widget/later.js), and they take the core modules they import
from the bundle already running, so the first load carries only what the first page needs.
Everything is prepared once per version of its files: compacted, bundled and gzip-compressed in
memory.
"""

import gzip
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from flask import Blueprint, abort, current_app, request

PACKAGE_ASSETS = Path(__file__).parent / "_assets"  # inside a built wheel
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # a source checkout
LOADER_MAX_AGE = 300
IMMUTABLE = "public, max-age=31536000, immutable"
# The one module the loader imports: every file of widget/, bundled in dependency order.
BUNDLE = "chatter-pane.js"
# The only module syntax the widget uses, and so the only syntax bundle() rewrites.
IMPORT = re.compile(r"^import \{([\w\s,]*)\} from '\./([\w-]+\.js)';\n", re.M)
EXPORT = re.compile(r"^export (?:async function|function|class|const) (\w+)", re.M)
RENAME = re.compile(r"\s+as\s+")  # import { a as b } -> const { a: b }
OTHER_MODULE_SYNTAX = re.compile(r"^\s*(?:import|export)\b|\bimport\s*[(.]", re.M)
LATER = "later/"  # modules loaded on first use, each served on its own
# What the first load may weigh, gzip (KB as bench/weight counts them, 1,024 B): the loader alone,
# and the loader with the bundle. Whatever the first page of conversations does not need is a
# later module.
LOADER_BUDGET, FIRST_LOAD_BUDGET = 2 * 1024, 25 * 1024
# The one place the core imports a later module, and the only dynamic import it may hold.
LOADER_MODULE, DYNAMIC_IMPORT = "later.js", "import(new URL(LATER + name, import.meta.url).href)"
# In a later module: `import {…} from '../core.js'` (rewritten) or `from './later.js'` (kept).
CORE_IMPORT = re.compile(r"^import \{([\w\s,]*)\} from '\.\./([\w-]+\.js)';\n", re.M)
LATER_IMPORT = re.compile(r"^import \{[\w\s,]*\} from '\./([\w-]+\.js)';\n", re.M)

bp = Blueprint("assets", __name__)
_prepared = {}


class Asset(NamedTuple):
    """One file as served: its bytes, their gzip form (None when that is no smaller), ETag."""

    body: bytes
    gzipped: bytes | None
    etag: str
    mimetype: str


class Widget(NamedTuple):
    version: str
    files: dict  # served name -> Asset: BUNDLE and each module on its own (for debugging)


def asset_root():
    return PACKAGE_ASSETS if PACKAGE_ASSETS.is_dir() else SOURCE_ROOT


def compact(source):
    """Drop indentation and whole-line comments: ~15% fewer bytes, no build step."""
    kept, in_doc = [], False
    for line in (line.strip() for line in source.splitlines()):
        if in_doc or line.startswith("/**"):  # a doc comment, on one line or several
            in_doc = not line.endswith("*/")
        elif line and not line.startswith("//"):
            kept.append(line)
    return "\n".join(kept) + "\n"


def make_asset(body, mimetype):
    """Prepare `body` (bytes) for serving: compressed once, at gzip's best level."""
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    etag = hashlib.sha256(body).hexdigest()[:20]
    return Asset(body, gzipped if len(gzipped) < len(body) else None, etag, mimetype)


def scope_name(name):
    """The bundle's name for a module's exports: `$dom` for dom.js."""
    return "$" + re.sub(r"\W", "_", name.removesuffix(".js"))


def bundle(sources, shared=()):
    """One ES module from {name: source} of modules that import each other with `./name.js`.

    Each module becomes a function scope returning its exports, so top-level names never clash;
    imports become destructuring of an earlier module's exports, in dependency order. The
    modules named in `shared` are exported (as `$name`) for the later modules.
    """
    imports = {name: IMPORT.findall(source) for name, source in sources.items()}
    order, visiting = [], set()

    def visit(name):
        if name in order:
            return
        if name in visiting:
            raise ValueError(f"widget modules import each other in a cycle through {name}")
        if name not in sources:
            raise ValueError(f"widget imports {name}, which does not exist")
        visiting.add(name)
        for _, dependency in imports[name]:
            visit(dependency)
        order.append(name)

    for name in sorted(sources):
        visit(name)
    scope = {name: scope_name(name) for name in sources}
    taken = [s for s in scope.values() if any(s in source for source in sources.values())]
    if taken:
        raise ValueError(f"widget code must not use the bundle's own names: {taken}")
    parts = []
    for name in order:
        body = IMPORT.sub(
            lambda m: f"const {{{RENAME.sub(': ', m[1])}}} = {scope[m[2]]};\n", sources[name]
        )
        exported = EXPORT.findall(body)
        body = EXPORT.sub(lambda m: m[0].removeprefix("export "), body)
        checked = body.replace(DYNAMIC_IMPORT, "") if name == LOADER_MODULE else body
        if OTHER_MODULE_SYNTAX.search(checked):
            raise ValueError(
                f"{name}: bundle() knows only `import {{…}} from './x.js'` and "
                "`export const|function|class`"
            )
        exports = f"{{ {', '.join(exported)} }}" if exported else "{}"
        parts.append(f"const {scope[name]} = (() => {{\n{body}return {exports};\n}})();\n")
    if shared:
        parts.append(f"export {{ {', '.join(scope[name] for name in sorted(shared))} }};\n")
    return "".join(parts)


def core_imports(source):
    """The core modules a later module imports."""
    return {name for _, name in CORE_IMPORT.findall(source)}


def bundle_later(name, source, core, later):
    """A later module as served: its core imports taken from the running bundle.

    `import { a } from '../dom.js'` becomes `const { a } = $dom;` with `$dom` imported from the
    bundle's own URL, which the browser has already loaded: one instance of every core module.
    Imports of other later modules (`./x.js`) stay native.
    """
    for dependency in core_imports(source) - set(core):
        raise ValueError(f"{LATER}{name} imports ../{dependency}, which does not exist")
    for dependency in set(LATER_IMPORT.findall(source)) - set(later):
        raise ValueError(f"{LATER}{name} imports ./{dependency}, which does not exist")
    body = CORE_IMPORT.sub(
        lambda m: f"const {{{RENAME.sub(': ', m[1])}}} = {scope_name(m[2])};\n", source
    )
    if re.search(r"^\s*import\b.*'\.\./", body, re.M) or re.search(r"\bimport\s*\(", body):
        raise ValueError(f"{LATER}{name}: use `import {{…}} from '../x.js'` for core modules")
    imported = sorted({scope_name(dependency) for dependency in core_imports(source)})
    head = f"import {{ {', '.join(imported)} }} from '../{BUNDLE}';\n" if imported else ""
    return head + body


def prepared(key, make):
    """make(), computed once per `key` (a signature of the files it reads)."""
    if key not in _prepared:
        if len(_prepared) > 64:
            _prepared.clear()  # edits in development leave stale versions behind
        _prepared[key] = make()
    return _prepared[key]


def signature(*files):
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def current_widget():
    """The widget as served now; prepared again only when one of its files changes."""
    root = asset_root() / "widget"
    files = sorted(root.glob("*.js"))
    later_files = sorted((root / LATER).glob("*.js"))

    def make():
        sources = {f.name: f.read_text() for f in files}
        later = {f.name: f.read_text() for f in later_files}
        if BUNDLE in sources:
            raise ValueError(f"widget/{BUNDLE} is the bundle's name; rename the module")
        served = {name: compact(source) for name, source in sources.items()}
        shared = set().union(*map(core_imports, later.values())) & set(sources)
        served[BUNDLE] = compact(bundle(sources, shared))
        for name, source in later.items():
            served[LATER + name] = compact(bundle_later(name, source, sources, later))
        # the hash covers what is served, so a change in bundle() or compact() is a new version too
        digest = hashlib.sha256()
        for name, text in sorted(served.items()):
            digest.update(name.encode() + b"\0" + text.encode() + b"\0")
        assets = {
            name: make_asset(text.encode(), "text/javascript") for name, text in served.items()
        }
        return Widget(digest.hexdigest()[:12], assets)

    return prepared(("widget", signature(*files, *later_files)), make)


def loader():
    """embed.js as served: compacted, pointing at the current widget bundle."""
    widget = current_widget()
    path = asset_root() / "embed.js"

    def make():
        source = compact(path.read_text()).replace("%WIDGET%", f"widget/{widget.version}/{BUNDLE}")
        return make_asset(source.encode(), "text/javascript")

    return prepared(("loader", widget.version, signature(path)), make)


def accepts_gzip():
    """Whether this request's Accept-Encoding allows gzip (an explicit q=0 refuses it)."""
    offered = {coding.lower(): quality for coding, quality in request.accept_encodings}
    return offered.get("gzip", offered.get("*", 0)) > 0


def serve(asset, cache_control):
    """A response with the gzip form when the client takes it; conditional on the ETag."""
    compressed = asset.gzipped is not None and accepts_gzip()
    response = current_app.response_class(
        asset.gzipped if compressed else asset.body, mimetype=asset.mimetype
    )
    response.headers["Cache-Control"] = cache_control
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if compressed:
        response.content_encoding = "gzip"
    # one ETag per representation: a cache must not answer a gzip request with the plain body
    response.set_etag(asset.etag + ("-gz" if compressed else ""))
    return response.make_conditional(request)


@bp.get("/embed.js")
def embed_js():
    return serve(loader(), f"public, max-age={LOADER_MAX_AGE}")


@bp.get("/widget/<version>/<path:name>")
def widget(version, name):
    current = current_widget()
    if version != current.version or name not in current.files:
        abort(404)  # an old hash must never be cached forever with new content
    return serve(current.files[name], IMMUTABLE)


def init_app(app):
    """Serve the loader and the widget; bundle and compress them now."""
    app.register_blueprint(bp)
    loader()  # bundle and compress now, not in the first visitor's request
