"""Serving the loader (embed.js), the widget and the example pages."""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

PACKAGE_ASSETS = Path(__file__).parent / "_assets"  # inside a built wheel
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # a source checkout

bp = Blueprint("assets", __name__)


def asset_root():
    return PACKAGE_ASSETS if PACKAGE_ASSETS.is_dir() else SOURCE_ROOT


@bp.get("/embed.js")
def embed_js():
    response = send_from_directory(asset_root(), "embed.js", max_age=300)
    return response


@bp.get("/widget/<path:name>")
def widget(name):
    return send_from_directory(asset_root() / "widget", name, max_age=300)


@bp.get("/examples/<path:name>")
def examples(name):
    if not name.endswith((".html", ".css", ".js", ".png", ".svg")):
        abort(404)
    return send_from_directory(asset_root() / "examples", name, max_age=0)


def init_app(app):
    app.register_blueprint(bp)
