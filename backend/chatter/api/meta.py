"""The API's own description."""

from ..openapi import build_spec
from . import bp, doc


@bp.get("/openapi.json")
@doc(auth=False)
def openapi():
    """This API as an OpenAPI 3.1 document."""
    return build_spec()
