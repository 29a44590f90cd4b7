"""The JSON API under /api/v1: one blueprint per resource, all under the `api` blueprint."""

from flask import Blueprint

from . import comments, meta, people, posts, reactions, session, stream, uploads

bp = Blueprint("api", __name__, url_prefix="/api/v1")
for resource in (posts, comments, reactions, uploads, session, people, stream, meta):
    bp.register_blueprint(resource.bp)
