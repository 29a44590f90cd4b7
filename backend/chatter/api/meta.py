"""The API's own description."""

from flask import Blueprint

from ..openapi import build_spec, doc

bp = Blueprint("meta", __name__)


@bp.get("/openapi.json")
@doc(auth=False)
def openapi():
    """This API as an OpenAPI 3.1 document."""
    return build_spec()
