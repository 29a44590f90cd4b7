"""Search: conversations, comments and people, ranked (chatter/search)."""

from flask import Blueprint

from ..auth import login_required
from ..errors import ApiError
from ..openapi import doc
from ..read.feed import current_viewer
from ..search import index  # noqa: F401 - creates the indexes with the tables
from ..search.query import BadQuery
from ..search.results import search
from ..search.schemas import SearchPageSchema, SearchQuerySchema
from .inputs import load_query

bp = Blueprint("search", __name__)


@bp.get("/search")
@doc(query=SearchQuerySchema, response=SearchPageSchema)
@login_required
def run_search():
    """Find conversations, comments and people: best matches first, newer and livelier ahead."""
    args = load_query(SearchQuerySchema())
    try:
        return search(current_viewer(), args["q"], args["type"], args["limit"], args.get("cursor"))
    except BadQuery as error:
        raise ApiError(422, str(error), code=error.code, errors={"q": [str(error)]}) from None
